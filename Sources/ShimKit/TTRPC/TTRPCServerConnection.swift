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
        let frame: TTRPCFrame
        do {
            do {
                frame = try TTRPCFrame(streamID: streamID, type: .response, data: Ttrpc_Response(result).serializedBytes())
            } catch let tooLarge as TTRPCError {
                // An answer over the limit becomes the error saying so.
                frame = try TTRPCFrame(streamID: streamID, type: .response, data: Ttrpc_Response(.failure(tooLarge)).serializedBytes())
            }
        } catch {
            return  // Only a proto2 required field could fail here; Response has none.
        }
        let bytes = frame.encoded
        writeLock.withLock { _ in _ = UnixSocket.sendAll(fd, bytes) }
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
