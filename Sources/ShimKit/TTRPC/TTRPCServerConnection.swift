import ContainerdAPI
import FoundationEssentials
import Glibc
import Synchronization

/// One accepted connection of a `TTRPCServer`. The reader thread and every request
/// thread hold it; the descriptor closes when the last of them lets go, so a late
/// answer never writes to a reused descriptor number.
final class TTRPCServerConnection: Sendable {
    let fd: Int32
    private let writeLock = Mutex(())

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Sends the answer to a request as one Response frame.
    func respond(streamID: UInt32, _ result: Result<Data, TTRPCError>) {
        var response = Ttrpc_Response(result)
        var bytes: [UInt8]
        do {
            bytes = try response.serializedBytes()
            if bytes.count > TTRPCFrameHeader.maxDataLength {
                response = Ttrpc_Response(.failure(TTRPCError(
                    .resourceExhausted,
                    "response length \(bytes.count) exceeds maximum message size of \(TTRPCFrameHeader.maxDataLength)")))
                bytes = try response.serializedBytes()
            }
        } catch {
            return  // Only a proto2 required field could fail here; Response has none.
        }
        let header = TTRPCFrameHeader(length: UInt32(bytes.count), streamID: streamID, type: .response)
        let frame = header.encoded + bytes
        writeLock.withLock { _ in _ = UnixSocket.sendAll(fd, frame) }
    }

    /// Ends reading (the reader sees end of file) but lets running requests answer.
    func stopReading() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RD))
    }

    /// Ends the connection in both directions; the peer sees it closed at once.
    func drop() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }
}
