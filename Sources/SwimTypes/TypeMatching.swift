/// The spec's subtyping of value types ("matching"), for type indices of one index space in
/// which equivalent types have equal indices: a validator's canonical indices, or a store's
/// type ids. What a type index stands for comes from a `TypeHierarchy`.
public protocol TypeHierarchy {
    /// The kind of the defined type `index`, or nil when there is no such type.
    func compositeKind(of index: UInt32) -> CompositeKind?
    /// Whether defined type `sub` is `sup` or has it among its declared supertypes, transitively.
    func isSubtype(_ sub: UInt32, of sup: UInt32) -> Bool
}

extension HeapType {
    /// Whether a reference to `self` may be used where one to `expected` is required.
    public func matches(_ expected: HeapType, in types: some TypeHierarchy) -> Bool {
        switch (self, expected) {
        case (.index(let a), .index(let e)):
            return a == e || types.isSubtype(a, of: e)
        case (.index(let a), _):
            guard let kind = types.compositeKind(of: a) else { return false }
            switch expected {
            case .func: return kind == .function
            case .struct: return kind == .struct
            case .array: return kind == .array
            case .eq, .any: return kind != .function
            default: return false
            }
        case (_, .index(let e)):
            guard let kind = types.compositeKind(of: e) else { return false }
            switch self {
            case .none: return kind != .function
            case .nofunc: return kind == .function
            default: return false
            }
        default:
            return self == expected || abstractSupertypes.contains(expected)
        }
    }

    /// The abstract heap types strictly above an abstract heap type.
    private var abstractSupertypes: [HeapType] {
        switch self {
        case .none: return [.i31, .struct, .array, .eq, .any]
        case .i31, .struct, .array: return [.eq, .any]
        case .eq: return [.any]
        case .nofunc: return [.func]
        case .noextern: return [.extern]
        case .noexn: return [.exn]
        case .func, .extern, .any, .exn, .index: return []
        }
    }

    /// The top type of the hierarchy this heap type belongs to: `func`, `extern`, `exn` or
    /// `any` (nil for an unknown type index).
    public func top(in types: some TypeHierarchy) -> HeapType? {
        switch self {
        case .func, .nofunc: return .func
        case .extern, .noextern: return .extern
        case .exn, .noexn: return .exn
        case .any, .eq, .i31, .struct, .array, .none: return .any
        case .index(let i):
            guard let kind = types.compositeKind(of: i) else { return nil }
            return kind == .function ? .func : .any
        }
    }

    /// The bottom type of the hierarchy this heap type belongs to.
    public func bottom(in types: some TypeHierarchy) -> HeapType? {
        switch top(in: types) {
        case .func: return .nofunc
        case .extern: return .noextern
        case .exn: return .noexn
        case .any: return HeapType.none
        default: return nil
        }
    }
}

extension RefType {
    public func matches(_ expected: RefType, in types: some TypeHierarchy) -> Bool {
        (expected.nullable || !nullable) && heapType.matches(expected.heapType, in: types)
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
    public func matches(_ expected: ValueType, in types: some TypeHierarchy) -> Bool {
        if case .ref(let a) = self, case .ref(let e) = expected { return a.matches(e, in: types) }
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

extension StorageType {
    public func matches(_ expected: StorageType, in types: some TypeHierarchy) -> Bool {
        switch (self, expected) {
        case (.value(let a), .value(let e)): return a.matches(e, in: types)
        default: return self == expected
        }
    }
}

extension FieldType {
    /// An immutable field may be read as a supertype; a mutable one is read and written, so
    /// its type must stay the same.
    public func matches(_ expected: FieldType, in types: some TypeHierarchy) -> Bool {
        guard mutable == expected.mutable else { return false }
        return mutable ? storage == expected.storage : storage.matches(expected.storage, in: types)
    }
}

extension CompositeType {
    /// Whether a type of this shape may declare a supertype of shape `expected`: parameters
    /// are contravariant and results covariant; a struct may add fields at the end.
    public func matches(_ expected: CompositeType, in types: some TypeHierarchy) -> Bool {
        switch (self, expected) {
        case (.function(let a), .function(let e)):
            return a.parameters.count == e.parameters.count && a.results.count == e.results.count
                && zip(e.parameters, a.parameters).allSatisfy { $0.matches($1, in: types) }
                && zip(a.results, e.results).allSatisfy { $0.matches($1, in: types) }
        case (.struct(let a), .struct(let e)):
            return a.count >= e.count && zip(a, e).allSatisfy { $0.matches($1, in: types) }
        case (.array(let a), .array(let e)):
            return a.matches(e, in: types)
        default:
            return false
        }
    }
}

extension FunctionType {
    /// The same signature with every type index `i` in it replaced by `map(i)`.
    public func mappingTypeIndices(_ map: (UInt32) -> UInt32) -> FunctionType {
        FunctionType(parameters: parameters.map { $0.mappingTypeIndices(map) },
                     results: results.map { $0.mappingTypeIndices(map) })
    }
}
