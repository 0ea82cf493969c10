import SwimTypes

/// Safepoints: where a frame holds traced references when a collection may happen (see
/// `SafepointTable`). Types on the translator's stack are the store's, so a type index tells
/// a function type (never traced) from a struct or array type.
extension Translator {
    /// The slots of the entries that hold traced references in their canonical slots. Lazy
    /// entries hold none: a local's value is in the local (which `SafepointTable.locals`
    /// covers), and constants are null or functions.
    func liveReferenceSlots() -> [UInt16] {
        var live: [UInt16] = []
        for i in 0..<stack.count {
            let entry = stack[i]
            if entry.source == .canonical && entry.type.isTracedReference(in: instance.store.types) {
                live.append(UInt16(truncatingIfNeeded: entry.slot))
            }
        }
        return live
    }

    mutating func recordSafepoint(at position: Int, slots: [UInt16]) {
        safepoints.add(at: position, slots: slots)
    }

    /// Records the safepoint of the allocating instruction about to be emitted (its position
    /// plus one), with the references that were live before its operands were popped.
    mutating func recordAllocation(liveBefore slots: [UInt16]) {
        safepoints.add(at: code.position + 1, slots: slots)
    }
}
