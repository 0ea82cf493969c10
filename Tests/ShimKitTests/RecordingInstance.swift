// The second engine of the shim's seam: a TaskInstance written against ShimKit alone, with
// no SwiftProtobuf and no containerd message types.
@testable import ShimKit

/// A container that only records what is asked of it, and exits when killed.
final class RecordingInstance: TaskInstance, @unchecked Sendable {
    static let created = Monitor<[String]>([])
    let id: String
    private let state = Monitor<(started: Bool, exit: ExitRecord?, handlers: [@Sendable (ExitRecord) -> Void])>((false, nil, []))

    required init(id: String, configuration: InstanceConfiguration) throws {
        if configuration.bundle == "/nonexistent" { throw InstanceError(.invalidArgument, "no such bundle") }
        self.id = id
        Self.created.withLock { $0.append(id) }
    }

    var pid: Int32 { 4242 }

    func start() throws {
        state.withLock { $0.started = true }
    }

    func kill(signal: Int32, all: Bool) throws {
        finish(ExitRecord(status: 128 + UInt32(signal), time: .now))
    }

    /// Ends the container as if its process exited with `record`.
    func finish(_ record: ExitRecord) {
        let handlers = state.withLock { s -> [@Sendable (ExitRecord) -> Void] in
            s.exit = record
            defer { s.handlers = [] }
            return s.handlers
        }
        handlers.forEach { $0(record) }
    }

    var exit: ExitRecord? { state.withLock { $0.exit } }

    func onExit(_ handler: @escaping @Sendable (ExitRecord) -> Void) {
        let known = state.withLock { s -> ExitRecord? in
            if s.exit == nil { s.handlers.append(handler) }
            return s.exit
        }
        if let known { handler(known) }
    }

    func wait() -> ExitRecord {
        state.wait(until: nil) { $0.exit } ?? ExitRecord(status: 255, time: .now)
    }

    func delete() throws {}
    func closeStdin() {}
    func stats() throws -> CgroupStats { CgroupStats(version: .v2) }
    func update(resources: OCISpec.Resources) throws {}
}
