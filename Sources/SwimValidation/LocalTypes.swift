import SwimTypes

/// The types of a function's locals: its parameters, then its declared locals.
///
/// The first `expansionLimit` locals are expanded into an array so `local.get` is one
/// indexed load. Declarations may name up to 2^32 locals, far too many to expand, so
/// the locals past the limit stay as (end, type) runs found by binary search.
/// The storage is reused from one function to the next.
///
/// It also tracks which declared locals of non-defaultable types (non-null references)
/// have been set, as the spec's algorithm does with `inits`: a block forgets, at its end,
/// the locals first set inside it.
struct LocalTypes {
    static let expansionLimit = 1 << 16

    private var expanded: [OperandType] = []
    /// For the locals past `expanded`: the exclusive end index of each run, ascending.
    private var runEnds: [Int] = []
    private var runTypes: [OperandType] = []
    private(set) var count = 0
    private var parameterCount = 0
    /// The non-defaultable declared locals set so far, in the order they were first set.
    private var initializationOrder: [UInt32] = []
    private var initialized: Set<UInt32> = []

    /// How many locals have been marked initialized: a block's mark, to reset to at its end.
    var initializationHeight: Int { initializationOrder.count }

    mutating func reset(
        parameters: TypeList, locals: [LocalRun], context: ValidationContext, at offset: Int
    ) throws(ValidationError) {
        expanded.removeAll(keepingCapacity: true)
        runEnds.removeAll(keepingCapacity: true)
        runTypes.removeAll(keepingCapacity: true)
        initializationOrder.removeAll(keepingCapacity: true)
        initialized.removeAll(keepingCapacity: true)
        for i in 0..<parameters.count {
            expanded.append(context.pool[parameters, i])
        }
        count = expanded.count
        parameterCount = count
        for run in locals {
            try context.checkValueType(run.type, at: offset)
            let type = OperandType(context.canonical(run.type))
            let runCount = Int(run.count)
            // The spec bounds the number of locals by 2^32 - 1.
            guard runCount <= Int(UInt32.max) - count else {
                throw ValidationError("too many locals", offset: offset)
            }
            let room = Self.expansionLimit - expanded.count
            let expandedCount = Swift.max(0, Swift.min(room, runCount))
            if expandedCount > 0 {
                expanded.append(contentsOf: repeatElement(type, count: expandedCount))
            }
            count += runCount
            if runCount > expandedCount {
                runEnds.append(count)
                runTypes.append(type)
            }
        }
    }

    /// The type of local `index`, or nil when there is no such local.
    @inline(__always)
    func type(_ index: UInt32) -> OperandType? {
        let i = Int(index)
        if i < expanded.count { return expanded[i] }
        guard i < count else { return nil }
        return typeInRuns(i)
    }

    /// Whether local `index` of type `type` may be read: parameters and locals with a default
    /// value always, others once set.
    @inline(__always)
    func isInitialized(_ index: UInt32, type: OperandType) -> Bool {
        type.isDefaultable || Int(index) < parameterCount || initialized.contains(index)
    }

    /// Records that local `index` of type `type` has been set.
    @inline(__always)
    mutating func markInitialized(_ index: UInt32, type: OperandType) {
        guard !isInitialized(index, type: type) else { return }
        initialized.insert(index)
        initializationOrder.append(index)
    }

    /// Forgets the locals first set after `height` (the end of the block that set them).
    mutating func resetInitialization(to height: Int) {
        while initializationOrder.count > height {
            initialized.remove(initializationOrder.removeLast())
        }
    }

    private func typeInRuns(_ index: Int) -> OperandType? {
        // The first run whose end lies past `index`.
        var low = 0
        var high = runEnds.count
        while low < high {
            let mid = low + (high - low) / 2
            if runEnds[mid] <= index { low = mid + 1 } else { high = mid }
        }
        return low < runTypes.count ? runTypes[low] : nil
    }
}
