import SwimTypes

/// Where a function keeps its values, in 8-byte slots from its frame pointer:
///
///     [parameters][declared locals][pad to the results' size][header: 3][operand stack]
///
/// Parameters are the caller's argument slots; results are written back over them.
struct FrameLayout {
    /// The slot of each local, parameters first.
    let localSlots: [Int]
    let localTypes: [ValueType]
    let parameterSlots: Int
    /// Slots of the declared (non-parameter) locals, zeroed on entry.
    let declaredLocalSlots: Int
    let headerSlot: Int
    var stackBase: Int { headerSlot + 3 }
    /// Slots the whole frame may use.
    let frameSlots: Int

    /// The header slot and frame size of a function, or nil when the frame is too
    /// large for 16-bit slot indices. Cheap: computed for every function at load.
    static func size(type: FunctionType, locals: [LocalRun],
                     maxStackSlots: Int) -> (headerSlot: Int, frameSlots: Int)? {
        var slots = 0
        for t in type.parameters { slots += t.slotCount }
        for run in locals {
            slots += Int(run.count) * run.type.slotCount
            if slots > maxSlots { return nil }
        }
        let resultSlots = type.results.reduce(0) { $0 + $1.slotCount }
        let headerSlot = Swift.max(slots, resultSlots)
        let frameSlots = headerSlot + 3 + maxStackSlots
        return frameSlots > maxSlots ? nil : (headerSlot, frameSlots)
    }

    /// The largest frame a handler can address with 16-bit slot indices.
    static let maxSlots = 65535

    init(type: FunctionType, locals: [LocalRun], maxStackSlots: Int) throws(TranslationError) {
        guard let size = FrameLayout.size(type: type, locals: locals, maxStackSlots: maxStackSlots) else {
            throw TranslationError.frameTooLarge
        }
        var slots: [Int] = []
        var types: [ValueType] = []
        var next = 0
        for t in type.parameters {
            slots.append(next)
            types.append(t)
            next += t.slotCount
        }
        parameterSlots = next
        for run in locals {
            // Bounded: `size` has checked that every local fits in the frame.
            for _ in 0..<run.count {
                slots.append(next)
                types.append(run.type)
                next += run.type.slotCount
            }
        }
        declaredLocalSlots = next - parameterSlots
        headerSlot = size.headerSlot
        frameSlots = size.frameSlots
        localSlots = slots
        localTypes = types
    }
}

extension ValueType {
    /// The 8-byte slots a value of this type takes: two for a v128, one otherwise.
    var slotCount: Int { self == .v128 ? 2 : 1 }
}

enum TranslationError: Error, CustomStringConvertible {
    case frameTooLarge

    var description: String {
        switch self {
        case .frameTooLarge: return "a function needs more than \(FrameLayout.maxSlots) value slots (an implementation limit)"
        }
    }
}
