/// A container as the Task service drives it: the Swift form of runwasi's
/// `sandbox::Instance`. `ContainerInstance` is the one Swim uses (a confined process per
/// container); a shim may bring another. Everything here is plain Swift: the Task service
/// alone speaks protobuf.
public protocol TaskInstance: AnyObject, Sendable {
    /// Builds the container up to the point where `start` runs it. Throwing fails Create
    /// with the error's description.
    init(id: String, configuration: InstanceConfiguration) throws
    /// The container's main process, in the shim's pid namespace.
    var pid: Int32 { get }
    func start() throws
    /// Signals the container (with `all`, every process of it).
    func kill(signal: Int32, all: Bool) throws
    /// How the container ended; nil while it runs. The same record every time it is asked.
    var exit: ExitRecord? { get }
    /// Calls `handler` once, when the container has exited (at once if it already has).
    func onExit(_ handler: @escaping @Sendable (ExitRecord) -> Void)
    /// Blocks until the container has exited.
    func wait() -> ExitRecord
    /// Releases everything the container held, once it has exited.
    func delete() throws
    /// The guest sees end-of-file on stdin once what was written is read.
    func closeStdin()
    /// Resource usage; the Task service sends it as containerd's cgroups metrics message.
    func stats() throws -> CgroupStats
    /// Applies new resource limits.
    func update(resources: OCISpec.Resources) throws
    /// Non-fatal notes from Create, for the shim's log.
    var warnings: [String] { get }
}

extension TaskInstance {
    public var warnings: [String] { [] }
}

/// Everything Create tells a shim about a container.
public struct InstanceConfiguration: Sendable {
    public var bundle: String
    public var namespace: String
    public var rootfs: [RootfsMount]
    /// Paths of the stdio fifos; empty when not connected.
    public var stdin: String
    public var stdout: String
    public var stderr: String
    /// Called when the container's cgroup reports an OOM kill.
    public var onOOM: @Sendable () -> Void
    /// containerd's gRPC socket (the shim's `-address`).
    public var containerdAddress: String
    /// The shim's own work for the container before its process starts (`ContainerInstance`
    /// runs it during Create).
    public var preparation: (any ContainerPreparation)?

    public init(bundle: String, namespace: String, rootfs: [RootfsMount], stdin: String, stdout: String,
                stderr: String, onOOM: @escaping @Sendable () -> Void = {}, containerdAddress: String = "",
                preparation: (any ContainerPreparation)? = nil) {
        self.bundle = bundle
        self.namespace = namespace
        self.rootfs = rootfs
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.onOOM = onOOM
        self.containerdAddress = containerdAddress
        self.preparation = preparation
    }
}

/// How and when a container ended.
public struct ExitRecord: Sendable, Equatable {
    /// The exit code, 128 + signal for a killed process.
    public var status: UInt32
    /// When the process was reaped.
    public var time: WallClockTime

    public init(status: UInt32, time: WallClockTime) {
        self.status = status
        self.time = time
    }
}

/// An error whose message and ttrpc status a Task method answers with.
public struct InstanceError: Error, Sendable, CustomStringConvertible {
    public var code: TTRPCCode
    public var message: String

    public init(_ code: TTRPCCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
