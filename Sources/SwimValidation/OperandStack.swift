import SwimTypes

/// The operand stack of the validation algorithm: the types of the values a function
/// body has pushed, with the spec's polymorphic bottom for unreachable code.
///
/// `floor` and `polymorphic` mirror the innermost control frame (its start height and
/// unreachable flag), so a pop needs no look at the control stack. The storage is kept
/// from one function to the next, so validation allocates nothing per instruction.
struct OperandStack {
    private var values: [OperandType] = []
    /// The current height in 8-byte slots.
    private var slots = 0
    private(set) var maxHeight = 0
    private(set) var maxSlots = 0
    /// The height at which the innermost control frame started.
    var floor = 0
    /// Whether the innermost frame is unreachable: popping at its floor yields `unknown`.
    var polymorphic = false
    /// Slots the translator keeps for itself below operands (a legacy `catch` keeps the
    /// caught exception for `rethrow`): counted in `maxSlots`, invisible to typing.
    private var hiddenSlots = 0

    var height: Int { values.count }

    mutating func reset() {
        values.removeAll(keepingCapacity: true)
        slots = 0
        maxHeight = 0
        maxSlots = 0
        floor = 0
        polymorphic = false
        hiddenSlots = 0
    }

    /// Adds (or with a negative count, releases) slots hidden from typing.
    mutating func reserveHiddenSlots(_ count: Int) {
        hiddenSlots += count
        if slots + hiddenSlots > maxSlots { maxSlots = slots + hiddenSlots }
    }

    @inline(__always)
    mutating func push(_ type: OperandType) {
        values.append(type)
        slots += type.slotCount
        if values.count > maxHeight { maxHeight = values.count }
        if slots + hiddenSlots > maxSlots { maxSlots = slots + hiddenSlots }
    }

    /// Pops any value (the spec's `pop_val()`).
    @inline(__always)
    mutating func pop(at offset: Int) throws(ValidationError) -> OperandType {
        if values.count <= floor {
            if polymorphic { return .unknown }
            throw ValidationError(
                "type mismatch: instruction requires an operand but the stack is empty", offset: offset)
        }
        let type = values.removeLast()
        slots -= type.slotCount
        return type
    }

    /// Pops a value that must match `expected` (the spec's `pop_val(expect)`).
    @inline(__always)
    @discardableResult
    mutating func pop(_ expected: OperandType, at offset: Int) throws(ValidationError) -> OperandType {
        if values.count <= floor {
            if polymorphic { return .unknown }
            throw ValidationError(
                "type mismatch: instruction requires [\(expected)] but the stack is empty", offset: offset)
        }
        let actual = values.removeLast()
        slots -= actual.slotCount
        guard Subtyping.matches(actual, expected) else {
            throw ValidationError(
                "type mismatch: instruction requires [\(expected)] but the stack has [\(actual)]", offset: offset)
        }
        return actual
    }

    /// The type `depth` values below the top without popping: `unknown` in the
    /// polymorphic part of an unreachable frame, nil when the frame has no such value.
    func peek(depth: Int) -> OperandType? {
        let index = values.count - 1 - depth
        if index >= floor { return values[index] }
        return polymorphic ? .unknown : nil
    }

    /// Drops every value above `height` (the spec's `unreachable()` resets to the frame's floor).
    mutating func truncate(to height: Int) {
        while values.count > height {
            slots -= values.removeLast().slotCount
        }
    }
}
