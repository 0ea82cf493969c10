import ContainerdAPI
import FoundationEssentials
import Glibc
import Logging
import SwiftProtobuf

/// Publishes task events to containerd through `containerd.services.events.ttrpc.v1.Events/Forward`
/// on `$TTRPC_ADDRESS`, as containerd's own shims do.
///
/// `publish` only queues the event (stamped with the current time), so the caller never
/// waits for containerd. One background thread sends the queue in order; a failed send is
/// retried up to 5 times with a growing delay (1×, 2×, ... the base delay, as containerd's
/// Go publisher does) before the event is dropped and logged: events are best-effort.
/// The connection is opened lazily and reopened after a failure, so a containerd restart
/// costs at most the events sent while it was down.
public final class EventPublisher: Sendable {
    public static let forwardService = "containerd.services.events.ttrpc.v1.Events"
    public static let forwardMethod = "Forward"
    /// Attempts per event, the first included.
    public static let maxAttempts = 5

    private let address: String
    private let namespace: String
    private let callTimeout: Duration
    private let retryDelay: Duration
    private let logger: Logger
    private let state = Monitor(PublisherState())

    struct PublisherState {
        var queue: [Containerd_Types_Envelope] = []
        /// Index of the first event not yet sent; the queue is compacted as it drains.
        var head = 0
        /// True while the sender works on `queue[head]`.
        var sending = false
        var closing = false
        var senderRunning = false
        var client: TTRPCClient?

        var isDrained: Bool { head == queue.count && !sending }
    }

    /// - Parameters:
    ///   - ttrpcAddress: containerd's ttrpc socket (`$TTRPC_ADDRESS`), a path or `unix://<path>`.
    ///   - namespace: the containerd namespace written into every envelope.
    ///   - callTimeout: the deadline of one Forward call (containerd's shims use 5 s).
    ///   - retryDelay: the base of the backoff between attempts.
    public init(
        ttrpcAddress: String, namespace: String,
        callTimeout: Duration = .seconds(5), retryDelay: Duration = .seconds(1),
        logger: Logger = Logger(label: "events")
    ) {
        self.address = ttrpcAddress
        self.namespace = namespace
        self.callTimeout = callTimeout
        self.retryDelay = retryDelay
        self.logger = logger
    }

    deinit {
        state.withLock { $0.client?.close() }
    }

    /// Queues `event` under `topic` (e.g. "/tasks/exit"), stamped with the current time.
    /// The Any's type_url is the message's bare proto name, e.g. "containerd.events.TaskExit".
    /// Events published after `close` are dropped.
    public func publish(topic: String, event: some SwiftProtobuf.Message) {
        var envelope = Containerd_Types_Envelope()
        envelope.timestamp = Google_Protobuf_Timestamp.now
        envelope.namespace = namespace
        envelope.topic = topic
        do {
            envelope.event = try Self.wrap(event)
        } catch {
            logger.error("events: cannot encode event", metadata: ["topic": "\(topic)", "error": "\(error)"])
            return
        }
        let startSender = state.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.queue.append(envelope)
            guard !state.senderRunning else { return false }
            state.senderRunning = true
            return true
        }
        if startSender, !Threads.spawn(name: "events", { [self] in sendQueued() }) {
            state.withLock { $0.senderRunning = false }
            logger.error("events: no thread to send events; will retry on the next publish")
        }
    }

    /// Sends what is queued, waiting at most `deadline`, then stops the sender and closes
    /// the connection. Returns true when every queued event was sent or given up on.
    @discardableResult
    public func close(deadline: Duration = .seconds(5)) -> Bool {
        let limit = MonotonicInstant.after(deadline)
        let drained = state.wait(until: limit) { state -> Bool? in
            state.isDrained || !state.senderRunning ? true : nil
        } ?? false
        let client = state.withLock { state -> TTRPCClient? in
            state.closing = true
            let client = state.client
            state.client = nil
            return client
        }
        client?.close()
        let left = state.withLock { $0.queue.count - $0.head }
        if left > 0 {
            logger.warning("events: closing with unsent events", metadata: ["count": "\(left)"])
        }
        return drained && left == 0
    }

    /// Wraps an event the way containerd's typeurl does: type_url = the bare full name.
    public static func wrap(_ event: some SwiftProtobuf.Message) throws -> Google_Protobuf_Any {
        var any = Google_Protobuf_Any()
        any.typeURL = type(of: event).protoMessageName
        any.value = try event.serializedBytes()
        return any
    }

    // MARK: - Sending

    /// The sender thread: sends queued events in order until the queue is empty.
    private func sendQueued() {
        while true {
            let next = state.withLock { state -> Containerd_Types_Envelope? in
                guard state.head < state.queue.count, !state.closing else {
                    state.senderRunning = false
                    return nil
                }
                state.sending = true
                return state.queue[state.head]
            }
            guard let envelope = next else { return }
            send(envelope)
            state.withLock { state in
                state.sending = false
                state.head += 1
                if state.head == state.queue.count {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                }
            }
        }
    }

    /// Forwards one envelope, retrying with backoff; gives up after `maxAttempts`.
    private func send(_ envelope: Containerd_Types_Envelope) {
        var request = Containerd_Services_Events_Ttrpc_V1_ForwardRequest()
        request.envelope = envelope
        var lastError: TTRPCError?
        for attempt in 1...Self.maxAttempts {
            if attempt > 1, !pause(retryDelay * (attempt - 1)) { break }
            do {
                let client = try connectedClient()
                let _: Google_Protobuf_Empty = try client.call(
                    service: Self.forwardService, method: Self.forwardMethod, request: request,
                    metadata: ["containerd-namespace-ttrpc": [namespace]], timeout: callTimeout)
                return
            } catch {
                lastError = error
                if error.code == .unavailable || error.code == .deadlineExceeded { dropClient() }
            }
        }
        logger.error(
            "events: giving up on an event",
            metadata: ["topic": "\(envelope.topic)", "error": "\(lastError.map { "\($0)" } ?? "closing")"])
    }

    private func connectedClient() throws(TTRPCError) -> TTRPCClient {
        if let client = state.withLock({ $0.client }), !client.isClosed { return client }
        let client = try TTRPCClient(socketPath: address)
        let previous = state.withLock { state -> TTRPCClient? in
            let previous = state.client
            state.client = client
            return previous
        }
        previous?.close()
        return client
    }

    private func dropClient() {
        let client = state.withLock { state -> TTRPCClient? in
            let client = state.client
            state.client = nil
            return client
        }
        client?.close()
    }

    /// Sleeps for `duration` unless `close` starts meanwhile; false when it did.
    private func pause(_ duration: Duration) -> Bool {
        let deadline = MonotonicInstant.after(duration)
        let closing = state.wait(until: deadline) { state -> Bool? in state.closing ? true : nil }
        return closing == nil
    }
}
