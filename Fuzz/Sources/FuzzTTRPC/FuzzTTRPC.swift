import FuzzSupport
import FoundationEssentials
@testable import ShimKit

/// What a ttrpc peer controls: frames from a byte stream, the Request inside, and the Task
/// service's decoding of every method's payload (against an instance that does nothing).
@_cdecl("FuzzTTRPC_main")
public func fuzzTTRPCMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTTRPC(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var rest = bytes[...]
    while case .frame(let frame, let consumed) = TTRPCFrame.parse(rest) {
        rest = rest.dropFirst(consumed)
        for method in methods {
            _ = try? service.handle(method: method, request: TTRPCRequestContext(), payload: Data(frame.data))
        }
    }
    return 0
}

private let methods = ["State", "Pids", "Connect", "Stats", "Update", "CloseIO", "Kill", "Start", "Delete", "Nope"]
private let service = TaskService<NoInstance>(
    namespace: "fuzz", events: nil, logger: .init(label: "fuzz"), onShutdown: {})

/// Never created: Create is not fuzzed (it would start containers), so every other method
/// answers NOT_FOUND after decoding its request.
private final class NoInstance: TaskInstance, @unchecked Sendable {
    init(id: String, configuration: InstanceConfiguration) throws { throw InstanceError(.unimplemented, "fuzzing") }
    var pid: Int32 { 0 }
    func start() throws {}
    func kill(signal: Int32, all: Bool) throws {}
    var exit: ExitRecord? { nil }
    func onExit(_ handler: @escaping @Sendable (ExitRecord) -> Void) {}
    func wait() -> ExitRecord { ExitRecord(status: 0, time: .now) }
    func delete() throws {}
    func closeStdin() {}
    func stats() throws -> CgroupStats { CgroupStats(version: .v2) }
    func update(resources: OCISpec.Resources) throws {}
}
