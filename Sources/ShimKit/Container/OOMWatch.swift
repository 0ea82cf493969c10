import CSeccomp
import Glibc

/// Calls back when the OOM killer acts in a cgroup, from a thread of its own, until stopped
/// or until the cgroup is removed.
///
/// - v1: an eventfd registered for `memory.oom_control` through `cgroup.event_control`; the
///   kernel signals it on every OOM in the cgroup (and once more when the cgroup is removed,
///   which is told apart by the directory being gone).
/// - v2: inotify on `memory.events`; a rise of its `oom_kill` count is an OOM kill.
public final class OOMWatch: Sendable {
    /// Written by `stop()`; owned (and closed) by this object, so it stays valid while the
    /// watching thread, which holds the object, can still poll it.
    private let stopEvent: Int32

    private init(stopEvent: Int32) {
        self.stopEvent = stopEvent
    }

    deinit {
        close(stopEvent)
    }

    /// Ends the watch; the callback is not called after the thread sees this.
    public func stop() {
        var one: UInt64 = 1
        _ = write(stopEvent, &one, 8)
    }

    static func start(cgroup: Cgroup, onOOM: @escaping @Sendable () -> Void) throws(CgroupError) -> OOMWatch {
        let stopEvent = shim_eventfd(0, shim_efd_cloexec())
        guard stopEvent >= 0 else { throw CgroupError(cgroup: cgroup.path, message: SystemCallError("eventfd").description) }
        let watch = OOMWatch(stopEvent: stopEvent)
        guard let directory = cgroup.directory(for: "memory") else {
            throw CgroupError(cgroup: cgroup.path, message: "the memory controller is not available on this host")
        }
        let source: OOMSource
        switch cgroup.version {
        case .v1: source = try .v1(directory: directory, cgroup: cgroup.path)
        case .v2: source = try .v2(directory: directory, cgroup: cgroup.path)
        }
        let started = Threads.spawn(name: "oom-watch") {
            watch.run(source, onOOM: onOOM)
        }
        guard started else {
            source.close()
            throw CgroupError(cgroup: cgroup.path, message: "cannot start the OOM watch thread")
        }
        return watch
    }

    private func run(_ source: OOMSource, onOOM: @Sendable () -> Void) {
        defer { source.close() }
        var lastKills = source.killCount()
        while true {
            var fds = [pollfd(fd: source.fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stopEvent, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            guard source.drain(), LinuxFile.isDirectory(source.directory) else { return }
            switch source.kind {
            case .eventFD:
                onOOM()
            case .inotify:
                let kills = source.killCount()
                if kills > lastKills { onOOM() }
                lastKills = kills
            }
        }
    }
}

/// What an OOM watch polls: a v1 eventfd or a v2 inotify descriptor.
private struct OOMSource: Sendable {
    enum Kind: Sendable { case eventFD, inotify }

    let kind: Kind
    let fd: Int32
    let directory: String

    static func v1(directory: String, cgroup: String) throws(CgroupError) -> OOMSource {
        let event = shim_eventfd(0, shim_efd_cloexec())
        guard event >= 0 else { throw CgroupError(cgroup: cgroup, message: SystemCallError("eventfd").description) }
        let control = open(directory + "/memory.oom_control", O_RDONLY | O_CLOEXEC)
        guard control >= 0 else {
            let error = SystemCallError("open", path: directory + "/memory.oom_control")
            Glibc.close(event)
            throw CgroupError(cgroup: cgroup, message: error.description)
        }
        // The kernel keeps its own reference to memory.oom_control once registered.
        defer { Glibc.close(control) }
        do {
            try LinuxFile.write("\(event) \(control)", to: directory + "/cgroup.event_control")
        } catch {
            Glibc.close(event)
            throw CgroupError(cgroup: cgroup, message: error.description)
        }
        return OOMSource(kind: .eventFD, fd: event, directory: directory)
    }

    static func v2(directory: String, cgroup: String) throws(CgroupError) -> OOMSource {
        let watcher = inotify_init1(Int32(IN_CLOEXEC))
        guard watcher >= 0 else { throw CgroupError(cgroup: cgroup, message: SystemCallError("inotify_init1").description) }
        guard inotify_add_watch(watcher, directory + "/memory.events", UInt32(IN_MODIFY)) >= 0 else {
            let error = SystemCallError("inotify_add_watch", path: directory + "/memory.events")
            Glibc.close(watcher)
            throw CgroupError(cgroup: cgroup, message: error.description)
        }
        return OOMSource(kind: .inotify, fd: watcher, directory: directory)
    }

    /// Consumes the pending notification; false when the descriptor failed.
    func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, kind == .eventFD ? 8 : $0.count) }
        return count > 0 || (count < 0 && errno == EINTR)
    }

    func killCount() -> UInt64 {
        guard kind == .inotify, let text = try? LinuxFile.readString(directory + "/memory.events") else { return 0 }
        return CgroupValues.keyValues(text)["oom_kill"] ?? 0
    }

    func close() {
        Glibc.close(fd)
    }
}

extension Cgroup {
    /// Starts watching for OOM kills; `onOOM` runs on the watch's thread. Stop the watch
    /// before deleting the cgroup (removal also ends it).
    public func watchOOM(_ onOOM: @escaping @Sendable () -> Void) throws(CgroupError) -> OOMWatch {
        try OOMWatch.start(cgroup: self, onOOM: onOOM)
    }
}
