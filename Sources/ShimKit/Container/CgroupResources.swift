extension Cgroup {
    /// Applies `resources` (at create, and for the Task service's Update). Only the values
    /// the spec sets are written. Returns warnings for limits this host cannot enforce.
    @discardableResult
    public func update(_ resources: OCISpec.Resources) throws(CgroupError) -> [String] {
        switch version {
        case .v1: return try updateV1(resources)
        case .v2: return try updateV2(resources)
        }
    }

    private func file(_ controller: String, _ name: String) throws(CgroupError) -> String {
        guard let directory = directory(for: controller) else {
            throw CgroupError(cgroup: path, message: "the \(controller) controller is not available on this host")
        }
        return directory + "/" + name
    }

    private func updateV1(_ resources: OCISpec.Resources) throws(CgroupError) -> [String] {
        var warnings: [String] = []
        if let memory = resources.memory {
            let limit = CgroupValues.v1Memory(memory.limit)
            var swap = CgroupValues.v1Memory(memory.swap)
            let swapFile = try file("memory", "memory.memsw.limit_in_bytes")
            if swap != nil, !LinuxFile.exists(swapFile) {
                warnings.append("swap accounting is off on this host; memory+swap limit not applied")
                swap = nil
            }
            // memory+swap may never drop below memory, so the order depends on the direction:
            // try limit first, and on refusal raise memory+swap first.
            if let limit {
                let limitFile = try file("memory", "memory.limit_in_bytes")
                do {
                    try write(limit, to: limitFile)
                    if let swap { try write(swap, to: swapFile) }
                } catch {
                    guard let swap else { throw error }
                    try write(swap, to: swapFile)
                    try write(limit, to: limitFile)
                }
            } else if let swap {
                try write(swap, to: swapFile)
            }
            if let reservation = CgroupValues.v1Memory(memory.reservation) {
                try write(reservation, to: try file("memory", "memory.soft_limit_in_bytes"))
            }
        }
        if let cpu = resources.cpu {
            if let shares = cpu.shares, shares != 0 { try write(String(shares), to: try file("cpu", "cpu.shares")) }
            // The period first: a quota is checked against the current period.
            if let period = cpu.period, period != 0 { try write(String(period), to: try file("cpu", "cpu.cfs_period_us")) }
            if let quota = cpu.quota, quota != 0 { try write(quota < 0 ? "-1" : String(quota), to: try file("cpu", "cpu.cfs_quota_us")) }
            if let cpus = cpu.cpus, !cpus.isEmpty { try write(cpus, to: try file("cpuset", "cpuset.cpus")) }
            if let mems = cpu.mems, !mems.isEmpty { try write(mems, to: try file("cpuset", "cpuset.mems")) }
        }
        if let pids = resources.pids {
            try write(CgroupValues.pidsMax(pids.limit), to: try file("pids", "pids.max"))
        }
        return warnings
    }

    private func updateV2(_ resources: OCISpec.Resources) throws(CgroupError) -> [String] {
        if let memory = resources.memory {
            let swap: String?
            do {
                swap = try CgroupValues.v2SwapMax(swap: memory.swap, limit: memory.limit)
            } catch {
                throw CgroupError(cgroup: path, message: error.message)
            }
            if let limit = CgroupValues.v2Memory(memory.limit) { try write(limit, to: try file("memory", "memory.max")) }
            if let swap { try write(swap, to: try file("memory", "memory.swap.max")) }
            if let low = CgroupValues.v2Memory(memory.reservation) { try write(low, to: try file("memory", "memory.low")) }
        }
        if let cpu = resources.cpu {
            if let weight = CgroupValues.v2CPUWeight(shares: cpu.shares) { try write(weight, to: try file("cpu", "cpu.weight")) }
            if let max = CgroupValues.v2CPUMax(quota: cpu.quota, period: cpu.period) { try write(max, to: try file("cpu", "cpu.max")) }
            if let cpus = cpu.cpus, !cpus.isEmpty { try write(cpus, to: try file("cpuset", "cpuset.cpus")) }
            if let mems = cpu.mems, !mems.isEmpty { try write(mems, to: try file("cpuset", "cpuset.mems")) }
        }
        if let pids = resources.pids {
            try write(CgroupValues.pidsMax(pids.limit), to: try file("pids", "pids.max"))
        }
        return []
    }
}
