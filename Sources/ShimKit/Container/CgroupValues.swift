/// The values written into cgroup files for the spec's resources, one function per file
/// and version. The runtime spec speaks cgroup v1 units; v2 needs conversions (as runc does).
/// A nil result means "leave the file alone".
enum CgroupValues {
    /// A requested value the cgroup files cannot express.
    struct Invalid: Error, Equatable {
        var message: String
    }

    // MARK: v1

    /// memory.limit_in_bytes / memory.memsw.limit_in_bytes: bytes, -1 for unlimited.
    static func v1Memory(_ value: Int64?) -> String? {
        guard let value, value != 0 else { return nil }
        return value < 0 ? "-1" : String(value)
    }

    /// pids.max (both versions): a count, or "max" when the limit is 0 or less.
    static func pidsMax(_ limit: Int64) -> String {
        limit > 0 ? String(limit) : "max"
    }

    // MARK: v2

    /// memory.max and memory.low: bytes or "max".
    static func v2Memory(_ value: Int64?) -> String? {
        guard let value, value != 0 else { return nil }
        return value < 0 ? "max" : String(value)
    }

    /// memory.swap.max: the spec's `swap` is memory plus swap; v2 limits swap alone.
    static func v2SwapMax(swap: Int64?, limit: Int64?) throws(Invalid) -> String? {
        guard let swap, swap != 0 else { return nil }
        if swap < 0 { return "max" }
        guard let limit, limit != 0 else {
            throw Invalid(message: "a swap limit needs a memory limit")
        }
        if limit < 0 { return "max" }
        guard swap >= limit else {
            throw Invalid(message: "memory+swap limit \(swap) is below the memory limit \(limit)")
        }
        return String(swap - limit)
    }

    /// cpu.weight (1...10000) from v1 cpu.shares (2...262144), runc's linear mapping.
    static func v2CPUWeight(shares: UInt64?) -> String? {
        guard let shares, shares != 0 else { return nil }
        let clamped = min(max(shares, 2), 262_144)
        return String(1 + ((clamped - 2) * 9999) / 262_142)
    }

    /// cpu.max: "quota period", with "max" for no quota; the period defaults to 100 ms.
    static func v2CPUMax(quota: Int64?, period: UInt64?) -> String? {
        if quota == nil, period == nil { return nil }
        let periodText = String(period.flatMap { $0 > 0 ? $0 : nil } ?? 100_000)
        guard let quota, quota > 0 else { return "max " + periodText }
        return "\(quota) \(periodText)"
    }

    // MARK: reading

    /// Parses "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control).
    static func keyValues(_ text: String) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = UInt64(parts[1]) else { continue }
            result[String(parts[0])] = value
        }
        return result
    }

    /// A limit file's value: nil for "max" (v2) or v1's "unlimited" (a page-rounded Int64.max).
    static func limit(_ text: String) -> UInt64? {
        let trimmed = text.split(separator: "\n").first.map(String.init) ?? ""
        guard trimmed != "max", let value = UInt64(trimmed), value < (1 << 62) else { return nil }
        return value
    }
}
