import ShimKit

/// A wasm engine for the shim: the Swift form of runwasi's `Shim` + `Sandbox` traits.
///
/// Everything runs inside the container process, after its namespaces, mounts and cgroup
/// are in place: `canHandle` and `prepare` before the seccomp filter (so the module is loaded
/// and validated, and preopens opened, while files can still be opened freely; an error there
/// fails Create), `run` after Start, with the filter on.
public protocol WasmEngine {
    /// What `prepare` hands `run`: the loaded module, its instance, ...
    associatedtype Prepared

    /// The engine's name (`swim`: the runtime is `io.containerd.swim.v1`).
    static var name: String { get }
    static var version: String { get }

    init()

    /// Throws when this engine cannot run the container. By default: its module must be a
    /// wasm binary or WebAssembly text.
    func canHandle(_ context: RuntimeContext) throws

    func prepare(_ context: RuntimeContext) throws -> Prepared

    /// Syscalls `run` needs beyond the container runtime's own (seccomp allow-list).
    var allowedSyscalls: [AllowedSyscall] { get }

    /// Runs the module; returns the exit status (a trap is thrown: the container exits 137).
    func run(_ prepared: Prepared) throws -> Int32
}

extension WasmEngine {
    public static var version: String { "0.1.0" }

    public func canHandle(_ context: RuntimeContext) throws {
        _ = try context.wasmBinary()
    }
}

/// Why a container cannot run (Create fails with the message).
public struct ShimWasmError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
