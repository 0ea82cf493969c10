import SwimTypes

/// A streaming decoder of instructions, for function bodies and constant expressions.
///
/// It decodes one instruction per `read()`, without allocating except for the vectors
/// of `br_table`, typed `select` and `try_table`. It does not check that blocks are balanced or that
/// the body ends with its final `end` (the validator does), but it never reads outside
/// its range and never traps, whatever the bytes. Opcodes of proposals missing from
/// `features` are "illegal opcode".
public struct InstructionReader: Sendable {
    var input: ByteReader
    public let features: WasmFeatures
    /// Whether the module has a data count section; `memory.init` and `data.drop`
    /// are malformed without one ("data count section required").
    public let hasDataCount: Bool

    /// A reader over `range` of `bytes` (clamped to the array).
    public init(bytes: [UInt8], range: Range<Int>, features: WasmFeatures = .default, hasDataCount: Bool = true) {
        self.input = ByteReader(bytes: bytes, range: range)
        self.features = features
        self.hasDataCount = hasDataCount
    }

    /// A reader over the instructions of one function body of `module`.
    public init(module: DecodedModule, body: FunctionBody, features: WasmFeatures = .default) {
        self.init(bytes: module.bytes, range: body.range, features: features, hasDataCount: module.dataCount != nil)
    }

    /// Absolute offset of the next instruction.
    public var offset: Int { input.offset }

    /// Absolute offset just past the range.
    public var end: Int { input.end }

    public var isAtEnd: Bool { input.isAtEnd }

