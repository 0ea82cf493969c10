import SwimTypes

// The type encodings of the binary format: value, reference, function, table, memory
// and global types, and limits. A type outside the enabled features is malformed.

extension ByteReader {
    public mutating func readValueType(features: WasmFeatures) throws(MalformedError) -> ValueType {
        let start = offset
        let byte = try readTypeCode()
        if let type = valueType(byte: byte, features: features) { return type }
        if let ref = try readTypedReference(byte: byte, features: features) { return .ref(ref) }
        throw MalformedError("malformed value type", offset: start)
    }

    public mutating func readRefType(features: WasmFeatures) throws(MalformedError) -> RefType {
        let start = offset
        let byte = try readTypeCode()
        if let type = refType(byte: byte, features: features) { return type }
        if let ref = try readTypedReference(byte: byte, features: features) { return ref }
        throw MalformedError("malformed reference type", offset: start)
    }

    /// After the byte 0x63 (`ref null`) or 0x64 (`ref`) of typed function references, the heap
    /// type; nil for any other byte.
    mutating func readTypedReference(byte: UInt8, features: WasmFeatures) throws(MalformedError) -> RefType? {
        guard byte == 0x63 || byte == 0x64, features.contains(.functionReferences) else { return nil }
        return RefType(nullable: byte == 0x63, heapType: try readHeapType(features: features))
    }

    /// A heap type: a negative s33 for an abstract type (`func` 0x70, `extern` 0x6F, and with
    /// GC `any` 0x6E ... `noextern` 0x72), else a type index (typed function references).
    public mutating func readHeapType(features: WasmFeatures) throws(MalformedError) -> HeapType {
        let start = offset
        let value = try readVarInt33()
        if value >= 0 {
            guard features.contains(.functionReferences) else {
                throw MalformedError("malformed reference type", offset: start)
            }
            return .index(UInt32(truncatingIfNeeded: value))
        }
        // One-byte codes, read as s7: 0x70 is -16, 0x6F is -17.
        guard value >= -64, let type = refType(byte: UInt8(truncatingIfNeeded: value) & 0x7F, features: features) else {
            throw MalformedError("malformed reference type", offset: start)
        }
        return type.heapType
    }

    /// A function type: 0x60, the parameter types, the result types.
    public mutating func readFunctionType(features: WasmFeatures) throws(MalformedError) -> FunctionType {
        let start = offset
        guard try readTypeCode() == 0x60 else {
            throw MalformedError("malformed function type", offset: start)
        }
        return try readFunctionSignature(features: features)
    }

    /// The parameter and result types of a function type, after its 0x60.
    mutating func readFunctionSignature(features: WasmFeatures) throws(MalformedError) -> FunctionType {
        let parameters = try readResultType(features: features)
        let results = try readResultType(features: features)
        return FunctionType(parameters: parameters, results: results)
    }

    /// One entry of the type section with GC: a recursion group `0x4E vec(subtype)`, or a single
    /// subtype (a group of its own). Returns the group's types.
    public mutating func readRecursionGroup(features: WasmFeatures) throws(MalformedError) -> [DefinedType] {
        guard peekByte() == 0x4E else { return [try readSubtype(features: features)] }
        offset += 1
        let count = try readLength()
        var types: [DefinedType] = []
        types.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count { types.append(try readSubtype(features: features)) }
        return types
    }

    /// `0x50 vec(typeidx) comptype` (open to subtypes), `0x4F vec(typeidx) comptype` (final), or
    /// a bare composite type (final, no supertype).
    mutating func readSubtype(features: WasmFeatures) throws(MalformedError) -> DefinedType {
        guard let byte = peekByte(), byte == 0x50 || byte == 0x4F else {
            return DefinedType(try readCompositeType(features: features))
        }
        offset += 1
        let count = try readLength()
        var supertypes: [UInt32] = []
        supertypes.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count { supertypes.append(try readVarUInt32()) }
        let composite = try readCompositeType(features: features)
        return DefinedType(composite, supertypes: supertypes, isFinal: byte == 0x4F)
    }

    /// `0x60` function, `0x5F vec(fieldtype)` struct or `0x5E fieldtype` array.
    mutating func readCompositeType(features: WasmFeatures) throws(MalformedError) -> CompositeType {
        let start = offset
        switch try readTypeCode() {
        case 0x60:
            return .function(try readFunctionSignature(features: features))
        case 0x5F:
            let count = try readLength()
            var fields: [FieldType] = []
            fields.reserveCapacity(reservedCapacity(count))
            for _ in 0..<count { fields.append(try readFieldType(features: features)) }
            return .struct(fields)
        case 0x5E:
            return .array(try readFieldType(features: features))
        default:
            throw MalformedError("malformed composite type", offset: start)
        }
    }

