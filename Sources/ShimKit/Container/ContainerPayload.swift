/// What runs inside a container process (wasm-agnostic: ShimWasm provides the engine's).
///
/// The container init calls `prepare` once the process is confined by namespaces, mounts,
/// pivot_root, cgroup, rlimits and capabilities but before the seccomp filter, then installs
/// the filter with `allowedSyscalls` added to its own, reports ready, and calls `run` when the
/// task is started.
public protocol ContainerPayload {
    /// Loads and checks everything (module, preopens). Throwing fails Create with this error.
    mutating func prepare(_ container: ContainerContext) throws
    /// Syscalls `run` needs, by name (as `seccomp_syscall_resolve_name` knows them). Every
    /// other call fails with EPERM once the filter is in place.
    var allowedSyscalls: [AllowedSyscall] { get }
    /// Runs after Start; the process exits with the returned status.
    mutating func run() -> Int32
}

/// What a payload learns about its container.
public struct ContainerContext: Sendable {
    public var id: String
    /// The bundle directory, a host path: after pivot_root it is no longer reachable.
    public var bundle: String
    public var spec: OCISpec
    /// The cgroup memory limit in force (its own or an ancestor's); nil when unlimited. A
    /// wasm engine keeps linear memory below it so `memory.grow` fails cleanly instead of
    /// the process being OOM-killed.
    public var memoryLimitBytes: UInt64?
    /// True when the process is pid 1 of its own pid namespace.
    public var isPIDNamespaceInit: Bool
    /// The files the daemon's `ContainerPreparation` made, by name: open descriptors, closed
    /// once `prepare` returns (a payload reads them there, and need not close them).
    public var files: [String: Int32]

    public init(id: String, bundle: String, spec: OCISpec, memoryLimitBytes: UInt64?, isPIDNamespaceInit: Bool,
                files: [String: Int32] = [:]) {
        self.id = id
        self.bundle = bundle
        self.spec = spec
        self.memoryLimitBytes = memoryLimitBytes
        self.isPIDNamespaceInit = isPIDNamespaceInit
        self.files = files
    }
}