    public mutating func read() throws(MalformedError) -> Instruction {
        let start = input.offset
        let opcode = try input.readByte()
        switch opcode {
        case 0x00: return .unreachable
        case 0x01: return .nop
        case 0x02: return .block(try readBlockType())
        case 0x03: return .loop(try readBlockType())
        case 0x04: return .if(try readBlockType())
        case 0x05: return .else
        case 0x06:
            guard features.contains(.legacyExceptions) else { throw illegalOpcode(opcode, at: start) }
            return .try(try readBlockType())
        case 0x07:
            guard features.contains(.legacyExceptions) else { throw illegalOpcode(opcode, at: start) }
            return .catch(try input.readVarUInt32())
        case 0x08:
            guard features.hasExceptionTags else { throw illegalOpcode(opcode, at: start) }
            return .throw(try input.readVarUInt32())
        case 0x09:
            guard features.contains(.legacyExceptions) else { throw illegalOpcode(opcode, at: start) }
            return .rethrow(try input.readVarUInt32())
        case 0x0A:
            guard features.contains(.exceptions) else { throw illegalOpcode(opcode, at: start) }
            return .throwRef
        case 0x0B: return .end
        case 0x0C: return .br(try input.readVarUInt32())
        case 0x0D: return .brIf(try input.readVarUInt32())
        case 0x0E: return .brTable(try readBranchTable())
        case 0x0F: return .return
        case 0x10: return .call(try input.readVarUInt32())
        case 0x11:
            let typeIndex = try input.readVarUInt32()
            return .callIndirect(typeIndex: typeIndex, tableIndex: try readTableIndexOrZero())
        case 0x12:
            guard features.contains(.tailCall) else { throw illegalOpcode(opcode, at: start) }
            return .returnCall(try input.readVarUInt32())
        case 0x13:
            guard features.contains(.tailCall) else { throw illegalOpcode(opcode, at: start) }
            let typeIndex = try input.readVarUInt32()
            return .returnCallIndirect(typeIndex: typeIndex, tableIndex: try input.readVarUInt32())
        case 0x14:
            guard features.contains(.functionReferences) else { throw illegalOpcode(opcode, at: start) }
            return .callRef(try input.readVarUInt32())
        case 0x15:
            guard features.contains(.functionReferences) && features.contains(.tailCall) else {
                throw illegalOpcode(opcode, at: start)
            }
            return .returnCallRef(try input.readVarUInt32())
        case 0x18:
            guard features.contains(.legacyExceptions) else { throw illegalOpcode(opcode, at: start) }
            return .delegate(try input.readVarUInt32())
        case 0x19:
            guard features.contains(.legacyExceptions) else { throw illegalOpcode(opcode, at: start) }
            return .catchAll
        case 0x1A: return .drop
        case 0x1B: return .select
        case 0x1C:
            guard features.contains(.referenceTypes) else { throw illegalOpcode(opcode, at: start) }
            return .typedSelect(try input.readResultType(features: features))
        case 0x1F:
            guard features.contains(.exceptions) else { throw illegalOpcode(opcode, at: start) }
            let type = try readBlockType()
            return .tryTable(type, try readCatchClauses())
        case 0x20: return .localGet(try input.readVarUInt32())
        case 0x21: return .localSet(try input.readVarUInt32())
        case 0x22: return .localTee(try input.readVarUInt32())
        case 0x23: return .globalGet(try input.readVarUInt32())
        case 0x24: return .globalSet(try input.readVarUInt32())
        case 0x25:
            guard features.contains(.referenceTypes) else { throw illegalOpcode(opcode, at: start) }
            return .tableGet(try input.readVarUInt32())
        case 0x26:
            guard features.contains(.referenceTypes) else { throw illegalOpcode(opcode, at: start) }
            return .tableSet(try input.readVarUInt32())
        case 0x28...0x3E:
            guard let op = MemoryOp(rawValue: UInt32(opcode)) else { throw illegalOpcode(opcode, at: start) }
            return .memory(op, try readMemArg())
        case 0x3F: return .memorySize(try readMemoryIndexOrZero())
        case 0x40: return .memoryGrow(try readMemoryIndexOrZero())
        case 0x41: return .i32Const(try input.readVarInt32())
        case 0x42: return .i64Const(try input.readVarInt64())
        case 0x43: return .f32Const(try input.readUInt32LE())
        case 0x44: return .f64Const(try input.readUInt64LE())
        case 0x45...0xBF:
            guard let op = NumericOp(rawValue: UInt32(opcode)) else { throw illegalOpcode(opcode, at: start) }
            return .numeric(op)
        case 0xC0...0xC4:
            guard features.contains(.signExtension), let op = NumericOp(rawValue: UInt32(opcode)) else {
                throw illegalOpcode(opcode, at: start)
            }
            return .numeric(op)
        case 0xD0:
            guard features.contains(.referenceTypes) else { throw illegalOpcode(opcode, at: start) }
            return .refNull(try readHeapType())
        case 0xD1:
            guard features.contains(.referenceTypes) else { throw illegalOpcode(opcode, at: start) }
            return .refIsNull
        case 0xD2:
            guard features.contains(.referenceTypes) else { throw illegalOpcode(opcode, at: start) }
            return .refFunc(try input.readVarUInt32())
        case 0xD4:
            guard features.contains(.functionReferences) else { throw illegalOpcode(opcode, at: start) }
            return .refAsNonNull
        case 0xD5:
            guard features.contains(.functionReferences) else { throw illegalOpcode(opcode, at: start) }
            return .brOnNull(try input.readVarUInt32())
        case 0xD6:
            guard features.contains(.functionReferences) else { throw illegalOpcode(opcode, at: start) }
            return .brOnNonNull(try input.readVarUInt32())
        case 0xFC: return try readMiscInstruction(start: start)
        case 0xFD:
            guard features.contains(.simd) else { throw illegalOpcode(opcode, at: start) }
            return try readVectorInstruction(start: start)
        default:
            throw illegalOpcode(opcode, at: start)
        }
    }

    // MARK: Immediates

    /// `0x40` (no result), a value type (one result), or a type index as a
    /// non-negative s33 (multi-value). A negative index wraps to a huge one,
    /// which validation rejects as an unknown type, as the reference interpreter does.
    mutating func readBlockType() throws(MalformedError) -> BlockType {
        guard let byte = input.peekByte() else { throw input.unexpectedEnd() }
        if byte == 0x40 {
            input.offset += 1
            return .empty
        }
        if byte & 0xC0 == 0x40 {
            return .value(try input.readValueType(features: features))
        }
        let start = input.offset
        let index = try input.readVarInt33()
        guard features.contains(.multiValue) else {
            throw MalformedError("malformed block type", offset: start)
        }
        return .type(UInt32(truncatingIfNeeded: index))
    }

