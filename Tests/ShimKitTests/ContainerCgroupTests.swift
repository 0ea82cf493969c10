import Glibc
import Testing

@testable import ShimKit

/// This VM's layout: v1 controllers plus an empty cgroup2 mount (hybrid).
private let hybridMountinfo = """
    27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
    31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
    32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
    33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
    35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
    39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
    40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
    41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
    """

private let unifiedMountinfo = """
    27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
    30 27 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
    """

struct ContainerCgroupValueTests {
    @Test func layoutOfAHybridHostIsV1() {
        let layout = CgroupLayout.parse(mountinfo: hybridMountinfo)
        #expect(layout.version == .v1)
        #expect(layout.hierarchies.map(\.controllers) == [["cpu"], ["cpuacct"], ["memory"], ["pids"], ["name=systemd"]])
        #expect(layout.hierarchy(for: "memory")?.mountPoint == "/sys/fs/cgroup/memory")
        let memory = layout.hierarchies[2]
        #expect(layout.directory(of: "/default/c1", in: memory, ownCgroups: [:]) == "/sys/fs/cgroup/memory/default/c1")
        #expect(layout.directory(of: "c1", in: memory, ownCgroups: ["memory": "/shim/x"]) == "/sys/fs/cgroup/memory/shim/x/c1")
        #expect(layout.directory(of: "/../../etc", in: memory, ownCgroups: [:]) == "/sys/fs/cgroup/memory/etc")
    }

    @Test func layoutOfAUnifiedHostIsV2() {
        let layout = CgroupLayout.parse(mountinfo: unifiedMountinfo)
        #expect(layout.version == .v2)
        #expect(layout.hierarchies.count == 1)
        #expect(layout.directory(of: "/k8s/pod", in: layout.hierarchies[0], ownCgroups: [:]) == "/sys/fs/cgroup/k8s/pod")
        #expect(layout.directory(of: "c", in: layout.hierarchies[0], ownCgroups: ["": "/system.slice/x"]) == "/sys/fs/cgroup/system.slice/x/c")
    }

    @Test func v2ValuesAreConvertedFromTheSpecsV1Units() throws {
        #expect(CgroupValues.v2CPUWeight(shares: 1024) == "39")
        #expect(CgroupValues.v2CPUWeight(shares: 2) == "1")
        #expect(CgroupValues.v2CPUWeight(shares: 262_144) == "10000")
        #expect(CgroupValues.v2CPUWeight(shares: nil) == nil)
        #expect(CgroupValues.v2CPUMax(quota: 50000, period: 100_000) == "50000 100000")
        #expect(CgroupValues.v2CPUMax(quota: -1, period: nil) == "max 100000")
        #expect(CgroupValues.v2CPUMax(quota: nil, period: nil) == nil)
        #expect(try CgroupValues.v2SwapMax(swap: 96, limit: 64) == "32")
        #expect(try CgroupValues.v2SwapMax(swap: -1, limit: 64) == "max")
        #expect(try CgroupValues.v2SwapMax(swap: nil, limit: 64) == nil)
        #expect(throws: CgroupValues.Invalid.self) { try CgroupValues.v2SwapMax(swap: 32, limit: 64) }
        #expect(throws: CgroupValues.Invalid.self) { try CgroupValues.v2SwapMax(swap: 32, limit: nil) }
        #expect(CgroupValues.v2Memory(-1) == "max")
        #expect(CgroupValues.v1Memory(-1) == "-1")
        #expect(CgroupValues.v1Memory(0) == nil)
        #expect(CgroupValues.pidsMax(0) == "max")
        #expect(CgroupValues.pidsMax(12) == "12")
    }

    @Test func statFilesAreParsed() {
        #expect(CgroupValues.keyValues("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n") == ["low": 0, "high": 0, "max": 3, "oom": 1, "oom_kill": 1])
        #expect(CgroupValues.limit("max\n") == nil)
        #expect(CgroupValues.limit("9223372036854771712\n") == nil)
        #expect(CgroupValues.limit("33554432\n") == 33_554_432)
    }
}

@Suite(.serialized, .enabled(if: runningAsRoot, "cgroups need root"))
struct ContainerCgroupTests {
    private func path(_ tag: String) -> String { "/swim-shimkit-\(tag)-\(getpid())" }

