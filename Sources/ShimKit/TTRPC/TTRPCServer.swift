import ContainerdAPI
import FoundationEssentials
import Glibc
import Logging

/// A ttrpc server on a listening unix socket.
///
/// One reader thread per connection; every request is handled on its own thread and
/// answered when it finishes, so answers may go out of order (a blocking `Wait` does
/// not hold up a `Kill` on the same connection). Writes are serialized per connection.
/// Protocol violations follow containerd's Go server: unknown service or method →
/// UNIMPLEMENTED; data over 4 MiB → discarded and answered RESOURCE_EXHAUSTED; even or
/// non-increasing stream ids and undecodable requests → INVALID_ARGUMENT; a frame cut
/// short or a frame that is not a request → the connection is closed.
public final class TTRPCServer: Sendable {
    private let services: [String: any TTRPCService]
    private let logger: Logger
    private let drainTimeout: Duration
    private let state = Monitor(ServerState())

    struct ServerState {
        enum Phase { case idle, serving, stopping, stopped }
        var phase = Phase.idle
        /// Write end of the pipe that wakes the accept loop on shutdown.
        var wakeFD: Int32 = -1
        var connections: [Int: TTRPCServerConnection] = [:]
        var nextConnectionID = 0
        var activeRequests = 0
    }

    /// - Parameters:
    ///   - services: the services to serve, by their `name` (a later duplicate wins).
    ///   - drainTimeout: how long `serve` waits after `shutdown()` for running requests.
    public init(services: [any TTRPCService], logger: Logger = Logger(label: "ttrpc"), drainTimeout: Duration = .seconds(5)) {
        var byName: [String: any TTRPCService] = [:]
        for service in services { byName[service.name] = service }
        self.services = byName
        self.logger = logger
        self.drainTimeout = drainTimeout
    }

