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

    /// A heap type: a negative s33 for an abstract type (`func` 0x70, `extern` 0x6F), else a
    /// type index (typed function references). The heap types of GC are not supported.
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
        let parameters = try readResultType(features: features)
        let results = try readResultType(features: features)
        return FunctionType(parameters: parameters, results: results)
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
/// `exnref` and `nullexnref` with exception handling.
func refType(byte: UInt8, features: WasmFeatures) -> RefType? {
    switch byte {
    case 0x70: return .funcref
    case 0x6F: return features.contains(.referenceTypes) ? .externref : nil
    case 0x69: return features.contains(.exceptions) ? .exnref : nil
    case 0x74: return features.contains(.exceptions) ? RefType(nullable: true, heapType: .noexn) : nil
    default: return nil
    }
}