    @Test func createAppliesResourcesAndDeleteRemovesIt() throws {
        let resources = OCISpec.Resources(
            memory: .init(limit: 64 << 20, reservation: 32 << 20),
            cpu: .init(shares: 512, quota: 50000, period: 100_000),
            pids: .init(limit: 10))
        let cgroup = try Cgroup.create(path: path("apply"), resources: resources)
        var deleted = false
        defer { if !deleted { try? cgroup.delete() } }
        #expect(cgroup.version == .v1)
        let memory = try #require(cgroup.directory(for: "memory"))
        #expect(memory.hasSuffix("/memory" + path("apply")))
        #expect(try LinuxFile.readValue(memory + "/memory.limit_in_bytes") == String(64 << 20))
        #expect(try LinuxFile.readValue(memory + "/memory.soft_limit_in_bytes") == String(32 << 20))
        let cpu = try #require(cgroup.directory(for: "cpu"))
        #expect(try LinuxFile.readValue(cpu + "/cpu.shares") == "512")
        #expect(try LinuxFile.readValue(cpu + "/cpu.cfs_quota_us") == "50000")
        let pids = try #require(cgroup.directory(for: "pids"))
        #expect(try LinuxFile.readValue(pids + "/pids.max") == "10")
        #expect(cgroup.effectiveMemoryLimit() == 64 << 20)
        // A new cpuset cgroup copies its parent's CPUs, or nobody could join it.
        if let cpuset = cgroup.directory(for: "cpuset") {
            #expect(try !LinuxFile.readValue(cpuset + "/cpuset.cpus").isEmpty)
        }

        try cgroup.update(OCISpec.Resources(memory: .init(limit: 128 << 20), pids: .init(limit: 0)))
        #expect(try LinuxFile.readValue(memory + "/memory.limit_in_bytes") == String(128 << 20))
        #expect(try LinuxFile.readValue(pids + "/pids.max") == "max")

        let stats = try cgroup.stats()
        #expect(stats.memory?.limit == 128 << 20)
        #expect(stats.pids?.current == 0)
        #expect(stats.pids?.limit == nil)
        #expect(stats.cpu != nil)
        #expect(try cgroup.processIDs().isEmpty)

        try cgroup.delete()
        deleted = true
        for directory in cgroup.placement.directories {
            #expect(!LinuxFile.exists(directory.path))
        }
    }

    @Test func aBadResourceFailsCreateAndLeavesNothing() {
        let cgroupPath = path("bad")
        do {
            _ = try Cgroup.create(path: cgroupPath, resources: .init(cpu: .init(cpus: "999999")))
            Issue.record("an impossible cpuset was accepted")
        } catch {
            #expect(error.description.contains("cpuset.cpus"))
        }
        #expect(!LinuxFile.exists("/sys/fs/cgroup/memory" + cgroupPath))
    }

    @Test func pathsThatResolveToTheRootAreRefused() {
        #expect(throws: CgroupError.self) { try Cgroup.create(path: "/", resources: nil) }
        #expect(throws: CgroupError.self) { try Cgroup.create(path: "/a/..", resources: nil) }
        #expect(throws: CgroupError.self) { try Cgroup.create(path: "system.slice:cri:x", resources: nil) }
    }
}

@Suite(.serialized)
struct ReaperTests {
    private func spawnShell(_ script: String) throws -> Int32 {
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", script]
        let argv = words.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var cArguments = argv + [nil]
        let result = posix_spawn(&pid, "/bin/sh", nil, nil, &cArguments, environ)
        try #require(result == 0)
        return pid
    }

    @Test func reportsExitCodesAndSignals() throws {
        let exiting = try spawnShell("exit 3")
        let exited = try Reaper.shared.wait(pid: exiting)
        #expect((exited.pid, exited.code, exited.signaled) == (exiting, 3, false))

        let sleeping = try spawnShell("sleep 30")
        kill(sleeping, SIGUSR1)
        let status = try Reaper.shared.wait(pid: sleeping)
        #expect(status.signaled)
        #expect(status.status == 128 + SIGUSR1)
    }

    @Test func collectsAGrandchildAfterItsParentExits() throws {
        // The shell prints its background child's pid and exits; the child is reparented to
        // this process (a subreaper once the reaper exists) and collected here.
        let directory = makeTemporaryDirectory("reaper")
        defer { removeTree(directory) }
        _ = Reaper.shared
        let parent = try spawnShell("(sleep 0.3; exit 5) & echo $! > \(directory)/pid")
        #expect(try Reaper.shared.wait(pid: parent).status == 0)
        let grandchild = try #require(Int32(try LinuxFile.readValue(directory + "/pid")))
        let status = try Reaper.shared.wait(pid: grandchild)
        #expect((status.pid, status.code, status.signaled) == (grandchild, 5, false))
    }
}

@Suite(.serialized)
struct ReaperDaemonModeTests {
    /// `reapAllChildren` takes every child, so it runs in a process of its own: the test
    /// init binary's `reaper-check` mode.
    @Test func theDaemonModeCollectsUnwatchedChildrenAndOrphans() throws {
        let directory = makeTemporaryDirectory("reaper-daemon")
        defer { removeTree(directory) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, directory + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let words: [String] = [ContainerFixture.initExecutable, "reaper-check", directory]
        let argv = words.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var cArguments = argv + [nil]
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, ContainerFixture.initExecutable, &actions, nil, &cArguments, environ) == 0)
        #expect(try Reaper.shared.wait(pid: pid).status == 0)
        #expect(try LinuxFile.readString(directory + "/out") == "unwatched=6 orphan=9 collected=true\n")
    }
}
