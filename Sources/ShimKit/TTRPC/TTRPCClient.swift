import ContainerdAPI
import FoundationEssentials
import Glibc
import SwiftProtobuf
import Synchronization

/// A ttrpc client on one unix socket connection. Calls may be made from any number of
/// threads at once; a reader thread hands each answer to its caller by stream id.
public final class TTRPCClient: Sendable {
    private let connection: TTRPCClientConnection

    /// Connects to `socketPath` (a path or `unix://<path>`). UNAVAILABLE when that fails.
    public init(socketPath: String) throws(TTRPCError) {
        let fd: Int32
        do {
            fd = try UnixSocket.connect(path: socketPath)
        } catch {
            throw TTRPCError(.unavailable, "\(error)")
        }
        connection = TTRPCClientConnection(fd: fd)
        let reader = connection
        guard Threads.spawn(name: "ttrpc-client", { reader.readResponses() }) else {
            connection.close(reason: "no thread for the connection reader")
            throw TTRPCError(.resourceExhausted, "no thread for the connection reader")
        }
    }

    deinit {
        connection.close(reason: "ttrpc: closed")
    }

    /// Calls `service`/`method` with a serialized request and returns the serialized answer.
    /// Throws the status the server answered with, DEADLINE_EXCEEDED when `timeout` passes
    /// first (the deadline is also sent to the server), UNAVAILABLE when the connection is gone.
    public func call(
        service: String, method: String, payload: Data,
        metadata: [String: [String]] = [:], timeout: Duration? = nil
    ) throws(TTRPCError) -> Data {
        var request = Ttrpc_Request()
        request.service = service
        request.method = method
        request.payload = payload
        request.timeoutNano = timeout?.clampedNanoseconds ?? 0
        for (key, values) in metadata.sorted(by: { $0.key < $1.key }) {
            for value in values {
                var pair = Ttrpc_KeyValue()
                pair.key = key.lowercased()
                pair.value = value
                request.metadata.append(pair)
            }
        }
        let deadline = timeout.map { MonotonicInstant.after($0) }
        let response = try connection.roundTrip(request, deadline: deadline)
        if response.hasStatus, response.status.code != 0 {
            throw TTRPCError(TTRPCCode(status: response.status.code), response.status.message)
        }
        return response.payload
    }

    /// Calls a method with protobuf messages on both sides.
    public func call<Response: SwiftProtobuf.Message>(
        service: String, method: String, request: some SwiftProtobuf.Message,
        metadata: [String: [String]] = [:], timeout: Duration? = nil,
        as responseType: Response.Type = Response.self
    ) throws(TTRPCError) -> Response {
        let payload = try TTRPCPayload.encode(request)
        let answer = try call(service: service, method: method, payload: payload, metadata: metadata, timeout: timeout)
        return try TTRPCPayload.decode(Response.self, from: answer)
    }

    /// Closes the connection; calls waiting for an answer fail with UNAVAILABLE.
    public func close() {
        connection.close(reason: "ttrpc: closed")
    }

    /// Whether the connection has ended (closed here or by the server).
    public var isClosed: Bool { connection.isClosed }
}

/// The connection behind a `TTRPCClient`, shared with its reader thread. The descriptor
/// closes when both have let go.
final class TTRPCClientConnection: Sendable {
    let fd: Int32
    private let writeLock = Mutex(())
    private let state = Monitor(ClientState())

    struct ClientState {
        enum Slot {
            case waiting
            case answered(Ttrpc_Response)
        }
        /// Client streams are odd: 1, 3, 5, ...
        var nextStreamID: UInt32 = 1
        var pending: [UInt32: Slot] = [:]
        /// Set once the connection ended; every later call fails with it.
        var closedReason: String?
    }

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        Glibc.close(fd)
    }

    var isClosed: Bool { state.withLock { $0.closedReason != nil } }

    func roundTrip(_ request: Ttrpc_Request, deadline: MonotonicInstant?) throws(TTRPCError) -> Ttrpc_Response {
        let data: [UInt8]
        do {
            data = try request.serializedBytes()
        } catch {
            throw TTRPCError(.internal, "cannot encode the request: \(error)")
        }
        let streamID = try send(data)
        let slot: ClientState.Slot? = state.wait(until: deadline) { state -> ClientState.Slot? in
            if case .answered = state.pending[streamID] { return state.pending.removeValue(forKey: streamID) }
            if state.closedReason != nil { return state.pending.removeValue(forKey: streamID) ?? .waiting }
            return nil
        }
        switch slot {
        case .answered(let response):
            return response
        case .waiting:
            throw TTRPCError(.unavailable, state.withLock { $0.closedReason } ?? "ttrpc: closed")
        case nil:
            state.withLock { _ = $0.pending.removeValue(forKey: streamID) }
            throw TTRPCError(.deadlineExceeded, "context deadline exceeded")
        }
    }

    /// Writes a request frame on a new stream. The stream id is taken under the write lock
    /// so ids reach the server in increasing order, as it requires.
    private func send(_ data: [UInt8]) throws(TTRPCError) -> UInt32 {
        var frame = try TTRPCFrame(streamID: 0, type: .request, data: data)
        let outcome = writeLock.withLock { _ -> Result<UInt32, TTRPCError> in
            let registered = state.withLock { state -> Result<UInt32, TTRPCError> in
                if let reason = state.closedReason { return .failure(TTRPCError(.unavailable, reason)) }
                let id = state.nextStreamID
                guard id < UInt32.max - 1 else { return .failure(TTRPCError(.unavailable, "ttrpc: stream ids exhausted")) }
                state.nextStreamID = id + 2
                state.pending[id] = .waiting
                return .success(id)
            }
            guard case .success(let id) = registered else { return registered }
            frame.header.streamID = id
            guard UnixSocket.sendAll(fd, frame.encoded) else {
                state.withLock { _ = $0.pending.removeValue(forKey: id) }
                return .failure(TTRPCError(.unavailable, "ttrpc: cannot write the request: \(SystemCallError.describe(errno: errno))"))
            }
            return .success(id)
        }
        return try outcome.get()
    }

    /// The reader thread: hands answers to waiting calls until the connection ends.
    func readResponses() {
        let reader = FrameReader(fd: fd)
        while true {
            switch reader.next() {
            case .closed:
                close(reason: "ttrpc: connection closed by the server")
                return
            case .broken(let reason):
                close(reason: "ttrpc: \(reason)")
                return
            case .oversized:
                // The server sent more than 4 MiB; that call cannot be answered. Go's client
                // closes the connection as well.
                close(reason: "ttrpc: received a message over the 4 MiB limit")
                return
            case .frame(let frame):
                guard frame.header.messageType == .response else { continue }
                guard let response = try? Ttrpc_Response(serializedBytes: frame.data) else {
                    close(reason: "ttrpc: undecodable response on stream \(frame.header.streamID)")
                    return
                }
                state.withLock { state in
                    if case .waiting = state.pending[frame.header.streamID] {
                        state.pending[frame.header.streamID] = .answered(response)
                    }
                }
            }
        }
    }

    /// Marks the connection ended, wakes every waiting call and unblocks the reader.
    func close(reason: String) {
        state.withLock { state in
            if state.closedReason == nil { state.closedReason = reason }
        }
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }
}
