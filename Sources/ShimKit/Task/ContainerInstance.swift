import Glibc

/// The container Swim runs: a process of this binary in init mode, confined by namespaces,
/// a cgroup and seccomp (see `ContainerProcess`), its rootfs mounted from Create's mounts.
public final class ContainerInstance: TaskInstance, @unchecked Sendable {
    public let id: String
    private let rootfsPath: String
    private let mountedRootfs: Bool
    /// The bundle's rootfs when nothing was mounted on it: what the container adds is removed.
    private let unmountedRootfs: UnmountedRootfs?
    private let cgroup: Cgroup?
    private let oomWatch: OOMWatch?
    private let process: ContainerProcess
    private let stdin: StdinRelay?

    public var pid: Int32 { process.pid }

    public required init(id: String, configuration: InstanceConfiguration) throws {
        self.id = id
        let bundle: OCIBundle
        do {
            bundle = try OCIBundle.load(path: configuration.bundle)
        } catch {
            throw InstanceError(.invalidArgument, "\(error)")
        }
        rootfsPath = bundle.rootfsPath

        // Everything acquired below is released again if a later step fails.
        var cleanup: [() -> Void] = []
        func fail(_ error: InstanceError) -> InstanceError {
            for step in cleanup.reversed() { step() }
            return error
        }

        if !configuration.rootfs.isEmpty {
            do {
                try RootfsMounts.mount(configuration.rootfs, onto: rootfsPath)
            } catch {
                throw fail(InstanceError(.internal, "mounting the rootfs: \(error)"))
            }
            cleanup.append { [rootfsPath] in try? RootfsMounts.unmount(rootfsPath) }
        }
        mountedRootfs = !configuration.rootfs.isEmpty
        // A rootfs given as an absolute path (`ctr run --rootfs DIR`) is not the bundle's.
        let ownsRootfs = !mountedRootfs && !(bundle.spec.root?.path ?? "").hasPrefix("/")
        do {
            unmountedRootfs = ownsRootfs ? try UnmountedRootfs(path: rootfsPath) : nil
        } catch {
            throw fail(InstanceError(.invalidArgument, "the bundle's rootfs: \(error)"))
        }
        cleanup.append { [unmountedRootfs] in try? unmountedRootfs?.removeAdditions() }

        var cgroup: Cgroup?
        if let path = Cgroup.path(for: bundle.spec, id: id) {
            do {
                cgroup = try Cgroup.create(path: path, resources: bundle.spec.linux?.resources)
            } catch {
                throw fail(InstanceError(.internal, "\(error)"))
            }
            cleanup.append { [cgroup] in try? cgroup?.delete() }
        }
        self.cgroup = cgroup
        oomWatch = try? cgroup?.watchOOM(configuration.onOOM)
        cleanup.append { [oomWatch] in oomWatch?.stop() }

        // The shim's own work for the container before its process exists (wasm layers from
        // containerd's content store, for ShimWasm). The daemon's descriptors are closed once
        // the init has its copies, or if Create fails.
        let prepared: PreparedFiles
        do {
            prepared = try configuration.preparation?.prepare(PreparationContext(
                id: id, namespace: configuration.namespace, containerdAddress: configuration.containerdAddress,
                bundle: bundle.path, spec: bundle.spec, memoryLimitBytes: cgroup?.effectiveMemoryLimit())) ?? PreparedFiles()
        } catch {
            throw fail(InstanceError(.failedPrecondition, "\(error)"))
        }
        defer { prepared.close() }
        preparationWarnings = prepared.warnings

        // The container process gets its own copies of the stdio descriptors: ours are closed
        // once it exists, or if Create fails on the way.
        var descriptors: [Int32] = []
        defer { descriptors.forEach { close($0) } }
        let relay: StdinRelay?
        do {
            relay = configuration.stdin.isEmpty ? nil : try StdinRelay(fifoPath: configuration.stdin)
            if let relay { cleanup.append { relay.close() } }
            descriptors.append(try relay.map { $0.readEnd } ?? Self.open("/dev/null", O_RDONLY))
            descriptors.append(try configuration.stdout.isEmpty ? Self.open("/dev/null", O_WRONLY) : Self.open(configuration.stdout, O_RDWR))
            descriptors.append(try configuration.stderr.isEmpty ? Self.open("/dev/null", O_WRONLY) : Self.open(configuration.stderr, O_RDWR))
        } catch let error as InstanceError {
            throw fail(error)
        }
        stdin = relay
        let stdio = ContainerStdio(stdin: descriptors[0], stdout: descriptors[1], stderr: descriptors[2])
        do {
            process = try ContainerProcess.create(
                id: id, bundle: bundle.path, spec: bundle.spec, rootfs: rootfsPath, stdio: stdio, cgroup: cgroup,
                files: prepared.files)
        } catch {
            throw fail(InstanceError(.invalidArgument, error.description))
        }
    }

    private static func open(_ path: String, _ flags: Int32) throws(InstanceError) -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC)
        guard fd >= 0 else {
            throw InstanceError(.invalidArgument, "opening \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    public func start() throws {
        do {
            try process.start()
        } catch {
            throw InstanceError(.failedPrecondition, error.description)
        }
    }

    public func kill(signal: Int32, all: Bool) throws {
        do {
            try process.kill(signal: signal, all: all)
        } catch .notRunning {
            throw InstanceError(.notFound, "process already finished")
        } catch {
            throw InstanceError(signal <= 0 || signal > 64 ? .invalidArgument : .internal, error.description)
        }
    }

    /// Non-fatal notes from setting the container up (clamped rlimits, skipped capabilities,
    /// unapplied cgroup settings), for the shim's log.
    public var warnings: [String] { preparationWarnings + (cgroup?.warnings ?? []) + process.warnings }
    private let preparationWarnings: [String]

    public var exit: ExitRecord? { process.exitStatus.map(Self.record) }

    public func onExit(_ handler: @escaping @Sendable (ExitRecord) -> Void) {
        process.onExit { status in handler(Self.record(status)) }
    }

    public func wait() -> ExitRecord {
        Self.record(process.wait())
    }

    private static func record(_ status: ProcessExitStatus) -> ExitRecord {
        ExitRecord(status: UInt32(bitPattern: status.status), time: status.time)
    }

    public func delete() throws {
        stdin?.close()
        oomWatch?.stop()
        var problems: [String] = []
        if let cgroup {
            do { try cgroup.delete() } catch { problems.append("\(error)") }
        }
        if mountedRootfs {
            do { try RootfsMounts.unmount(rootfsPath) } catch { problems.append("unmounting the rootfs: \(error)") }
        }
        do {
            try unmountedRootfs?.removeAdditions()
        } catch {
            problems.append("removing what the container left in the rootfs: \(error)")
        }
        if !problems.isEmpty { throw InstanceError(.internal, problems.joined(separator: "; ")) }
    }

    public func closeStdin() {
        stdin?.close()
    }

    public func stats() throws -> CgroupStats {
        guard let cgroup else { throw InstanceError(.notFound, "the container has no cgroup") }
        do {
            return try cgroup.stats()
        } catch {
            throw InstanceError(.internal, "\(error)")
        }
    }

    public func update(resources: OCISpec.Resources) throws {
        guard let cgroup else { throw InstanceError(.notFound, "the container has no cgroup") }
        do {
            _ = try cgroup.update(resources)
        } catch {
            throw InstanceError(.internal, "\(error)")
        }
    }
}
