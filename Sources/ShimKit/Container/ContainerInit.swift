import CSeccomp
import FoundationEssentials
import Glibc

/// The init side of a container: the code the shim binary runs when the daemon spawns it in
/// init mode. It must be called first thing in `main`, while the process is still
/// single-threaded (unshare and setns of some namespaces refuse threaded callers).
///
/// Order, and why (docs/confinement.md has the full story):
///  1. join the cgroup, so everything after, the fork included, is accounted and limited;
///  2. enter the namespaces; a new pid (or time) namespace applies to children, so fork once:
///     the child is the container process (pid 1 inside), the parent reports its pid and exits,
///     and the daemon, a child subreaper, inherits it;
///  3. build the file system view and pivot_root into the rootfs;
///  4. hostname, rlimits, user and groups, capabilities, no_new_privs;
///  5. the payload's `prepare` (module, preopens) with the final privileges;
///  6. the seccomp filters (the spec's profile, then the allow-list), report ready;
///  7. wait for Start, then `run` and exit with its status.
public enum ContainerInit {
    /// What ShimKit's own code still calls once the filter is in place: the channel's read,
    /// write and close, memory management for the Swift runtime and allocator, futex for its
    /// locks, the signal return path, getrandom for hashing seeds, and exiting.
    public static let runtimeSyscalls: [AllowedSyscall] = [
        "read", "write", "close", "exit", "exit_group", "rt_sigreturn", "restart_syscall", "brk", "mmap",
        "munmap", "mremap", "madvise", "mprotect", "futex", "getrandom", "sched_yield", "rt_sigprocmask",
    ]

