/// Where a function's frame holds references the collector traces, at each point where a
/// collection may happen while the frame is live (a safepoint): every call (the callee may
/// allocate) and every allocation. The translator knows the type of every slot there; the
/// collector reads this table when it walks the frames, so running code pays nothing.
///
/// A safepoint is found by its code position: a call's return position (the pc its callee
/// returns to), or an allocation's position plus one (the allocating handler's pc + 1; no
/// call returns there, as instructions take at least two words).
struct SafepointTable {
    /// The slots of the locals (parameters included) of traced types: valid at every
    /// safepoint, since parameters arrive set and declared locals start null.
    var locals: [UInt16] = []
    /// The safepoints' positions, ascending, and where their slots start in `slots`
    /// (each safepoint's slots end where the next one's start).
    private(set) var positions: [Int32] = []
    private(set) var starts: [Int32] = []
    /// The operand-stack slots of traced references at each safepoint.
    private(set) var slots: [UInt16] = []

    /// Whether any safepoint has slots to scan (else the collector skips the frame's stack).
    var isEmpty: Bool { locals.isEmpty && slots.isEmpty }

    /// Records a safepoint at `position`, after every one recorded so far; nothing is recorded
    /// when it has no slots (a missing safepoint has none).
    mutating func add(at position: Int, slots live: [UInt16]) {
        guard !live.isEmpty else { return }
        positions.append(Int32(truncatingIfNeeded: position))
        starts.append(Int32(truncatingIfNeeded: slots.count))
        slots.append(contentsOf: live)
    }

    /// The operand-stack slots of the safepoint at `position` (empty when there is none).
    func slots(at position: Int) -> ArraySlice<UInt16> {
        var low = 0
        var high = positions.count
        let key = Int32(truncatingIfNeeded: position)
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < key { low = mid + 1 } else { high = mid }
        }
        guard low < positions.count, positions[low] == key else { return [] }
        let end = low + 1 < starts.count ? Int(starts[low + 1]) : slots.count
        return slots[Int(starts[low])..<end]
    }
}
