import CSeccomp
import FoundationEssentials
import Glibc

/// Why a container could not be created, started or signalled.
public enum ContainerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The container process reported a setup failure (this is Create's error message).
    case setupFailed(String)
    /// The init process ended before reporting ready or an error.
    case exitedBeforeReady(ProcessExitStatus)
    case spawnFailed(SystemCallError)
    /// The process has exited (or was never started): nothing to start or signal.
    case notRunning
    case alreadyStarted
    case channel(String)
    /// The container process was not ready (prepare still running, or hung) within this time.
    case notReadyInTime(Duration)

    public var description: String {
        switch self {
        case .setupFailed(let message): return message
        case .exitedBeforeReady(let status): return "the container process \(status) before it was ready"
        case .spawnFailed(let error): return "spawning the container process: \(error)"
        case .notRunning: return "the container process is not running"
        case .alreadyStarted: return "the container process was already started"
        case .channel(let message): return "container init channel: \(message)"
        case .notReadyInTime(let limit): return "the container process was not ready within \(limit)"
        }
    }
}

/// The descriptors that become the container's stdin, stdout and stderr.
public struct ContainerStdio: Sendable {
    public var stdin: Int32
    public var stdout: Int32
    public var stderr: Int32

    public init(stdin: Int32, stdout: Int32, stderr: Int32) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// A container's process, seen from the daemon. `create` returns once the process is fully
/// confined and prepared (or throws the reason it could not be); `start` lets it run.
public final class ContainerProcess: Sendable {
    public let id: String
    /// The container process's pid, in the daemon's pid namespace.
    public let pid: Int32
    /// Non-fatal setup notes from the container process (skipped capabilities, clamped rlimits).
    public let warnings: [String]
    /// The cgroup the process runs in, as given to `create`.
    public let cgroup: Cgroup?

    private let pidfd: Int32
    /// The daemon's end of the init channel until Start.
    private let channel = Monitor<Int32?>(nil)
    private let exit = Monitor(ExitState())

    private struct ExitState {
        var status: ProcessExitStatus?
        var observers: [@Sendable (ProcessExitStatus) -> Void] = []
    }

    private init(id: String, pid: Int32, pidfd: Int32, channel: Int32, cgroup: Cgroup?, warnings: [String]) {
        self.id = id
        self.pid = pid
        self.pidfd = pidfd
        self.cgroup = cgroup
        self.warnings = warnings
        self.channel.withLock { $0 = channel }
    }

    deinit {
        channel.withLock { fd in if let fd { close(fd) } }
        close(pidfd)
    }

