/// The types a type section defines (Wasm 3.0 GC): function, struct and array types, each
/// with its subtyping declaration, grouped into recursion groups.

/// What a struct field or an array element stores: a value type, or a packed integer that
/// is read back as an i32 (`struct.get_s`/`_u`).
public enum StorageType: Hashable, Sendable {
    case value(ValueType)
    case i8
    case i16

    /// The type of the field's value on the operand stack: i32 for packed fields.
    public var unpacked: ValueType {
        if case .value(let t) = self { return t }
        return .i32
    }

    public var isPacked: Bool {
        if case .value = self { return false }
        return true
    }

    /// The bytes a field of this type takes in an object.
    public var byteSize: Int {
        switch self {
        case .i8: return 1
        case .i16: return 2
        case .value(let t):
            switch t {
            case .i32, .f32: return 4
            case .i64, .f64, .ref: return 8
            case .v128: return 16
            }
        }
    }
}

/// A struct field or array element type: its storage and whether it can be set.
public struct FieldType: Hashable, Sendable {
    public var storage: StorageType
    public var mutable: Bool

    public init(_ storage: StorageType, mutable: Bool = false) {
        self.storage = storage
        self.mutable = mutable
    }
}

/// The shape of a defined type.
public enum CompositeType: Hashable, Sendable {
    case function(FunctionType)
    case `struct`([FieldType])
    case array(FieldType)

    public var kind: CompositeKind {
        switch self {
        case .function: return .function
        case .struct: return .struct
        case .array: return .array
        }
    }
}

public enum CompositeKind: UInt8, Hashable, Sendable {
    case function
    case `struct`
    case array
}

/// A type definition: a composite type, the supertypes it declares (`sub $t ...`; at most
/// one in a valid module) and whether further subtypes are forbidden (`final`). A type
/// written without `sub` is final and has no supertype.
public struct DefinedType: Hashable, Sendable {
    public var composite: CompositeType
    public var supertypes: [UInt32]
    public var isFinal: Bool

    public init(_ composite: CompositeType, supertypes: [UInt32] = [], isFinal: Bool = true) {
        self.composite = composite
        self.supertypes = supertypes
        self.isFinal = isFinal
    }

    /// A final function type without supertypes (the only kind of type before GC).
    public init(function: FunctionType) {
        self.init(.function(function))
    }

    /// The function type, for a function type.
    public var functionType: FunctionType? {
        if case .function(let f) = composite { return f }
        return nil
    }

    /// The declared supertype, when there is exactly one.
    public var supertype: UInt32? { supertypes.count == 1 ? supertypes[0] : nil }

    /// The same definition with every type index `i` in it replaced by `map(i)`.
    public func mappingTypeIndices(_ map: (UInt32) -> UInt32) -> DefinedType {
        let composite: CompositeType
        switch self.composite {
        case .function(let f): composite = .function(f.mappingTypeIndices(map))
        case .struct(let fields): composite = .struct(fields.map { $0.mappingTypeIndices(map) })
        case .array(let element): composite = .array(element.mappingTypeIndices(map))
        }
        return DefinedType(composite, supertypes: supertypes.map(map), isFinal: isFinal)
    }

    /// Every type index the definition refers to (its supertypes first).
    public var referencedTypeIndices: [UInt32] {
        var result = supertypes
        func add(_ t: ValueType) { if let i = t.referencedTypeIndex { result.append(i) } }
        switch composite {
        case .function(let f):
            f.parameters.forEach(add)
            f.results.forEach(add)
        case .struct(let fields):
            for field in fields { if case .value(let t) = field.storage { add(t) } }
        case .array(let element):
            if case .value(let t) = element.storage { add(t) }
        }
        return result
    }
}

extension FieldType {
    public func mappingTypeIndices(_ map: (UInt32) -> UInt32) -> FieldType {
        guard case .value(let t) = storage else { return self }
        return FieldType(.value(t.mappingTypeIndices(map)), mutable: mutable)
    }
}

extension StorageType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .value(let t): return t.description
        case .i8: return "i8"
        case .i16: return "i16"
        }
    }
}

extension FieldType: CustomStringConvertible {
    public var description: String { mutable ? "(mut \(storage))" : storage.description }
}

extension DefinedType: CustomStringConvertible {
    public var description: String {
        let body: String
        switch composite {
        case .function(let f): body = "(func \(f))"
        case .struct(let fields): body = "(struct" + fields.map { " (field \($0))" }.joined() + ")"
        case .array(let element): body = "(array \(element))"
        }
        if isFinal && supertypes.isEmpty { return body }
        return "(sub " + (isFinal ? "final " : "") + supertypes.map { "\($0) " }.joined() + body + ")"
    }
}

/// Canonical forms of recursion groups, for iso-recursive type equivalence: two types are
/// equivalent when they sit at the same position of equivalent groups, and two groups are
/// equivalent when they have the same shape once every reference to a type outside the group
/// is replaced by the canonical index of that type, and every reference inside the group by
/// its position in the group.
public enum RecursionGroupKey {
    /// Marks a reference to the group's own type at `position` (the other values are canonical
    /// indices of earlier types, which stay far below this bit).
    public static let internalBit: UInt32 = 1 << 31

    /// The key of the group of types `types`, the first at index `start`; `canonical(i)` gives
    /// the canonical index of an earlier type `i`. A reference past the group (invalid: an
    /// unknown type) becomes `UInt32.max`, so that such groups never equal valid ones.
    public static func key(of types: ArraySlice<DefinedType>, start: UInt32,
                           canonical: (UInt32) -> UInt32) -> [DefinedType] {
        let end = start &+ UInt32(truncatingIfNeeded: types.count)
        return types.map { type in
            type.mappingTypeIndices { index in
                if index >= end { return UInt32.max }
                if index >= start { return internalBit | (index - start) }
                return canonical(index)
            }
        }
    }
}