    /// Accepts connections on `listenerFD` until `shutdown()`, then waits (up to the drain
    /// timeout) for running requests to answer. The caller keeps ownership of the listener.
    /// Throws when the server was already started or a descriptor cannot be created.
    public func serve(listenerFD: Int32) throws(SocketError) {
        // A socket pair rather than pipe2, which the Glibc module does not expose.
        var pipeFDs: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pipeFDs) == 0 else {
            throw SocketError(operation: "socketpair", errno: errno)
        }
        let wakeRead = pipeFDs[0]
        let started = state.withLock { state -> Bool in
            guard state.phase == .idle else { return false }
            state.phase = .serving
            state.wakeFD = pipeFDs[1]
            return true
        }
        guard started else {
            close(pipeFDs[0])
            close(pipeFDs[1])
            throw SocketError(operation: "serve", errno: EALREADY)
        }
        acceptLoop(listenerFD: listenerFD, wakeFD: wakeRead)
        drain()
        close(wakeRead)
        state.withLock { state in
            close(state.wakeFD)
            state.wakeFD = -1
        }
    }

    /// Stops accepting connections and reading requests; running requests still answer.
    /// `serve` returns once they have (or the drain timeout passed). Safe from a handler.
    public func shutdown() {
        let connections = state.withLock { state -> [TTRPCServerConnection] in
            switch state.phase {
            case .idle:
                state.phase = .stopped
                return []
            case .serving:
                state.phase = .stopping
                var byte: UInt8 = 1
                _ = send(state.wakeFD, &byte, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                return Array(state.connections.values)
            case .stopping, .stopped:
                return []
            }
        }
        for connection in connections { connection.stopReading() }
    }

    private func acceptLoop(listenerFD: Int32, wakeFD: Int32) {
        while state.withLock({ $0.phase == .serving }) {
            var fds = [
                pollfd(fd: listenerFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("ttrpc: poll on the listener failed", metadata: ["error": "\(SocketError.describe(errno))"])
                return
            }
            if fds[1].revents != 0 { return }
            if fds[0].revents & Int16(POLLNVAL) != 0 {
                logger.error("ttrpc: the listener descriptor is not open", metadata: ["fd": "\(listenerFD)"])
                return
            }
            guard fds[0].revents != 0 else { continue }
            let fd: Int32
            do {
                fd = try UnixSocket.accept(listenerFD)
            } catch {
                if error.errno == EAGAIN || error.errno == ECONNABORTED { continue }
                logger.warning("ttrpc: accept failed", metadata: ["error": "\(error)"])
                // Out of descriptors or memory: back off instead of spinning.
                usleep(10_000)
                continue
            }
            startConnection(fd: fd)
        }
    }

    private func startConnection(fd: Int32) {
        let connection = TTRPCServerConnection(fd: fd)
        let accepted = state.withLock { state -> Int? in
            guard state.phase == .serving else { return nil }
            let id = state.nextConnectionID
            state.nextConnectionID += 1
            state.connections[id] = connection
            return id
        }
        guard let id = accepted else { return }
        let started = Threads.spawn(name: "ttrpc-conn") { [self] in
            readRequests(from: connection)
            state.withLock { _ = $0.connections.removeValue(forKey: id) }
        }
        if !started {
            logger.warning("ttrpc: no thread for a new connection; closing it")
            connection.drop()
            state.withLock { _ = $0.connections.removeValue(forKey: id) }
        }
    }

    /// Waits for running requests and connections to finish, then drops what is left.
    private func drain() {
        let deadline = MonotonicInstant.after(drainTimeout)
        _ = state.wait(until: deadline) { state -> Bool? in
            state.activeRequests == 0 && state.connections.isEmpty ? true : nil
        }
        let leftovers = state.withLock { state -> [TTRPCServerConnection] in
            state.phase = .stopped
            return Array(state.connections.values)
        }
        for connection in leftovers { connection.drop() }
    }

    // MARK: - Requests

    private func readRequests(from connection: TTRPCServerConnection) {
        let reader = FrameReader(fd: connection.fd)
        var lastStreamID: UInt32 = 0
        while true {
            switch reader.next() {
            case .closed:
                return
            case .broken(let reason):
                logger.warning("ttrpc: closing connection", metadata: ["reason": "\(reason)"])
                connection.drop()
                return
            case .oversized(let header):
                connection.respond(
                    streamID: header.streamID,
                    .failure(TTRPCError(
                        .resourceExhausted,
                        "message length \(header.length) exceed maximum message size of \(TTRPCFrameHeader.maxDataLength)")))
            case .frame(let frame):
                guard frame.header.messageType == .request else {
                    logger.warning(
                        "ttrpc: closing connection: unexpected message type",
                        metadata: ["type": "\(frame.header.type)", "stream": "\(frame.header.streamID)"])
                    connection.drop()
                    return
                }
                let streamID = frame.header.streamID
                if streamID % 2 == 0 {
                    connection.respond(
                        streamID: streamID,
                        .failure(TTRPCError(.invalidArgument, "StreamID must be odd for client initiated streams")))
                    continue
                }
                if streamID <= lastStreamID {
                    connection.respond(
                        streamID: streamID,
                        .failure(TTRPCError(.invalidArgument, "StreamID cannot be re-used and must increment")))
                    continue
                }
                lastStreamID = streamID
                dispatch(frame.data, streamID: streamID, on: connection)
            }
        }
    }

    private func dispatch(_ data: [UInt8], streamID: UInt32, on connection: TTRPCServerConnection) {
        let request: Ttrpc_Request
        do {
            request = try Ttrpc_Request(serializedBytes: data)
        } catch {
            connection.respond(streamID: streamID, .failure(TTRPCError(.invalidArgument, "unmarshal request error: \(error)")))
            return
        }
        guard let service = services[request.service] else {
            connection.respond(streamID: streamID, .failure(TTRPCError(.unimplemented, "service \(request.service)")))
            return
        }
        state.withLock { $0.activeRequests += 1 }
        let started = Threads.spawn(name: "ttrpc-request") { [self] in
            let context = TTRPCRequestContext(request)
            let result = Result { () throws(TTRPCError) -> Data in
                try service.handle(method: request.method, request: context, payload: request.payload)
            }
            connection.respond(streamID: streamID, result)
            state.withLock { $0.activeRequests -= 1 }
        }
        if !started {
            state.withLock { $0.activeRequests -= 1 }
            connection.respond(streamID: streamID, .failure(TTRPCError(.resourceExhausted, "no thread available for the request")))
        }
    }
}