    /// A storage type (a value type, or 0x78 i8, 0x77 i16) and its mutability.
    mutating func readFieldType(features: WasmFeatures) throws(MalformedError) -> FieldType {
        let storage: StorageType
        switch peekByte() {
        case 0x78:
            offset += 1
            storage = .i8
        case 0x77:
            offset += 1
            storage = .i16
        default:
            guard peekByte() != nil else { throw unexpectedEnd() }
            storage = .value(try readValueType(features: features))
        }
        let mutabilityOffset = offset
        switch try readByte() {
        case 0x00: return FieldType(storage, mutable: false)
        case 0x01: return FieldType(storage, mutable: true)
        default: throw MalformedError("malformed mutability", offset: mutabilityOffset)
        }
    }

    mutating func readResultType(features: WasmFeatures) throws(MalformedError) -> [ValueType] {
        let count = try readLength()
        var types: [ValueType] = []
        types.reserveCapacity(reservedCapacity(count))
        for _ in 0..<count {
            types.append(try readValueType(features: features))
        }
        return types
    }

    /// The byte of a type constructor. The binary format writes these as one-byte s7
    /// LEB128 values (0x7F is -1 ...), so a continuation bit is "integer representation
    /// too long", as in the reference interpreter.
    mutating func readTypeCode() throws(MalformedError) -> UInt8 {
        let byte = try readByte()
        guard byte & 0x80 == 0 else {
            throw MalformedError("integer representation too long", offset: offset)
        }
        return byte
    }

    /// Limits. In Wasm 2.0 the flag is a 1-bit LEB128 (so 0x02 is "integer too large"
    /// and 0x81 0x00 "integer representation too long") and the bounds are u32. memory64
    /// (Wasm 3.0) adds flags 4 and 5 for 64-bit address types, and reads every bound as a
    /// u64: a 32-bit memory's too-large bound is then invalid ("memory size"), not malformed.
    public mutating func readLimits(features: WasmFeatures) throws(MalformedError) -> Limits {
        let flagsOffset = offset
        let hasMax: Bool
        let is64: Bool
        if features.contains(.memory64) {
            let flags = try readByte()
            guard flags & ~0x05 == 0 else {
                throw MalformedError("malformed limits flags", offset: flagsOffset)
            }
            hasMax = flags & 0x01 != 0
            is64 = flags & 0x04 != 0
        } else {
            hasMax = try readVarUInt(bits: 1) == 1
            is64 = false
        }
        let wide = features.contains(.memory64)
        let min = try wide ? readVarUInt64() : UInt64(readVarUInt32())
        var max: UInt64?
        if hasMax {
            max = try wide ? readVarUInt64() : UInt64(readVarUInt32())
        }
        return Limits(min: min, max: max, is64: is64)
    }

    public mutating func readTableType(features: WasmFeatures) throws(MalformedError) -> TableType {
        let elementType = try readRefType(features: features)
        let limits = try readLimits(features: features)
        return TableType(elementType: elementType, limits: limits)
    }

    public mutating func readMemoryType(features: WasmFeatures) throws(MalformedError) -> MemoryType {
        MemoryType(limits: try readLimits(features: features))
    }

    /// A tag type (exception handling): an attribute byte, which must be 0 (exception), and
    /// the index of its function type.
    public mutating func readTagType() throws(MalformedError) -> UInt32 {
        let start = offset
        guard try readByte() == 0x00 else {
            throw MalformedError("malformed tag attribute", offset: start)
        }
        return try readVarUInt32()
    }

    public mutating func readGlobalType(features: WasmFeatures) throws(MalformedError) -> GlobalType {
        let valueType = try readValueType(features: features)
        let start = offset
        let mutability: Mutability
        switch try readByte() {
        case 0x00: mutability = .constant
        case 0x01: mutability = .variable
        default: throw MalformedError("malformed mutability", offset: start)
        }
        return GlobalType(mutability: mutability, valueType: valueType)
    }
}

/// The value type a byte encodes, or nil.
func valueType(byte: UInt8, features: WasmFeatures) -> ValueType? {
    switch byte {
    case 0x7F: return .i32
    case 0x7E: return .i64
    case 0x7D: return .f32
    case 0x7C: return .f64
    case 0x7B: return features.contains(.simd) ? .v128 : nil
    default:
        if let ref = refType(byte: byte, features: features) { return .ref(ref) }
        return nil
    }
}

/// The reference type a byte encodes, or nil. `externref` comes with reference types,
/// `exnref` and `nullexnref` with exception handling, the abstract types of the `any`
/// hierarchy and the bottom types with GC.
func refType(byte: UInt8, features: WasmFeatures) -> RefType? {
    switch byte {
    case 0x70: return .funcref
    case 0x6F: return features.contains(.referenceTypes) ? .externref : nil
    case 0x69: return features.contains(.exceptions) ? .exnref : nil
    case 0x74: return features.contains(.exceptions) ? RefType(nullable: true, heapType: .noexn) : nil
    default:
        guard features.contains(.gc) else { return nil }
        switch byte {
        case 0x6E: return .anyref
        case 0x6D: return .eqref
        case 0x6C: return .i31ref
        case 0x6B: return .structref
        case 0x6A: return .arrayref
        case 0x71: return .nullref
        case 0x73: return .nullfuncref
        case 0x72: return .nullexternref
        default: return nil
        }
    }
}
