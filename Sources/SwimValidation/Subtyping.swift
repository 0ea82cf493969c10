import SwimTypes

/// The spec's "matching" relation between types, in one place.
///
/// Numbers and vectors match only themselves; the unknown type of unreachable code matches
/// everything. References follow Wasm 3.0: a non-null reference matches its nullable form,
/// heap types follow the lattice of `HeapType.matches` (declared subtypes, the abstract
/// hierarchies), and the bottom heap type of unreachable code matches every heap type. Type
/// indices are canonical, so two indices name equivalent types exactly when they are equal.
enum Subtyping {
    /// Whether a value of type `actual` may be used where `expected` is required.
    @inline(__always)
    static func matches(_ actual: OperandType, _ expected: OperandType, in types: ValidationContext) -> Bool {
        if actual == expected || actual.isUnknown || expected.isUnknown { return true }
        return referenceMatches(actual, expected, types)
    }

    private static func referenceMatches(_ actual: OperandType, _ expected: OperandType,
                                         _ types: ValidationContext) -> Bool {
        guard actual.isReference && expected.isReference else { return false }
        if actual.isNullable && !expected.isNullable { return false }
        if actual.hasBottomHeapType { return true }
        guard let a = actual.refType, let e = expected.refType else { return false }
        return a.heapType.matches(e.heapType, in: types)
    }

    static func matches(_ actual: ValueType, _ expected: ValueType, in types: ValidationContext) -> Bool {
        matches(OperandType(actual), OperandType(expected), in: types)
    }

    static func matches(_ actual: RefType, _ expected: RefType, in types: ValidationContext) -> Bool {
        actual.matches(expected, in: types)
    }
}
