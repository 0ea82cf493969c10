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
/// short or a frame that is not a request → the connection is closed. At most
/// `maximumServing` requests are served at once (RESOURCE_EXHAUSTED beyond); requests for a
/// method the service `waits` on do not count, since containerd keeps a `Wait` open per task.
/// A request's `timeout_nano` ends it with DEADLINE_EXCEEDED.
public final class TTRPCServer: Sendable {
    private let services: [String: any TTRPCService]
    private let logger: Logger
    private let drainTimeout: Duration
    private let maximumServing: Int
    private let state = Monitor(ServerState())
    private let deadlines = RequestDeadlines()

    struct ServerState {
        /// idle → serving → stopping → stopped; idle → cancelled when shut down before serving.
        enum Phase { case idle, serving, stopping, stopped, cancelled }
        var phase = Phase.idle
        /// Write end of the socket pair that wakes the accept loop on shutdown.
        var wakeFD: Int32 = -1
        var connections: [Int: TTRPCServerConnection] = [:]
        var nextConnectionID = 0
        /// Every request not yet answered (drain waits for them).
        var activeRequests = 0
        /// Those of them for methods that do not wait (the cap applies to them).
        var servingRequests = 0
    }

    /// - Parameters:
    ///   - services: the services to serve, by their `name` (a later duplicate wins).
    ///   - drainTimeout: how long `serve` waits after `shutdown()` for running requests.
    ///   - maximumServing: how many requests may be served at once (not counting waiting ones).
    public init(services: [any TTRPCService], logger: Logger = Logger(label: "ttrpc"), drainTimeout: Duration = .seconds(5),
                maximumServing: Int = 128) {
        var byName: [String: any TTRPCService] = [:]
        for service in services { byName[service.name] = service }
        self.services = byName
        self.logger = logger
        self.drainTimeout = drainTimeout
        self.maximumServing = maximumServing
    }

    /// Accepts connections on `listenerFD` until `shutdown()`, then waits (up to the drain
    /// timeout) for running requests to answer. The caller keeps ownership of the listener.
    /// Returns at once if `shutdown()` came first. Throws when `listenerFD` is not a listening
    /// socket, the server was already started, a descriptor cannot be created, or the
    /// listener fails (then after draining the connections it had).
    public func serve(listenerFD: Int32) throws(SocketError) {
        // poll would wait forever on a descriptor that is not listening: refuse it up front.
        var listening: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(listenerFD, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 else {
            throw SocketError(operation: "serve", errno: errno)
        }
        guard listening != 0 else { throw SocketError(operation: "serve", errno: EINVAL) }
        // A socket pair rather than pipe2, which the Glibc module does not expose.
        var wakePair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &wakePair) == 0 else {
            throw SocketError(operation: "socketpair", errno: errno)
        }
        let wakeRead = wakePair[0]
        let phase = state.withLock { state -> ServerState.Phase in
            let phase = state.phase
            if phase == .idle {
                state.phase = .serving
                state.wakeFD = wakePair[1]
            }
            return phase
        }
        guard phase == .idle else {
            close(wakePair[0])
            close(wakePair[1])
            if phase == .cancelled { return }
            throw SocketError(operation: "serve", errno: EALREADY)
        }
        let failure = acceptLoop(listenerFD: listenerFD, wakeFD: wakeRead)
        if failure != nil { shutdown() }
        drain()
        close(wakeRead)
        state.withLock { state in
            close(state.wakeFD)
            state.wakeFD = -1
        }
        if let failure { throw failure }
    }

    /// Stops accepting connections and reading requests; running requests still answer.
    /// `serve` returns once they have (or the drain timeout passed). Safe from a handler.
    public func shutdown() {
        let connections = state.withLock { state -> [TTRPCServerConnection] in
            switch state.phase {
            case .idle:
                state.phase = .cancelled
                return []
            case .serving:
                state.phase = .stopping
                var byte: UInt8 = 1
                _ = send(state.wakeFD, &byte, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                return Array(state.connections.values)
            case .stopping, .stopped, .cancelled:
                return []
            }
        }
        for connection in connections { connection.stopReading() }
    }

    /// Accepts until woken by `shutdown()`; returns the error that ended it otherwise.
    private func acceptLoop(listenerFD: Int32, wakeFD: Int32) -> SocketError? {
        while state.withLock({ $0.phase == .serving }) {
            var fds = [
                pollfd(fd: listenerFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                let error = errno
                if error == EINTR { continue }
                return SocketError(operation: "poll", errno: error)
            }
            if fds[1].revents != 0 { return nil }
            if fds[0].revents & Int16(POLLNVAL) != 0 {
                return SocketError(operation: "accept", errno: EBADF)
            }
            guard fds[0].revents != 0 else { continue }
            let fd: Int32
            do {
                fd = try UnixSocket.accept(listenerFD)
            } catch {
                if error.errno == EAGAIN || error.errno == ECONNABORTED { continue }
                // Not a listening socket: nothing will ever be accepted.
                if [EBADF, EINVAL, ENOTSOCK, EOPNOTSUPP].contains(error.errno) { return error }
                logger.warning("ttrpc: accept failed", metadata: ["error": "\(error)"])
                // Out of descriptors or memory: back off instead of spinning.
                usleep(10_000)
                continue
            }
            startConnection(fd: fd)
        }
        return nil
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
        let serving = !service.waits(request.method)
        let admitted = state.withLock { state -> Bool in
            if serving {
                guard state.servingRequests < maximumServing else { return false }
                state.servingRequests += 1
            }
            state.activeRequests += 1
            return true
        }
        guard admitted else {
            connection.respond(streamID: streamID, .failure(TTRPCError(
                .resourceExhausted, "too many requests: \(maximumServing) are being served")))
            return
        }
        let answer = PendingAnswer(connection: connection, streamID: streamID)
        deadlines.add(answer, timeoutNanos: request.timeoutNano)
        let started = Threads.spawn(name: "ttrpc-request") { [self] in
            let context = TTRPCRequestContext(request)
            let result = Result { () throws(TTRPCError) -> Data in
                try service.handle(method: request.method, request: context, payload: request.payload)
            }
            // Room for another request before the answer goes out (a caller that waits for it
            // may send the next at once); drain waits for the answer itself.
            if serving { state.withLock { $0.servingRequests -= 1 } }
            answer.send(result)
            state.withLock { $0.activeRequests -= 1 }
        }
        if !started {
            state.withLock { state in
                state.activeRequests -= 1
                if serving { state.servingRequests -= 1 }
            }
            answer.send(.failure(TTRPCError(.resourceExhausted, "no thread available for the request")))
        }
    }
}
