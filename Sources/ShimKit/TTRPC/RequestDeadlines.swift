import FoundationEssentials

/// The answer to one request, sent at most once: by the handler, or by the deadline queue
/// when the caller's `timeout_nano` passes first (DEADLINE_EXCEEDED; a late result is dropped).
final class PendingAnswer: Sendable {
    private let connection: TTRPCServerConnection
    private let streamID: UInt32
    private let answered = Monitor(false)

    init(connection: TTRPCServerConnection, streamID: UInt32) {
        self.connection = connection
        self.streamID = streamID
    }

    func send(_ result: Result<Data, TTRPCError>) {
        let first = answered.withLock { answered -> Bool in
            defer { answered = true }
            return !answered
        }
        if first { connection.respond(streamID: streamID, result) }
    }
}

/// Expires requests whose deadline passes before they are answered. One thread for all of
/// them, started with the first deadline; requests without a timeout never come here.
final class RequestDeadlines: Sendable {
    private struct State {
        var pending: [(deadline: MonotonicInstant, answer: PendingAnswer)] = []
        var threadStarted = false
    }

    private let state = Monitor(State())

    func add(_ answer: PendingAnswer, timeoutNanos: Int64) {
        guard timeoutNanos > 0 else { return }
        let deadline = MonotonicInstant.after(.nanoseconds(timeoutNanos))
        let start = state.withLock { state -> Bool in
            state.pending.append((deadline, answer))
            defer { state.threadStarted = true }
            return !state.threadStarted
        }
        if start && !Threads.spawn(name: "ttrpc-deadline", { [self] in expireForever() }) {
            state.withLock { $0.threadStarted = false }
        }
    }

    private func expireForever() {
        while true {
            let earliest = state.withLock { state in state.pending.map(\.deadline).min() }
            // Until something is due, or a new request changes the earliest deadline.
            let due = state.wait(until: earliest) { state -> [PendingAnswer]? in
                let now = MonotonicInstant.now()
                let due = state.pending.filter { $0.deadline <= now }.map(\.answer)
                if !due.isEmpty {
                    state.pending.removeAll { $0.deadline <= now }
                    return due
                }
                return state.pending.map(\.deadline).min() != earliest ? [] : nil
            }
            for answer in due ?? [] {
                answer.send(.failure(TTRPCError(.deadlineExceeded, "context deadline exceeded")))
            }
        }
    }
}
