import CSeccomp
import Glibc

/// How a process ended.
public struct ProcessExitStatus: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    /// The exit code, or the terminating signal for a killed process.
    public var code: Int32
    public var signaled: Bool
    /// When the process was reaped: recorded here once, and reported from here everywhere.
    public var time: WallClockTime

    public init(pid: Int32, code: Int32, signaled: Bool, time: WallClockTime = .now) {
        self.pid = pid
        self.code = code
        self.signaled = signaled
        self.time = time
    }

    /// The status containerd reports: the exit code, or 128 + signal.
    public var status: Int32 { signaled ? 128 &+ code : code }

    public var description: String {
        signaled ? "killed by signal \(code) (status \(status))" : "exited with status \(code)"
    }
}

/// Collects the exit status of the daemon's children and tells whoever watches them.
///
/// The daemon is a child subreaper (PR_SET_CHILD_SUBREAPER, set when the reaper is first
/// used): a container process forked by its init inside a new pid namespace is reparented to
/// the daemon when the init exits, so the daemon can collect its status. Each watched process
/// is followed through a pidfd, and collected with waitid(P_PIDFD), so the reaper never takes
/// a child someone else waits for. With `reapAllChildren()` (the daemon's mode) it also collects
/// every other child, orphans included, at least once a second; statuses nobody watched yet
/// are kept for a later `watch` of that pid.
public final class Reaper: Sendable {
    public static let shared = Reaper()

    private struct Watch {
        var pidfd: Int32
        var observers: [@Sendable (ProcessExitStatus) -> Void]
        /// Exited but not (yet) our child: its parent has not exited and reparented it.
        var pending = false
    }

    private struct State {
        var watches: [Int32: Watch] = [:]
        var unclaimed: [Int32: ProcessExitStatus] = [:]
        var unclaimedOrder: [Int32] = []
        var reapsAll = false
        var threadStarted = false
    }

    private let state = Monitor(State())
    /// Wakes the reaper thread when the watch list changes.
    private let wakeEvent: Int32
    private static let unclaimedCapacity = 1024

    private init() {
        _ = shim_prctl(PrctlOption.setChildSubreaper, 1, 0, 0, 0)
        wakeEvent = shim_eventfd(0, shim_efd_cloexec() | shim_efd_nonblock())
    }

    /// Also reaps children nobody watches (the shim daemon owns all its children). Not for
    /// processes that spawn and wait for children of their own, such as a test runner.
    public func reapAllChildren() {
        state.withLock { $0.reapsAll = true }
        startThreadIfNeeded()
        wake()
    }

    /// Calls `onExit` (on the reaper's thread) once `pid`, a child or a descendant that will be
    /// reparented to this process, has exited and been collected.
    public func watch(pid: Int32, onExit: @escaping @Sendable (ProcessExitStatus) -> Void) throws(SystemCallError) {
        enum Outcome {
            case exited(ProcessExitStatus)
            case watching
            case failed(SystemCallError)
        }
        let outcome = state.withLock { state -> Outcome in
            if let status = state.unclaimed.removeValue(forKey: pid) {
                state.unclaimedOrder.removeAll { $0 == pid }
                return .exited(status)
            }
            if state.watches[pid] != nil {
                state.watches[pid]?.observers.append(onExit)
                return .watching
            }
            let pidfd = shim_pidfd_open(pid, 0)
            guard pidfd >= 0 else { return .failed(SystemCallError("pidfd_open(\(pid))")) }  // close-on-exec
            state.watches[pid] = Watch(pidfd: pidfd, observers: [onExit])
            return .watching
        }
        switch outcome {
        case .exited(let status):
            onExit(status)
            return
        case .failed(let error):
            throw error
        case .watching:
            break
        }
        startThreadIfNeeded()
        wake()
    }

