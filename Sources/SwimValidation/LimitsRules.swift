import SwimTypes

/// The size limits of memories and tables.
extension ModuleValidator {
    func validate(_ memory: MemoryType, _ location: String) throws(ValidationError) {
        let limits = memory.limits
        let bound: UInt64
        let boundMessage: String
        if limits.is64 {
            guard features.contains(.memory64) else {
                throw ValidationError("64-bit memory requires the memory64 feature \(location)")
            }
            bound = MemoryType.maxPages64
            boundMessage = "memory size must be at most 2^48 pages (256TiB)"
        } else {
            bound = MemoryType.maxPages32
            boundMessage = "memory size must be at most 65536 pages (4GiB)"
        }
        try validate(limits, bound: bound, boundMessage: boundMessage, location)
        if limits.shared && limits.max == nil {
            throw ValidationError("shared memory must have maximum \(location)")
        }
    }

    func validate(_ table: TableType, _ location: String) throws(ValidationError) {
        try context.checkRefType(table.elementType, at: nil)
        let limits = table.limits
        if limits.is64 {
            guard features.contains(.memory64) else {
                throw ValidationError("64-bit table requires the memory64 feature \(location)")
            }
            try validate(limits, bound: .max, boundMessage: "table size must be at most 2^64-1", location)
        } else {
            try validate(limits, bound: UInt64(UInt32.max), boundMessage: "table size must be at most 2^32-1", location)
        }
    }

    /// The reference interpreter's order: the minimum, then the maximum, against the
    /// bound; then the minimum against the maximum.
    private func validate(
        _ limits: Limits, bound: UInt64, boundMessage: String, _ location: String
    ) throws(ValidationError) {
        guard limits.min <= bound else { throw ValidationError("\(boundMessage) \(location)") }
        guard let max = limits.max else { return }
        guard max <= bound else { throw ValidationError("\(boundMessage) \(location)") }
        guard limits.min <= max else {
            throw ValidationError(
                "size minimum must not be greater than maximum (\(limits.min) > \(max)) \(location)")
        }
    }
}
