import Glibc

/// Starts the init process from the multithreaded daemon with posix_spawn: the child runs
/// nothing of the daemon's between fork and exec (no lock a daemon thread holds can bite).
enum InitSpawner {
    /// Spawns `executable` with stdio on fds 0–2, the init channel's other end on fd 3 and
    /// `files` from fd 4 on, default signal dispositions and an empty signal mask. Returns the
    /// daemon's end of the channel (close-on-exec) and the init's pid.
    static func spawn(executable: String, arguments: [String], stdio: ContainerStdio,
                      files: [Int32] = []) throws(ContainerError) -> (Int32, Int32) {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .spawnFailed(SystemCallError("socketpair"))
        }
        let (daemonEnd, initEnd) = (pair[0], pair[1])
        defer { close(initEnd) }
        do {
            let pid = try ProcessSpawner.spawn(
                executable: executable, arguments: arguments,
                descriptors: [stdio.stdin, stdio.stdout, stdio.stderr, initEnd] + files)
            return (daemonEnd, pid)
        } catch {
            close(daemonEnd)
            throw .spawnFailed(error)
        }
    }

    /// Where `files` are in the init: their names and descriptor numbers, from fd 4 on.
    static func initDescriptors(of files: [ContainerFile]) -> [String: Int32] {
        var numbers: [String: Int32] = [:]
        for (index, file) in files.enumerated() { numbers[file.name] = InitChannel.initDescriptor + 1 + Int32(index) }
        return numbers
    }
}

/// posix_spawn of this binary's other modes from the multithreaded daemon.
public enum ProcessSpawner {
    /// glibc's POSIX_SPAWN_SETSID (hidden behind _GNU_SOURCE): the child gets its own
    /// session, out of reach of signals sent to the parent's process group.
    private static let setSessionFlag: Int16 = 0x80

    /// Spawns `executable` in a new session with `descriptors` on fds 0, 1, 2, ... and nothing
    /// else open, default signal dispositions and an empty signal mask. Returns its pid.
    public static func spawn(executable: String, arguments: [String], descriptors: [Int32]) throws(SystemCallError) -> Int32 {
        // Every source is first copied above the targets, so placing one never overwrites
        // another not yet placed (stdout could be fd 3, say).
        var sources: [Int32] = []
        defer { sources.forEach { close($0) } }
        for fd in descriptors {
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            guard copy >= 0 else { throw SystemCallError("dup of fd \(fd)") }
            sources.append(copy)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK) | Int16(POSIX_SPAWN_SETSIGDEF) | setSessionFlag)

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var cArguments = argv + [nil]
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, &cArguments, environ)
        guard result == 0 else { throw SystemCallError("posix_spawn", path: executable, errno: result) }
        return pid
    }
}

/// The daemon's half of the init protocol (see `InitMessage`), from spawn to ready.
struct Handshake {
    let channel: Int32
    let initPID: Int32
    let initExit: Monitor<ProcessExitStatus?>
    let timeout: Duration
    var containerPID: Int32 = 0
    var warnings: [String] = []

    init(channel: Int32, initPID: Int32, initExit: Monitor<ProcessExitStatus?>, timeout: Duration) {
        self.channel = channel
        self.initPID = initPID
        self.initExit = initExit
        self.timeout = timeout
    }

    /// Reads until `ready`, for at most `timeout`; throws the container's own error, how the
    /// init ended, or that it took too long (a hung `prepare` must not block Create forever).
    mutating func run() throws {
        let deadline = MonotonicInstant.after(timeout)
        defer { setReceiveTimeout(nanoseconds: 0) }
        while true {
            let now = MonotonicInstant.now()
            guard now < deadline else { throw ContainerError.notReadyInTime(timeout) }
            setReceiveTimeout(nanoseconds: deadline.nanoseconds - now.nanoseconds)
            let received: InitMessage?
            do {
                received = try InitChannel.receive(on: channel)
            } catch let error as SystemCallError where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                throw ContainerError.notReadyInTime(timeout)
            }
            guard let message = received else {
                throw ContainerError.exitedBeforeReady(finalStatus())
            }
            switch message {
            case .pid(let pid):
                containerPID = pid
            case .warning(let text):
                warnings.append(text)
            case .failed(let text):
                throw ContainerError.setupFailed(text)
            case .ready:
                guard containerPID > 0 else { throw ContainerError.channel("ready before the pid") }
                if containerPID != initPID {
                    // The init forked and exits at once; after that the container process is
                    // the daemon's child, and the init no longer counts against pids.max.
                    let status = initExit.wait(until: .after(.seconds(10))) { $0 }
                    guard let status, status.status == 0 else {
                        throw ContainerError.channel("the init process \(status.map { "\($0)" } ?? "did not exit") after forking")
                    }
                }
                return
            case .configuration, .start:
                throw ContainerError.channel("unexpected message from the init")
            }
        }
    }

    /// Reads on the channel give up after this long (0: never).
    private func setReceiveTimeout(nanoseconds: UInt64) {
        var limit = timeval(tv_sec: Int(nanoseconds / 1_000_000_000), tv_usec: Int(nanoseconds % 1_000_000_000 / 1000))
        if nanoseconds > 0 && limit.tv_sec == 0 && limit.tv_usec == 0 { limit.tv_usec = 1 }
        setsockopt(channel, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// After a failure: the channel is closed, the processes are killed and collected, so a
    /// failed Create leaves nothing running (and the cgroup can be removed).
    func abandon() {
        close(channel)
        if initExit.withLock({ $0 }) == nil { kill(initPID, SIGKILL) }
        if containerPID > 0, containerPID != initPID {
            kill(containerPID, SIGKILL)
            let gone = Monitor(false)
            if (try? Reaper.shared.watch(pid: containerPID, onExit: { _ in gone.withLock { $0 = true } })) != nil {
                _ = gone.wait(until: .after(.seconds(5))) { $0 ? true : nil }
            }
        }
        _ = initExit.wait(until: .after(.seconds(5))) { $0 }
    }

    /// How the container ended, once the channel closed without `ready`.
    private func finalStatus() -> ProcessExitStatus {
        if containerPID > 0, containerPID != initPID, let status = try? Reaper.shared.wait(pid: containerPID) {
            return status
        }
        return initExit.wait(until: nil) { $0 } ?? ProcessExitStatus(pid: initPID, code: 0, signaled: false)
    }
}
