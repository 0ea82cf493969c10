import ContainerdAPI
import FoundationEssentials
import Glibc
@testable import ShimKit

/// A socket path short enough for sockaddr_un and unique per test.
func temporarySocketPath(_ tag: String) -> String {
    let counter = SocketCounter.next()
    return "/tmp/ttrpc-\(getpid())-\(tag)-\(counter).sock"
}

private enum SocketCounter {
    private static let value = Monitor(0)
    static func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// A latch a test opens to release blocked handlers.
final class Gate: Sendable {
    private let opened = Monitor(false)
    func open() { opened.withLock { $0 = true } }
    /// Waits until open; false after `timeout`.
    func wait(timeout: Duration = .seconds(10)) -> Bool {
        opened.wait(until: .after(timeout)) { $0 ? true : nil } ?? false
    }
}

/// A service for exercising the server.
struct TestService: TTRPCService {
    let name = "swim.test.v1.Test"
    let gate: Gate
    /// Every context received, in arrival order.
    let contexts = Monitor<[TTRPCRequestContext]>([])

    /// `Wait` blocks as the Task service's does: not counted as being served.
    func waits(_ method: String) -> Bool { method == "Wait" }

    func handle(method: String, request: TTRPCRequestContext, payload: Data) throws(TTRPCError) -> Data {
        contexts.withLock { $0.append(request) }
        switch method {
        case "Echo":
            return payload
        case "Block":
            guard gate.wait() else { throw TTRPCError(.deadlineExceeded, "gate never opened") }
            return Data("unblocked".utf8)
        case "Wait":
            guard gate.wait() else { throw TTRPCError(.deadlineExceeded, "gate never opened") }
            return Data("waited".utf8)
        case "Fail":
            throw TTRPCError(.notFound, "no such thing")
        case "Metadata":
            return Data((request.metadataValue("x-test") ?? "").utf8)
        case "Huge":
            return Data(count: TTRPCFrameHeader.maxDataLength + 1)
        default:
            throw TTRPCError.unimplementedMethod(method)
        }
    }
}

/// A server on a temporary socket, serving on its own thread until `stop()`.
final class RunningServer: Sendable {
    let path: String
    let server: TTRPCServer
    private let listener: Int32
    private let finished = Monitor(false)

    init(services: [any TTRPCService], tag: String, maximumServing: Int = 128) throws {
        path = temporarySocketPath(tag)
        unlink(path)
        listener = try UnixSocket.listen(path: path)
        server = TTRPCServer(services: services, drainTimeout: .seconds(2), maximumServing: maximumServing)
        let server = self.server
        let listener = self.listener
        let finished = self.finished
        Threads.spawn(name: "test-server") {
            try? server.serve(listenerFD: listener)
            finished.withLock { $0 = true }
        }
    }

    /// Shuts the server down; true when `serve` returned within `timeout`.
    @discardableResult
    func stop(timeout: Duration = .seconds(5)) -> Bool {
        server.shutdown()
        let returned = finished.wait(until: .after(timeout)) { $0 ? true : nil } ?? false
        close(listener)
        unlink(path)
        return returned
    }
}

/// A client that speaks frames directly, to send what TTRPCClient never would.
final class RawConnection {
    let fd: Int32
    private let reader: FrameReader

    init(path: String) throws {
        fd = try UnixSocket.connect(path: path)
        // Reads give up after 5 s so a missing answer fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        reader = FrameReader(fd: fd)
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        _ = UnixSocket.sendAll(fd, bytes)
    }

    func sendRequest(streamID: UInt32, service: String = "swim.test.v1.Test", method: String, payload: [UInt8] = [],
                     timeoutNanos: Int64 = 0) throws {
        var request = Ttrpc_Request()
        request.service = service
        request.method = method
        request.payload = Data(payload)
        request.timeoutNano = timeoutNanos
        let frame = try TTRPCFrame(streamID: streamID, type: .request, data: try request.serializedBytes())
        send(frame.encoded)
    }

    func next() -> FrameReader.Event { reader.next() }

    /// The next frame decoded as a Response, with its stream id; nil when the connection ended.
    func nextResponse() throws -> (streamID: UInt32, response: Ttrpc_Response)? {
        guard case .frame(let frame) = reader.next() else { return nil }
        return (frame.header.streamID, try Ttrpc_Response(serializedBytes: frame.data))
    }
}