    mutating func readBranchTable() throws(MalformedError) -> BranchTable {
        // readLength bounds the count by the bytes left, so the allocation is bounded too.
        let count = try input.readLength()
        var targets: [UInt32] = []
        targets.reserveCapacity(count)
        for _ in 0..<count {
            targets.append(try input.readVarUInt32())
        }
        let defaultTarget = try input.readVarUInt32()
        return BranchTable(targets: targets, defaultTarget: defaultTarget)
    }

    /// The handlers of `try_table`: a vector of (kind, tag for the tagged kinds, label).
    mutating func readCatchClauses() throws(MalformedError) -> [CatchClause] {
        // readLength bounds the count by the bytes left, so the allocation is bounded too.
        let count = try input.readLength()
        var clauses: [CatchClause] = []
        clauses.reserveCapacity(count)
        for _ in 0..<count {
            let kindOffset = input.offset
            switch try input.readByte() {
            case 0x00:
                let tag = try input.readVarUInt32()
                clauses.append(.catch(tag: tag, label: try input.readVarUInt32()))
            case 0x01:
                let tag = try input.readVarUInt32()
                clauses.append(.catchRef(tag: tag, label: try input.readVarUInt32()))
            case 0x02:
                clauses.append(.catchAll(label: try input.readVarUInt32()))
            case 0x03:
                clauses.append(.catchAllRef(label: try input.readVarUInt32()))
            default:
                throw MalformedError("malformed handler kind", offset: kindOffset)
            }
        }
        return clauses
    }

    /// The alignment flags, memory index (multi-memory) and offset of a load or store.
    ///
    /// Wasm 2.0 decodes the alignment exponent as a u32 and rejects 32 and above
    /// ("malformed memop flags"); larger-than-natural values below 32 are for the
    /// validator. With multi-memory, bit 6 of the flags announces a memory index.
    mutating func readMemArg() throws(MalformedError) -> MemArg {
        let flagsOffset = input.offset
        var flags = try input.readVarUInt32()
        var memory: UInt32 = 0
        if features.contains(.multiMemory) {
            guard flags < 0x80 else {
                throw MalformedError("malformed memop flags", offset: flagsOffset)
            }
            if flags & 0x40 != 0 {
                flags &= 0x3F
                memory = try input.readVarUInt32()
            }
        } else if flags >= 32 {
            throw MalformedError("malformed memop flags", offset: flagsOffset)
        }
        let offset = try features.contains(.memory64) ? input.readVarUInt64() : UInt64(input.readVarUInt32())
        return MemArg(align: flags, offset: offset, memory: memory)
    }

    /// A memory index: a full LEB128 with multi-memory, otherwise a reserved zero byte.
    mutating func readMemoryIndexOrZero() throws(MalformedError) -> UInt32 {
        if features.contains(.multiMemory) { return try input.readVarUInt32() }
        try input.readZeroByte()
        return 0
    }

    /// The table index of `call_indirect`: a LEB128 with reference types, else a zero byte.
    mutating func readTableIndexOrZero() throws(MalformedError) -> UInt32 {
        if features.contains(.referenceTypes) { return try input.readVarUInt32() }
        try input.readZeroByte()
        return 0
    }

    /// The heap type of `ref.null`: `func`, `extern`, or (typed function references) a type index.
    mutating func readHeapType() throws(MalformedError) -> HeapType {
        if features.contains(.functionReferences) { return try input.readHeapType(features: features) }
        // Wasm 2.0: the byte of `funcref` or `externref`.
        let start = input.offset
        let byte = try input.readTypeCode()
        guard let type = refType(byte: byte, features: features) else {
            throw MalformedError("malformed reference type", offset: start)
        }
        return type.heapType
    }

    // MARK: Errors

    func illegalOpcode(_ opcode: UInt8, at offset: Int) -> MalformedError {
        MalformedError("illegal opcode \(hexByte(UInt32(opcode)))", offset: offset)
    }

    func illegalOpcode(prefix: UInt8, _ subopcode: UInt32, at offset: Int) -> MalformedError {
        MalformedError("illegal opcode \(hexByte(UInt32(prefix))) \(hexByte(subopcode))", offset: offset)
    }
}

/// Lower-case hexadecimal with at least two digits, as the reference interpreter prints opcodes.
func hexByte(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return digits.count < 2 ? "0" + digits : digits
}