    /// Blocks until `pid` has exited (see `watch`).
    public func wait(pid: Int32) throws(SystemCallError) -> ProcessExitStatus {
        let result = Monitor<ProcessExitStatus?>(nil)
        try watch(pid: pid) { status in result.withLock { $0 = status } }
        return result.wait(until: nil) { $0 } ?? ProcessExitStatus(pid: pid, code: 0, signaled: false)
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeEvent, &one, 8)
    }

    private func startThreadIfNeeded() {
        let start = state.withLock { state -> Bool in
            if state.threadStarted { return false }
            state.threadStarted = true
            return true
        }
        guard start else { return }
        if !Threads.spawn(name: "reaper", { self.run() }) {
            // No thread now: let the next watch try again.
            state.withLock { $0.threadStarted = false }
        }
    }

    private func run() {
        while true {
            let (pids, fds, sweep) = state.withLock { state -> ([Int32], [pollfd], Bool) in
                let polled = Array(state.watches.filter { !$0.value.pending })
                let pids = polled.map(\.key)
                let fds = polled.map { pollfd(fd: $0.value.pidfd, events: Int16(POLLIN), revents: 0) }
                return (pids, fds, state.reapsAll || state.watches.values.contains { $0.pending })
            }
            var pollFDs = [pollfd(fd: wakeEvent, events: Int16(POLLIN), revents: 0)] + fds
            // Without the wake eventfd (creation failed), new watches are noticed by polling.
            let timeout: Int32 = wakeEvent < 0 ? 100 : (sweep ? 1000 : -1)
            let ready = poll(&pollFDs, nfds_t(pollFDs.count), timeout)
            if ready < 0, errno != EINTR { usleep(100_000) }
            if pollFDs[0].revents != 0 {
                var counter: UInt64 = 0
                _ = read(wakeEvent, &counter, 8)
            }
            var collectedAny = false
            for (pid, polled) in zip(pids, pollFDs.dropFirst()) where polled.revents != 0 {
                collectedAny = collect(pid) || collectedAny
            }
            if sweep || collectedAny { retryPending() }
            if state.withLock({ $0.reapsAll }) { sweepChildren() }
        }
    }

    /// Collects `pid` through its pidfd; marks it pending when it is not our child yet.
    @discardableResult
    private func collect(_ pid: Int32) -> Bool {
        guard let pidfd = state.withLock({ $0.watches[pid]?.pidfd }) else { return false }
        var info = siginfo_t()
        let result = shim_waitid_pidfd(pidfd, &info, WEXITED | WNOHANG)
        if result == 0, shim_siginfo_pid(&info) != 0 {
            deliver(Self.decode(&info))
            return true
        }
        if result < 0, errno == ECHILD {
            state.withLock { $0.watches[pid]?.pending = true }
        }
        return false
    }

    private func retryPending() {
        let pending = state.withLock { $0.watches.filter { $0.value.pending }.map(\.key) }
        for pid in pending { collect(pid) }
    }

    /// Reaps every child that has exited (the daemon's mode).
    private func sweepChildren() {
        while true {
            var info = siginfo_t()
            guard waitid(P_ALL, 0, &info, WEXITED | WNOHANG) == 0, shim_siginfo_pid(&info) != 0 else { return }
            deliver(Self.decode(&info))
        }
    }

    private func deliver(_ status: ProcessExitStatus) {
        let observers = state.withLock { state -> [@Sendable (ProcessExitStatus) -> Void] in
            guard let watch = state.watches.removeValue(forKey: status.pid) else {
                state.unclaimed[status.pid] = status
                state.unclaimedOrder.append(status.pid)
                if state.unclaimedOrder.count > Self.unclaimedCapacity {
                    state.unclaimed.removeValue(forKey: state.unclaimedOrder.removeFirst())
                }
                return []
            }
            close(watch.pidfd)
            return watch.observers
        }
        for observer in observers { observer(status) }
    }

    private static func decode(_ info: inout siginfo_t) -> ProcessExitStatus {
        let pid = shim_siginfo_pid(&info)
        let value = shim_siginfo_status(&info)
        let code = shim_siginfo_code(&info)
        // CLD_EXITED = 1; CLD_KILLED = 2 and CLD_DUMPED = 3 carry the signal.
        return ProcessExitStatus(pid: pid, code: value, signaled: code == 2 || code == 3)
    }
}