    /// Signals that end a container by default; pid 1 of a pid namespace ignores them unless it
    /// handles them, so the container process handles them by exiting with 128 + signal.
    static let terminatingSignals = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM]

    /// Runs the container init and never returns. `payload` is asked for the payload once the
    /// container is built (the spec decides which: `PausePayload` for a CRI sandbox).
    public static func main(payload makePayload: (OCISpec) throws -> any ContainerPayload) -> Never {
        let channel = InitChannel.initDescriptor
        var info = stat()
        guard fstat(channel, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else {
            let message = "init mode is started by the shim daemon (fd 3 must be its channel)\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            _exit(2)
        }
        let configuration: InitConfiguration
        do {
            guard case .configuration(let bytes)? = try InitChannel.receive(on: channel) else { _exit(1) }
            configuration = try JSONDecoder().decode(InitConfiguration.self, from: Data(bytes))
        } catch {
            fail("reading the init configuration: \(error)")
        }
        // Nothing of the daemon's may leak into the container beyond stdio, the channel and
        // the files it handed over (fd 4 on).
        let lastHandedOver = channel + Int32(configuration.files.count)
        guard configuration.files.values.allSatisfy({ $0 > channel && $0 <= lastHandedOver }) else {
            fail("the init configuration names files the daemon did not hand over")
        }
        _ = shim_close_range(UInt32(lastHandedOver) + 1, UInt32.max, 0)
        do {
            try enterContainer(configuration)
            let context = ContainerContext(
                id: configuration.id, bundle: configuration.bundle, spec: configuration.spec,
                memoryLimitBytes: configuration.memoryLimitBytes, isPIDNamespaceInit: getpid() == 1,
                files: configuration.files)
            var payload: any ContainerPayload
            do {
                payload = try makePayload(configuration.spec)
                try payload.prepare(context)
            } catch {
                throw ContainerSetupError("preparing the payload", "\(error)")
            }
            // The handed-over files are the payload's during prepare only.
            for fd in configuration.files.values { close(fd) }
            try confineSyscalls(configuration.spec, payload: payload)
            try InitChannel.write(.ready, on: channel)
            guard case .start? = try InitChannel.receive(on: channel) else {
                // The daemon closed the channel: the task was deleted before it started.
                _exit(1)
            }
            close(channel)
            exit(payload.run())
        } catch {
            fail("\(error)")
        }
    }

    /// Reports a setup failure on the channel (Create fails with it) and exits.
    private static func fail(_ message: String) -> Never {
        try? InitChannel.write(.failed(message), on: InitChannel.initDescriptor)
        _exit(1)
    }

    private static func warn(_ text: String) {
        try? InitChannel.write(.warning(text), on: InitChannel.initDescriptor)
    }

    /// Steps 1 to 4; on return this process is the confined container process.
    private static func enterContainer(_ configuration: InitConfiguration) throws {
        let spec = configuration.spec
        if let cgroup = configuration.cgroup {
            for directory in cgroup.directories {
                do {
                    try LinuxFile.write(String(getpid()), to: directory.path + "/cgroup.procs")
                } catch {
                    throw ContainerSetupError("joining the cgroup", error)
                }
            }
        }
        let hostMountNamespace = mountNamespaceInode()
        if try Namespaces.enter(spec.linux?.namespaces ?? []) {
            let child = fork()
            if child < 0 { throw ContainerSetupError("forking into the new pid namespace", SystemCallError("fork")) }
            if child > 0 {
                // The parent's only job: say who the container process is, then leave it to the daemon.
                do {
                    try InitChannel.write(.pid(child), on: InitChannel.initDescriptor)
                } catch {
                    kill(child, SIGKILL)
                    _exit(1)
                }
                _exit(0)
            }
        } else {
            try InitChannel.write(.pid(getpid()), on: InitChannel.initDescriptor)
        }
        if getpid() == 1 { handleTerminatingSignals() }

        // Never rearrange the host's mounts: the steps below pivot the root away.
        guard let inode = mountNamespaceInode(), inode != hostMountNamespace else {
            throw ContainerSetupError("checking the mount namespace", SystemCallError("still in the host's mount namespace", errno: EPERM))
        }
        var filesystem = ContainerFilesystem(configuration)
        try filesystem.build()
        filesystem.warnings.forEach(warn)
        if let hostname = spec.hostname, !hostname.isEmpty {
            guard sethostname(hostname, hostname.utf8.count) == 0 else {
                throw ContainerSetupError("setting the hostname", SystemCallError("sethostname"))
            }
        }
        try ResourceLimit.apply(spec.process?.rlimits ?? []).forEach(warn)
        try switchUser(spec.process?.user ?? OCISpec.User())
        try CapabilitySets.apply(spec.process?.capabilities).forEach(warn)
        // Always, whatever process.noNewPrivileges says: without CAP_SYS_ADMIN the seccomp
        // filter can only be installed with it, and a payload never execs a setuid binary.
        guard shim_prctl(PrctlOption.setNoNewPrivileges, 1, 0, 0, 0) == 0 else {
            throw ContainerSetupError("setting no_new_privs", SystemCallError("prctl(PR_SET_NO_NEW_PRIVS)"))
        }
    }

    /// The inode of this process's mount namespace.
    private static func mountNamespaceInode() -> UInt64? {
        var info = stat()
        guard stat("/proc/self/ns/mnt", &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    /// Supplementary groups, gid, then uid; capabilities are kept across the uid change and
    /// reduced afterwards.
    private static func switchUser(_ user: OCISpec.User) throws(ContainerSetupError) {
        let groups = (user.additionalGids ?? []).map { gid_t($0) }
        guard groups.withUnsafeBufferPointer({ setgroups($0.count, $0.baseAddress) }) == 0 else {
            throw ContainerSetupError("setting supplementary groups", SystemCallError("setgroups"))
        }
        guard setgid(user.gid) == 0 else { throw ContainerSetupError("setting gid \(user.gid)", SystemCallError("setgid")) }
        if user.uid != 0 {
            _ = shim_prctl(PrctlOption.setKeepCaps, 1, 0, 0, 0)
            guard setuid(user.uid) == 0 else { throw ContainerSetupError("setting uid \(user.uid)", SystemCallError("setuid")) }
        }
    }

    /// The spec's profile first (loading the second filter needs seccomp(2), which the
    /// allow-list does not grant), then the allow-list of the runtime and the payload.
    private static func confineSyscalls(_ spec: OCISpec, payload: any ContainerPayload) throws(ContainerSetupError) {
        do {
            if let profile = spec.linux?.seccomp {
                let skipped = try SeccompFilter.install(profile: profile)
                if !skipped.isEmpty {
                    warn("seccomp profile: syscalls unknown to libseccomp skipped: \(skipped.joined(separator: ", "))")
                }
            }
            try SeccompFilter.installAllowList(runtimeSyscalls + payload.allowedSyscalls)
        } catch {
            throw ContainerSetupError("installing the seccomp filter", error.description)
        }
    }

    private static func handleTerminatingSignals() {
        for signal in terminatingSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in _exit(128 &+ signal) }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }
}
