import Glibc
import Testing

@testable import ShimKit

/// The spec-driven parts of the confinement: seccomp profiles, capabilities, rlimits, mounts,
/// and the pause payload of a CRI sandbox.
@Suite(.serialized, .enabled(if: runningAsRoot, "containers need root"))
struct ContainerConfinementTests {
    @Test func theSpecsSeccompProfileStacksWithTheAllowList() throws {
        // uname is on the payload's allow-list; the spec's profile kills the process for it.
        let container = ContainerFixture("profile-kill", args: ["hostname"])
        container.spec.linux?.seccomp = .init(
            defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
            syscalls: [
                .init(names: ["uname"], action: "SCMP_ACT_KILL_PROCESS"),
                .init(names: ["no_such_call_in_any_kernel"], action: "SCMP_ACT_ERRNO"),
            ])
        defer { container.cleanup() }
        let process = try container.create()
        #expect(process.warnings.contains { $0.contains("no_such_call_in_any_kernel") })
        let status = try container.run()
        #expect(status.signaled)
        #expect(status.status == 128 + SIGSYS)
    }

    @Test func profileArgumentConditionsAndErrnoValuesApply() throws {
        // getcwd(buffer, 4096) is refused with EACCES only when its size argument is 4096.
        let container = ContainerFixture("profile-args", args: ["cwd"])
        container.spec.linux?.seccomp = .init(
            defaultAction: "SCMP_ACT_ALLOW",
            syscalls: [
                .init(
                    names: ["getcwd"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(EACCES),
                    args: [.init(index: 1, value: 4096, op: "SCMP_CMP_EQ")])
            ])
        defer { container.cleanup() }
        #expect(try container.run().status == 1)
        #expect(container.stdout == "getcwd failed errno=\(EACCES)\n")

        let unaffected = ContainerFixture("profile-args-ne", args: ["cwd"])
        unaffected.spec.process?.cwd = "/work"
        unaffected.spec.linux?.seccomp = .init(
            defaultAction: "SCMP_ACT_ALLOW",
            syscalls: [
                .init(
                    names: ["getcwd"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(EACCES),
                    args: [.init(index: 1, value: 10, op: "SCMP_CMP_EQ")])
            ])
        defer { unaffected.cleanup() }
        #expect(try unaffected.run().status == 0)
        #expect(unaffected.stdout == "/work\n")
    }

    @Test func anUnknownSyscallInTheAllowListFailsCreate() throws {
        let container = ContainerFixture("bad-allow", args: ["bad-allow-list"])
        defer { container.cleanup() }
        do {
            try container.create()
            Issue.record("create succeeded")
        } catch let error as ContainerError {
            #expect(error.description.hasPrefix("installing the seccomp filter: seccomp_syscall_resolve_name(no_such_syscall)"))
        }
    }

    @Test func capabilitiesAreReducedToTheSpecsSets() throws {
        let container = ContainerFixture("caps", args: ["sleep"])
        let kept = ["CAP_KILL", "CAP_NET_BIND_SERVICE"]
        container.spec.process?.capabilities = .init(
            bounding: kept + ["CAP_CHOWN"], effective: kept, inheritable: [], permitted: kept + ["CAP_CHOWN"],
            ambient: [])
        defer { container.cleanup() }
        let pid = try container.create().pid
        // CAP_KILL = bit 5, CAP_NET_BIND_SERVICE = bit 10, CAP_CHOWN = bit 0.
        #expect(processStatusField(pid, "CapEff") == "0000000000000420")
        #expect(processStatusField(pid, "CapPrm") == "0000000000000421")
        #expect(processStatusField(pid, "CapBnd") == "0000000000000421")
        #expect(processStatusField(pid, "CapInh") == "0000000000000000")
    }

    @Test func rlimitsAreAppliedAndARefusedRaiseIsClamped() throws {
        let container = ContainerFixture("rlimits", args: ["sleep"])
        var hostLimit = rlimit()
        getrlimit(__rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue)), &hostLimit)
        container.spec.process?.rlimits = [
            .init(type: "RLIMIT_CORE", hard: 0, soft: 0),
            .init(type: "RLIMIT_NOFILE", hard: UInt64(hostLimit.rlim_max) + 1_000_000, soft: 256),
        ]
        defer { container.cleanup() }
        let process = try container.create()
        let limits = try LinuxFile.readString("/proc/\(process.pid)/limits")
        let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }
        #expect(core?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"])
        let files = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }
        let values = files?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).prefix(2).map(String.init)
        // With CAP_SYS_RESOURCE the raise succeeds; without it the hard limit stays the host's.
        let hasResourceCapability = processStatusField(getpid(), "CapEff").flatMap { UInt64($0, radix: 16) }.map { $0 & (1 << 24) != 0 } ?? false
        if hasResourceCapability {
            #expect(values == ["256", String(UInt64(hostLimit.rlim_max) + 1_000_000)])
        } else {
            #expect(values == ["256", String(hostLimit.rlim_max)])
            #expect(process.warnings.contains { $0.hasPrefix("RLIMIT_NOFILE: hard limit") })
        }
    }

    @Test func specMountsMaskedAndReadOnlyPathsAndDevices() throws {
        let container = ContainerFixture("mounts", args: ["sleep"])
        let shared = makeTemporaryDirectory("shared-data")
        defer { removeTree(shared) }
        try LinuxFile.create(shared + "/file", bytes: [42])
        container.spec.mounts = [
            .init(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            .init(destination: "/data", type: "bind", source: shared, options: ["rbind", "ro"]),
            .init(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
        ]
        // A file and a directory to mask (this kernel has no /proc/kcore), and a missing path.
        container.spec.linux?.maskedPaths = ["/proc/keys", "/proc/acpi", "/proc/nonexistent"]
        container.spec.linux?.readonlyPaths = ["/proc/sys"]
        container.spec.root?.readonly = true
        defer { container.cleanup() }
        let pid = String(try container.create().pid)

        #expect(mountOptions(of: pid, at: "/")?.contains("ro") == true)
        #expect(mountOptions(of: pid, at: "/data")?.contains("ro") == true)
        #expect(mountOptions(of: pid, at: "/proc/sys")?.contains("ro") == true)
        #expect(mountPoints(of: pid, under: "/proc/keys") == ["/proc/keys"])
        #expect(mountOptions(of: pid, at: "/proc/acpi")?.contains("ro") == true)
        #expect(try LinuxFile.readAll("/proc/\(pid)/root/proc/keys").isEmpty)
        #expect(mountPoints(of: pid, under: "/sys/fs/cgroup").contains("/sys/fs/cgroup/memory"))
        let root = "/proc/\(pid)/root"
        #expect(try LinuxFile.readAll(root + "/data/file") == [42])
        var info = stat()
        #expect(stat(root + "/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        #expect(stat(root + "/dev/urandom", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        var link = [CChar](repeating: 0, count: 64)
        #expect(readlink(root + "/dev/fd", &link, 63) > 0)
        // The container's memory cgroup directory is what it sees as /sys/fs/cgroup/memory.
        #expect(LinuxFile.exists(root + "/sys/fs/cgroup/memory/memory.limit_in_bytes"))
    }

    @Test func theSandboxPausesUntilKilled() throws {
        let terminated = ContainerFixture("sandbox-term", args: ["/pause"])
        terminated.spec.annotations = [OCISpec.containerTypeAnnotation: "sandbox"]
        terminated.spec.root?.readonly = true
        defer { terminated.cleanup() }
        let first = try terminated.create()
        try first.start()
        #expect(first.wait(timeout: .milliseconds(200)) == nil)
        try first.kill(signal: SIGTERM)
        #expect(first.wait(timeout: .seconds(10))?.status == 0)

        let killed = ContainerFixture("sandbox-kill", args: ["/pause"])
        killed.spec.annotations = [OCISpec.containerTypeAnnotation: "sandbox"]
        defer { killed.cleanup() }
        let second = try killed.create()
        try second.start()
        try second.kill(signal: SIGKILL)
        #expect(second.wait(timeout: .seconds(10))?.status == 137)
    }

    @Test func joiningAnotherContainersNamespaces() throws {
        // A pod: the sandbox holds the namespaces, the container joins them by path.
        let sandbox = ContainerFixture("pod-sandbox", args: ["/pause"])
        sandbox.spec.annotations = [OCISpec.containerTypeAnnotation: "sandbox"]
        sandbox.spec.hostname = "pod"
        defer { sandbox.cleanup() }
        let sandboxPID = try sandbox.create().pid

        let member = ContainerFixture("pod-member", args: ["hostname"])
        member.spec.hostname = nil
        member.spec.linux?.namespaces = [
            .init(type: "mount"), .init(type: "pid", path: "/proc/\(sandboxPID)/ns/pid"),
            .init(type: "uts", path: "/proc/\(sandboxPID)/ns/uts"), .init(type: "network", path: "/proc/\(sandboxPID)/ns/net"),
        ]
        defer { member.cleanup() }
        let process = try member.create()
        #expect(namespaceIdentity(String(process.pid), "net") == namespaceIdentity(String(sandboxPID), "net"))
        #expect(namespaceIdentity(String(process.pid), "pid") == namespaceIdentity(String(sandboxPID), "pid"))
        #expect(try member.run().status == 0)
        #expect(member.stdout == "pod\n")
    }
}
