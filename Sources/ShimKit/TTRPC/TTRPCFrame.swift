/// The kinds of ttrpc frames (byte 8 of the header).
public enum TTRPCMessageType: UInt8, Sendable {
    case request = 1
    case response = 2
    case data = 3
}

/// The 10-byte header in front of every ttrpc frame, all fields big-endian:
/// data length (u32), stream id (u32), message type (u8), flags (u8).
public struct TTRPCFrameHeader: Sendable, Equatable {
    public static let size = 10
    /// The largest data length either side accepts (4 MiB).
    public static let maxDataLength = 4 << 20

    public var length: UInt32
    public var streamID: UInt32
    /// The raw type byte; see `messageType` for the known ones.
    public var type: UInt8
    public var flags: UInt8

    public init(length: UInt32, streamID: UInt32, type: TTRPCMessageType, flags: UInt8 = 0) {
        self.init(length: length, streamID: streamID, rawType: type.rawValue, flags: flags)
    }

    public init(length: UInt32, streamID: UInt32, rawType: UInt8, flags: UInt8) {
        self.length = length
        self.streamID = streamID
        self.type = rawType
        self.flags = flags
    }

    /// Decodes the first 10 bytes of `bytes`; nil when fewer are available.
    /// Every 10-byte sequence is a syntactically valid header: the receiver judges the fields.
    public init?(decoding bytes: some Collection<UInt8>) {
        var iterator = bytes.makeIterator()
        var raw: [UInt8] = []
        raw.reserveCapacity(Self.size)
        while raw.count < Self.size, let byte = iterator.next() { raw.append(byte) }
        guard raw.count == Self.size else { return nil }
        length = Self.bigEndianUInt32(raw[0], raw[1], raw[2], raw[3])
        streamID = Self.bigEndianUInt32(raw[4], raw[5], raw[6], raw[7])
        type = raw[8]
        flags = raw[9]
    }

    /// The known message type, nil for a type byte this protocol version does not define.
    public var messageType: TTRPCMessageType? { TTRPCMessageType(rawValue: type) }

    /// Whether the data length is within the 4 MiB limit.
    public var isWithinLimit: Bool { Int(length) <= Self.maxDataLength }

    public var encoded: [UInt8] {
        [
            UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
            UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length),
            UInt8(truncatingIfNeeded: streamID >> 24), UInt8(truncatingIfNeeded: streamID >> 16),
            UInt8(truncatingIfNeeded: streamID >> 8), UInt8(truncatingIfNeeded: streamID),
            type, flags,
        ]
    }

    private static func bigEndianUInt32(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
        UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }
}

/// A whole ttrpc frame: header plus data.
public struct TTRPCFrame: Sendable, Equatable {
    public var header: TTRPCFrameHeader
    public var data: [UInt8]

    /// A frame carrying `data`; the length field is filled in. Fails for data over 4 MiB,
    /// which no peer would accept.
    public init(streamID: UInt32, type: TTRPCMessageType, flags: UInt8 = 0, data: [UInt8]) throws(TTRPCError) {
        guard data.count <= TTRPCFrameHeader.maxDataLength else {
            throw TTRPCError(
                .resourceExhausted,
                "message length \(data.count) exceeds maximum message size of \(TTRPCFrameHeader.maxDataLength)")
        }
        header = TTRPCFrameHeader(length: UInt32(data.count), streamID: streamID, type: type, flags: flags)
        self.data = data
    }

    init(header: TTRPCFrameHeader, data: [UInt8]) {
        self.header = header
        self.data = data
    }

    /// Header and data, ready to write.
    public var encoded: [UInt8] { header.encoded + data }

    /// What the front of a byte buffer holds.
    public enum Parsed: Sendable, Equatable {
        /// A complete frame that used `consumed` bytes of the buffer.
        case frame(TTRPCFrame, consumed: Int)
        /// A header whose length is over the limit: its data (`header.length` bytes after
        /// the header's 10) must be skipped, then the stream answered RESOURCE_EXHAUSTED.
        case oversized(TTRPCFrameHeader)
        /// Not a whole frame yet.
        case incomplete
    }

    /// Parses the first frame of `buffer`.
    public static func parse(_ buffer: ArraySlice<UInt8>) -> Parsed {
        guard let header = TTRPCFrameHeader(decoding: buffer) else { return .incomplete }
        guard header.isWithinLimit else { return .oversized(header) }
        let total = TTRPCFrameHeader.size + Int(header.length)
        guard buffer.count >= total else { return .incomplete }
        let start = buffer.startIndex + TTRPCFrameHeader.size
        let data = Array(buffer[start..<(buffer.startIndex + total)])
        return .frame(TTRPCFrame(header: header, data: data), consumed: total)
    }
}
