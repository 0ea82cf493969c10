import SwimTypes

/// The spec's "matching" relation between types, in one place.
///
/// Numbers and vectors match only themselves; the unknown type of unreachable code matches
/// everything. References follow Wasm 3.0's typed references without GC: a non-null
/// reference matches its nullable form, a concrete function type matches `func`, and the
/// bottom heap type of unreachable code matches every heap type. Type indices are canonical,
/// so two indices name equivalent types exactly when they are equal.
enum Subtyping {
    /// Whether a value of type `actual` may be used where `expected` is required.
    @inline(__always)
    static func matches(_ actual: OperandType, _ expected: OperandType) -> Bool {
        if actual == expected || actual.isUnknown || expected.isUnknown { return true }
        return referenceMatches(actual, expected)
    }

    private static func referenceMatches(_ actual: OperandType, _ expected: OperandType) -> Bool {
        guard actual.isReference && expected.isReference else { return false }
        if actual.isNullable && !expected.isNullable { return false }
        if actual.hasBottomHeapType { return true }
        guard let a = actual.refType, let e = expected.refType else { return false }
        return a.heapType.matches(e.heapType)
    }

    static func matches(_ actual: ValueType, _ expected: ValueType) -> Bool {
        matches(OperandType(actual), OperandType(expected))
    }

    static func matches(_ actual: RefType, _ expected: RefType) -> Bool {
        actual.matches(expected)
    }
}
