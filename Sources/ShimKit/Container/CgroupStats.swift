/// A cgroup's counters, the numbers containerd's `io.containerd.cgroups.v1.Metrics` and
/// `v2.Metrics` carry. Times are nanoseconds, sizes bytes; a nil limit means unlimited.
public struct CgroupStats: Sendable, Equatable {
    public var version: CgroupVersion
    public var memory: Memory?
    public var cpu: CPU?
    public var pids: Pids?

    public init(version: CgroupVersion, memory: Memory? = nil, cpu: CPU? = nil, pids: Pids? = nil) {
        self.version = version
        self.memory = memory
        self.cpu = cpu
        self.pids = pids
    }

    public struct Memory: Sendable, Equatable {
        public var usage: UInt64 = 0
        /// v1 memory.max_usage_in_bytes, v2 memory.peak (when the kernel has it).
        public var maxUsage: UInt64 = 0
        public var limit: UInt64?
        /// v1 memory.failcnt, v2 the `max` count of memory.events.
        public var failCount: UInt64 = 0
        public var swapUsage: UInt64?
        public var swapLimit: UInt64?
        /// Times the cgroup hit its limit and invoked the OOM killer (v1 has no such count: 0).
        public var oomEvents: UInt64 = 0
        /// Processes the OOM killer killed in the cgroup.
        public var oomKills: UInt64 = 0
        /// memory.stat as read (`cache`, `rss`, `total_rss` on v1; `anon`, `file` on v2).
        public var stat: [String: UInt64] = [:]
    }

    public struct CPU: Sendable, Equatable {
        public var usage: UInt64 = 0
        public var user: UInt64 = 0
        public var system: UInt64 = 0
        public var periods: UInt64 = 0
        public var throttledPeriods: UInt64 = 0
        public var throttledTime: UInt64 = 0
    }

    public struct Pids: Sendable, Equatable {
        public var current: UInt64 = 0
        public var limit: UInt64?
    }
}

extension Cgroup {
    /// Reads the cgroup's current counters. Controllers the host lacks are left nil.
    public func stats() throws(CgroupError) -> CgroupStats {
        switch version {
        case .v1: return try statsV1()
        case .v2: return try statsV2()
        }
    }

    private func read(_ directory: String?, _ name: String) -> String? {
        guard let directory else { return nil }
        return try? LinuxFile.readValue(directory + "/" + name)
    }

    private func number(_ directory: String?, _ name: String) -> UInt64? {
        read(directory, name).flatMap { UInt64($0) }
    }

    private func statsV1() throws(CgroupError) -> CgroupStats {
        var stats = CgroupStats(version: .v1)
        let memoryDirectory = directory(for: "memory")
        if let usage = number(memoryDirectory, "memory.usage_in_bytes") {
            var memory = CgroupStats.Memory(usage: usage)
            memory.maxUsage = number(memoryDirectory, "memory.max_usage_in_bytes") ?? 0
            memory.limit = read(memoryDirectory, "memory.limit_in_bytes").flatMap(CgroupValues.limit)
            memory.failCount = number(memoryDirectory, "memory.failcnt") ?? 0
            memory.swapUsage = number(memoryDirectory, "memory.memsw.usage_in_bytes")
            memory.swapLimit = read(memoryDirectory, "memory.memsw.limit_in_bytes").flatMap(CgroupValues.limit)
            memory.oomKills = CgroupValues.keyValues(read(memoryDirectory, "memory.oom_control") ?? "")["oom_kill"] ?? 0
            memory.stat = CgroupValues.keyValues(read(memoryDirectory, "memory.stat") ?? "")
            stats.memory = memory
        }
        let accounting = directory(for: "cpuacct")
        if let usage = number(accounting, "cpuacct.usage") {
            var cpu = CgroupStats.CPU(usage: usage)
            // cpuacct.stat counts USER_HZ ticks (100 per second on Linux).
            let ticks = CgroupValues.keyValues(read(accounting, "cpuacct.stat") ?? "")
            cpu.user = (ticks["user"] ?? 0) &* 10_000_000
            cpu.system = (ticks["system"] ?? 0) &* 10_000_000
            let throttling = CgroupValues.keyValues(read(directory(for: "cpu"), "cpu.stat") ?? "")
            cpu.periods = throttling["nr_periods"] ?? 0
            cpu.throttledPeriods = throttling["nr_throttled"] ?? 0
            cpu.throttledTime = throttling["throttled_time"] ?? 0
            stats.cpu = cpu
        }
        stats.pids = pidsStats()
        return stats
    }

    private func statsV2() throws(CgroupError) -> CgroupStats {
        var stats = CgroupStats(version: .v2)
        let directory = directories.first?.path
        if let usage = number(directory, "memory.current") {
            var memory = CgroupStats.Memory(usage: usage)
            memory.maxUsage = number(directory, "memory.peak") ?? 0
            memory.limit = read(directory, "memory.max").flatMap(CgroupValues.limit)
            memory.swapUsage = number(directory, "memory.swap.current")
            memory.swapLimit = read(directory, "memory.swap.max").flatMap(CgroupValues.limit)
            let events = CgroupValues.keyValues(read(directory, "memory.events") ?? "")
            memory.failCount = events["max"] ?? 0
            memory.oomEvents = events["oom"] ?? 0
            memory.oomKills = events["oom_kill"] ?? 0
            memory.stat = CgroupValues.keyValues(read(directory, "memory.stat") ?? "")
            stats.memory = memory
        }
        let cpuStat = CgroupValues.keyValues(read(directory, "cpu.stat") ?? "")
        if let usage = cpuStat["usage_usec"] {
            stats.cpu = CgroupStats.CPU(
                usage: usage &* 1000, user: (cpuStat["user_usec"] ?? 0) &* 1000,
                system: (cpuStat["system_usec"] ?? 0) &* 1000, periods: cpuStat["nr_periods"] ?? 0,
                throttledPeriods: cpuStat["nr_throttled"] ?? 0, throttledTime: (cpuStat["throttled_usec"] ?? 0) &* 1000)
        }
        stats.pids = pidsStats()
        return stats
    }

    private func pidsStats() -> CgroupStats.Pids? {
        let directory = directory(for: "pids")
        guard let current = number(directory, "pids.current") else { return nil }
        return CgroupStats.Pids(current: current, limit: read(directory, "pids.max").flatMap(CgroupValues.limit))
    }
}
