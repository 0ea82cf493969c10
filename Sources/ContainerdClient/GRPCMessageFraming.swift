import NIOCore

/// gRPC's length-prefixed messages on an HTTP/2 stream: a compressed flag (0: the shim asks
/// for no compression and accepts none), a 4-byte big-endian length, the message.
enum GRPCMessageFraming {
    /// The largest message accepted (gRPC's default receive limit is 4 MiB; containerd streams
    /// content in 1 MiB chunks).
    static let maxMessageBytes = 16 << 20

    static func frame(_ message: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 5 + message.count)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(message.count))
        buffer.writeBytes(message)
        return buffer
    }
}

/// Splits a response stream's DATA back into messages, however the frames cut them.
struct GRPCMessageDeframer {
    private var pending = ByteBuffer()

    mutating func append(_ buffer: ByteBuffer) {
        var buffer = buffer
        pending.writeBuffer(&buffer)
    }

    /// The next whole message, or nil until more data arrives.
    mutating func next() throws(ContainerdError) -> [UInt8]? {
        guard pending.readableBytes >= 5,
              let compressed = pending.getInteger(at: pending.readerIndex, as: UInt8.self),
              let length = pending.getInteger(at: pending.readerIndex + 1, as: UInt32.self) else { return nil }
        guard compressed == 0 else { throw ContainerdError(.failed, "containerd sent a compressed message (none was accepted)") }
        guard length <= GRPCMessageFraming.maxMessageBytes else {
            throw ContainerdError(.failed, "containerd sent a message of \(length) bytes, more than \(GRPCMessageFraming.maxMessageBytes)")
        }
        guard pending.readableBytes >= 5 + Int(length) else { return nil }
        pending.moveReaderIndex(forwardBy: 5)
        let message = pending.readBytes(length: Int(length)) ?? []
        pending.discardReadBytes()
        return message
    }

    /// True when bytes of an unfinished message are left.
    var hasPartialMessage: Bool { pending.readableBytes > 0 }
}
