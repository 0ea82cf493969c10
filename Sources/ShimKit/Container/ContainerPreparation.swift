import Glibc

/// What a shim does for a container in the daemon during Create, before the container's init
/// process starts. The daemon can still reach containerd (the init, after pivot_root and
/// seccomp, cannot, and must not carry a client for it); what it makes reaches the init as open
/// files, which the payload finds in `ContainerContext.files` during `prepare`.
///
/// Throwing fails Create with the error's description; nothing of the container is left.
public protocol ContainerPreparation: Sendable {
    func prepare(_ container: PreparationContext) throws -> PreparedFiles
}

/// What a preparation learns about the container being created.
public struct PreparationContext: Sendable {
    public var id: String
    /// The shim's containerd namespace (`-namespace`).
    public var namespace: String
    /// containerd's gRPC socket (the shim's `-address`).
    public var containerdAddress: String
    public var bundle: String
    public var spec: OCISpec
    /// The container's cgroup memory limit in force, if any.
    public var memoryLimitBytes: UInt64?

    public init(id: String, namespace: String, containerdAddress: String, bundle: String, spec: OCISpec,
                memoryLimitBytes: UInt64?) {
        self.id = id
        self.namespace = namespace
        self.containerdAddress = containerdAddress
        self.bundle = bundle
        self.spec = spec
        self.memoryLimitBytes = memoryLimitBytes
    }
}

/// Files for the container's init, and notes for the shim's log.
public struct PreparedFiles: Sendable {
    public var files: [ContainerFile]
    public var warnings: [String]

    public init(files: [ContainerFile] = [], warnings: [String] = []) {
        self.files = files
        self.warnings = warnings
    }

    /// Closes the descriptors (the daemon's copies, once the init has its own).
    public func close() {
        for file in files { _ = Glibc.close(file.descriptor) }
    }
}

/// An open file the daemon hands the container's init under a name. The daemon's descriptor
/// is closed once the init is spawned; the init's copy is open during the payload's `prepare`
/// and closed after it.
public struct ContainerFile: Sendable, Equatable {
    public var name: String
    public var descriptor: Int32

    public init(name: String, descriptor: Int32) {
        self.name = name
        self.descriptor = descriptor
    }
}
