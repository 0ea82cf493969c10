/// Subtyping of value types whose type indices all live in one index space, where equal
/// types have equal indices (a validator's canonical indices, or a store's type ids).
///
/// Without GC a function type has no declared supertypes, so the only proper subtypings are
/// nullability (`(ref ht)` <: `(ref null ht)`), a concrete function type under `func`, and
/// `noexn` (exception handling's bottom type) under `exn`.
extension HeapType {
    public func matches(_ expected: HeapType) -> Bool {
        switch (self, expected) {
        case (.func, .func), (.extern, .extern), (.exn, .exn), (.noexn, .noexn), (.noexn, .exn): return true
        case (.index(let a), .index(let e)): return a == e
        case (.index, .func): return true
        default: return false
        }
    }
}

extension RefType {
    public func matches(_ expected: RefType) -> Bool {
        (expected.nullable || !nullable) && heapType.matches(expected.heapType)
    }

    /// The same type with its type index `i`, if any, replaced by `map(i)`.
    public func mappingTypeIndices(_ map: (UInt32) -> UInt32) -> RefType {
        guard case .index(let i) = heapType else { return self }
        return RefType(nullable: nullable, heapType: .index(map(i)))
    }

    /// The same heap type, without null.
    public var nonNullable: RefType { RefType(nullable: false, heapType: heapType) }
}

extension ValueType {
    public func matches(_ expected: ValueType) -> Bool {
        if case .ref(let a) = self, case .ref(let e) = expected { return a.matches(e) }
        return self == expected
    }

    /// Whether the type has a default value: numbers, vectors and nullable references do.
    /// A local of another type must be set before it is read.
    public var isDefaultable: Bool {
        if case .ref(let r) = self { return r.nullable }
        return true
    }

    /// The same type with every type index `i` in it replaced by `map(i)`.
    public func mappingTypeIndices(_ map: (UInt32) -> UInt32) -> ValueType {
        guard case .ref(let r) = self else { return self }
        return .ref(r.mappingTypeIndices(map))
    }

    /// The type index a reference type names, if any.
    public var referencedTypeIndex: UInt32? {
        if case .ref(let r) = self, case .index(let i) = r.heapType { return i }
        return nil
    }
}

extension FunctionType {
    /// Whether a parameter or result refers to type `index` or a later one.
    public func refersToOrBeyond(_ index: UInt32) -> Bool {
        func refers(_ t: ValueType) -> Bool { t.referencedTypeIndex.map { $0 >= index } ?? false }
        return parameters.contains(where: refers) || results.contains(where: refers)
    }

    /// The same signature with every type index `i` in it replaced by `map(i)`.
    public func mappingTypeIndices(_ map: (UInt32) -> UInt32) -> FunctionType {
        FunctionType(parameters: parameters.map { $0.mappingTypeIndices(map) },
                     results: results.map { $0.mappingTypeIndices(map) })
    }
}
