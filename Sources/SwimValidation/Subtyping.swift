import SwimTypes

/// The spec's "matching" relation between types, in one place.
///
/// Wasm 2.0 has no proper subtyping: a type matches only itself, and the unknown
/// type of unreachable code matches everything. The reference rules below are already
/// those of Wasm 3.0 typed references (a non-null reference matches its nullable form,
/// a concrete function type matches `func`), so typed references only need to extend
/// `matches(_:_:)` for heap types (and GC's hierarchies) when they arrive.
enum Subtyping {
    /// Whether a value of type `actual` may be used where `expected` is required.
    @inline(__always)
    static func matches(_ actual: OperandType, _ expected: OperandType) -> Bool {
        if actual == expected || actual.isUnknown || expected.isUnknown { return true }
        guard let a = actual.refType, let e = expected.refType else { return false }
        return matches(a, e)
    }

    static func matches(_ actual: ValueType, _ expected: ValueType) -> Bool {
        matches(OperandType(actual), OperandType(expected))
    }

    static func matches(_ actual: RefType, _ expected: RefType) -> Bool {
        if actual.nullable && !expected.nullable { return false }
        return matches(actual.heapType, expected.heapType)
    }

    static func matches(_ actual: HeapType, _ expected: HeapType) -> Bool {
        switch (actual, expected) {
        case (.func, .func), (.extern, .extern), (.exn, .exn), (.noexn, .noexn), (.noexn, .exn):
            return true
        case (.index(let a), .index(let e)):
            return a == e
        case (.index, .func):
            // Every type the type section can hold is a function type.
            return true
        default:
            return false
        }
    }
}