    /// This binary, to be spawned again in init mode.
    public static var selfExecutable: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "/proc/self/exe" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Spawns `initExecutable initArguments...` (whose main calls `ContainerInit.main`) and
    /// waits until the container is ready or has failed.
    ///
    /// - Parameters:
    ///   - rootfs: the mounted root file system (default: `root.path` of the spec, relative to `bundle`).
    ///   - cgroup: the container's cgroup, created and limited beforehand (`Cgroup.create`).
    ///   - files: open files for the payload (`ContainerContext.files`); the caller keeps and
    ///     closes its descriptors.
    ///   - readyTimeout: how long set-up and the payload's `prepare` may take before Create fails.
    public static func create(
        id: String, bundle: String, spec: OCISpec, rootfs: String? = nil, stdio: ContainerStdio,
        cgroup: Cgroup?, files: [ContainerFile] = [], initExecutable: String = selfExecutable,
        initArguments: [String] = ["init"], readyTimeout: Duration = .seconds(120)
    ) throws(ContainerError) -> ContainerProcess {
        do {
            try spec.validate()
        } catch {
            throw .setupFailed(error.description)
        }
        let configuration = InitConfiguration(
            id: id, bundle: bundle, rootfs: rootfs ?? OCIBundle.rootfsPath(of: spec, bundle: bundle), spec: spec,
            cgroup: cgroup?.placement, memoryLimitBytes: cgroup?.effectiveMemoryLimit(),
            files: InitSpawner.initDescriptors(of: files))
        let encoded: [UInt8]
        do {
            encoded = Array(try JSONEncoder().encode(configuration))
        } catch {
            throw .channel("encoding the configuration: \(error)")
        }
        let reaper = Reaper.shared
        let (daemonEnd, initPID) = try InitSpawner.spawn(
            executable: initExecutable, arguments: initArguments, stdio: stdio, files: files.map(\.descriptor))
        let initExit = Monitor<ProcessExitStatus?>(nil)
        do {
            try reaper.watch(pid: initPID) { status in initExit.withLock { $0 = status } }
        } catch {
            close(daemonEnd)
            throw .spawnFailed(error)
        }
        var handshake = Handshake(channel: daemonEnd, initPID: initPID, initExit: initExit, timeout: readyTimeout)
        do {
            try InitChannel.send(.configuration(encoded), on: daemonEnd)
            try handshake.run()
        } catch {
            handshake.abandon()
            if let error = error as? ContainerError { throw error }
            throw .channel("\(error)")
        }
        let pidfd = shim_pidfd_open(handshake.containerPID, 0)
        guard pidfd >= 0 else {
            handshake.abandon()
            throw .notRunning
        }
        let process = ContainerProcess(
            id: id, pid: handshake.containerPID, pidfd: pidfd, channel: daemonEnd, cgroup: cgroup,
            warnings: handshake.warnings)
        do {
            try reaper.watch(pid: process.pid) { [weak process] status in process?.exited(status) }
        } catch {
            throw .spawnFailed(error)
        }
        return process
    }

    /// Lets the container run its payload.
    public func start() throws(ContainerError) {
        let fd: Int32? = channel.withLock { fd in
            defer { fd = nil }
            return fd
        }
        guard let fd else { throw exitStatus == nil ? .alreadyStarted : .notRunning }
        defer { close(fd) }
        do {
            try InitChannel.send(.start, on: fd)
        } catch {
            throw .notRunning
        }
    }

    /// Sends `signal` to the container process; with `all`, to every process in its cgroup too.
    public func kill(signal: Int32, all: Bool = false) throws(ContainerError) {
        guard exitStatus == nil else { throw .notRunning }
        if shim_pidfd_send_signal(pidfd, signal) != 0 {
            if errno == ESRCH { throw .notRunning }
            throw .channel(SystemCallError("pidfd_send_signal(\(signal))").description)
        }
        guard all, let cgroup, let others = try? cgroup.processIDs() else { return }
        for other in others where other != pid {
            _ = Glibc.kill(other, signal)
        }
    }

    /// The exit status, once the process has exited and been reaped.
    public var exitStatus: ProcessExitStatus? { exit.withLock { $0.status } }

    /// Blocks until the process has exited.
    public func wait() -> ProcessExitStatus {
        exit.wait(until: nil) { $0.status } ?? ProcessExitStatus(pid: pid, code: 0, signaled: false)
    }

    /// Waits at most `timeout`; nil if the process is still running.
    public func wait(timeout: Duration) -> ProcessExitStatus? {
        exit.wait(until: .after(timeout)) { $0.status }
    }

    /// Calls `observer` once the process has exited (at once if it already has), on the
    /// reaper's thread: keep it short.
    public func onExit(_ observer: @escaping @Sendable (ProcessExitStatus) -> Void) {
        let known = exit.withLock { state -> ProcessExitStatus? in
            if state.status == nil { state.observers.append(observer) }
            return state.status
        }
        if let known { observer(known) }
    }

    private func exited(_ status: ProcessExitStatus) {
        let observers = exit.withLock { state -> [@Sendable (ProcessExitStatus) -> Void] in
            state.status = status
            defer { state.observers = [] }
            return state.observers
        }
        for observer in observers { observer(status) }
    }
}
