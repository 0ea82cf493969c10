import ContainerdAPI
import SwiftProtobuf

/// Cgroup statistics as the metrics messages containerd (and kubelet, through CRI) expect
/// from Stats: `io.containerd.cgroups.v1.Metrics` or `io.containerd.cgroups.v2.Metrics`.
enum ContainerMetrics {
    static func message(from stats: CgroupStats) throws -> Google_Protobuf_Any {
        switch stats.version {
        case .v1: return try EventPublisher.wrap(v1(stats))
        case .v2: return try EventPublisher.wrap(v2(stats))
        }
    }

    static func v1(_ stats: CgroupStats) -> Io_Containerd_Cgroups_V1_Metrics {
        var metrics = Io_Containerd_Cgroups_V1_Metrics()
        if let pids = stats.pids {
            metrics.pids.current = pids.current
            metrics.pids.limit = pids.limit ?? 0
        }
        if let cpu = stats.cpu {
            metrics.cpu.usage.total = cpu.usage
            metrics.cpu.usage.user = cpu.user
            metrics.cpu.usage.kernel = cpu.system
            metrics.cpu.throttling.periods = cpu.periods
            metrics.cpu.throttling.throttledPeriods = cpu.throttledPeriods
            metrics.cpu.throttling.throttledTime = cpu.throttledTime
        }
        if let memory = stats.memory {
            metrics.memory.usage.usage = memory.usage
            metrics.memory.usage.max = memory.maxUsage
            metrics.memory.usage.limit = memory.limit ?? UInt64.max
            metrics.memory.usage.failcnt = memory.failCount
            metrics.memory.swap.usage = memory.swapUsage ?? 0
            metrics.memory.swap.limit = memory.swapLimit ?? 0
            metrics.memory.cache = memory.stat["cache"] ?? 0
            metrics.memory.rss = memory.stat["rss"] ?? 0
            metrics.memory.mappedFile = memory.stat["mapped_file"] ?? 0
            metrics.memory.pgFault = memory.stat["pgfault"] ?? 0
            metrics.memory.pgMajFault = memory.stat["pgmajfault"] ?? 0
            metrics.memory.inactiveFile = memory.stat["inactive_file"] ?? 0
            metrics.memory.activeFile = memory.stat["active_file"] ?? 0
            metrics.memory.inactiveAnon = memory.stat["inactive_anon"] ?? 0
            metrics.memory.activeAnon = memory.stat["active_anon"] ?? 0
            metrics.memory.totalCache = memory.stat["total_cache"] ?? 0
            metrics.memory.totalRss = memory.stat["total_rss"] ?? 0
            metrics.memory.totalInactiveFile = memory.stat["total_inactive_file"] ?? 0
            metrics.memoryOomControl.oomKill = memory.oomKills
        }
        return metrics
    }

    static func v2(_ stats: CgroupStats) -> Io_Containerd_Cgroups_V2_Metrics {
        var metrics = Io_Containerd_Cgroups_V2_Metrics()
        if let pids = stats.pids {
            metrics.pids.current = pids.current
            metrics.pids.limit = pids.limit ?? 0
        }
        if let cpu = stats.cpu {
            // cgroup v2 reports microseconds.
            metrics.cpu.usageUsec = cpu.usage / 1000
            metrics.cpu.userUsec = cpu.user / 1000
            metrics.cpu.systemUsec = cpu.system / 1000
            metrics.cpu.nrPeriods = cpu.periods
            metrics.cpu.nrThrottled = cpu.throttledPeriods
            metrics.cpu.throttledUsec = cpu.throttledTime / 1000
        }
        if let memory = stats.memory {
            metrics.memory.usage = memory.usage
            metrics.memory.usageLimit = memory.limit ?? UInt64.max
            metrics.memory.maxUsage = memory.maxUsage
            metrics.memory.swapUsage = memory.swapUsage ?? 0
            metrics.memory.swapLimit = memory.swapLimit ?? 0
            metrics.memory.anon = memory.stat["anon"] ?? 0
            metrics.memory.file = memory.stat["file"] ?? 0
            metrics.memory.inactiveFile = memory.stat["inactive_file"] ?? 0
            metrics.memory.activeFile = memory.stat["active_file"] ?? 0
            metrics.memory.pgfault = memory.stat["pgfault"] ?? 0
            metrics.memory.pgmajfault = memory.stat["pgmajfault"] ?? 0
            metrics.memoryEvents.oom = memory.oomEvents
            metrics.memoryEvents.oomKill = memory.oomKills
        }
        return metrics
    }
}
