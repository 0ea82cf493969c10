import SwimTypes

extension ByteWriter {
    /// Writes an opcode given as in the generated tables: one byte, or `(prefix << 16) | sub`
    /// with the sub-opcode as unsigned LEB128.
    mutating func opcode(_ raw: UInt32) {
        if raw <= 0xFF {
            byte(UInt8(raw))
        } else {
            byte(UInt8(truncatingIfNeeded: raw >> 16))
            u32(raw & 0xFFFF)
        }
    }

    mutating func prefixed(_ prefix: UInt8, _ sub: UInt32) {
        byte(prefix)
        u32(sub)
    }

    mutating func memArg(_ m: MemArg) {
        // A non-zero memory index is flagged by bit 6 of the alignment (multi-memory).
        if m.memory != 0 {
            u32(m.align | 0x40)
            u32(m.memory)
        } else {
            u32(m.align)
        }
        unsigned(m.offset)
    }

    mutating func blockType(_ b: BlockType) {
        switch b {
        case .empty: byte(0x40)
        case .value(let t): valueType(t)
        case .type(let i): signed(Int64(i))
        }
    }

    mutating func instruction(_ ins: Instruction) {
        switch ins {
        case .unreachable: byte(0x00)
        case .nop: byte(0x01)
        case .block(let b): byte(0x02); blockType(b)
        case .loop(let b): byte(0x03); blockType(b)
        case .if(let b): byte(0x04); blockType(b)
        case .else: byte(0x05)
        case .end: byte(0x0B)
        case .br(let l): byte(0x0C); u32(l)
        case .brIf(let l): byte(0x0D); u32(l)
        case .brTable(let t):
            byte(0x0E)
            vector(t.targets) { $0.u32($1) }
            u32(t.defaultTarget)
        case .return: byte(0x0F)
        case .call(let f): byte(0x10); u32(f)
        case .callIndirect(let type, let table): byte(0x11); u32(type); u32(table)
        case .returnCall(let f): byte(0x12); u32(f)
        case .returnCallIndirect(let type, let table): byte(0x13); u32(type); u32(table)
        case .callRef(let type): byte(0x14); u32(type)
        case .returnCallRef(let type): byte(0x15); u32(type)
        case .brOnNull(let l): byte(0xD5); u32(l)
        case .brOnNonNull(let l): byte(0xD6); u32(l)
        case .throw(let tag): byte(0x08); u32(tag)
        case .throwRef: byte(0x0A)
        case .tryTable(let b, let clauses):
            byte(0x1F)
            blockType(b)
            vector(clauses) { $0.catchClause($1) }
        case .try(let b): byte(0x06); blockType(b)
        case .catch(let tag): byte(0x07); u32(tag)
        case .catchAll: byte(0x19)
        case .rethrow(let l): byte(0x09); u32(l)
        case .delegate(let l): byte(0x18); u32(l)
        case .drop: byte(0x1A)
        case .select: byte(0x1B)
        case .typedSelect(let types):
            byte(0x1C)
            vector(types) { $0.valueType($1) }
        case .localGet(let i): byte(0x20); u32(i)
        case .localSet(let i): byte(0x21); u32(i)
        case .localTee(let i): byte(0x22); u32(i)
        case .globalGet(let i): byte(0x23); u32(i)
        case .globalSet(let i): byte(0x24); u32(i)
        case .tableGet(let t): byte(0x25); u32(t)
        case .tableSet(let t): byte(0x26); u32(t)
        case .tableInit(let e, let t): prefixed(0xFC, 12); u32(e); u32(t)
        case .elemDrop(let e): prefixed(0xFC, 13); u32(e)
        case .tableCopy(let d, let s): prefixed(0xFC, 14); u32(d); u32(s)
        case .tableGrow(let t): prefixed(0xFC, 15); u32(t)
        case .tableSize(let t): prefixed(0xFC, 16); u32(t)
        case .tableFill(let t): prefixed(0xFC, 17); u32(t)
        case .memory(let op, let m): opcode(op.rawValue); memArg(m)
        case .memorySize(let m): byte(0x3F); u32(m)
        case .memoryGrow(let m): byte(0x40); u32(m)
        case .memoryInit(let d, let m): prefixed(0xFC, 8); u32(d); u32(m)
        case .dataDrop(let d): prefixed(0xFC, 9); u32(d)
        case .memoryCopy(let d, let s): prefixed(0xFC, 10); u32(d); u32(s)
        case .memoryFill(let m): prefixed(0xFC, 11); u32(m)
        case .i32Const(let v): byte(0x41); signed(Int64(v))
        case .i64Const(let v): byte(0x42); signed(v)
        case .f32Const(let bits):
            byte(0x43)
            for k in 0..<4 { byte(UInt8(truncatingIfNeeded: bits >> UInt32(8 * k))) }
        case .f64Const(let bits):
            byte(0x44)
            for k in 0..<8 { byte(UInt8(truncatingIfNeeded: bits >> UInt64(8 * k))) }
        case .v128Const(let v): prefixed(0xFD, 12); append(v.bytes)
        case .refNull(let h): byte(0xD0); heapType(h)
        case .refIsNull: byte(0xD1)
        case .refFunc(let f): byte(0xD2); u32(f)
        case .refAsNonNull: byte(0xD4)
        case .numeric(let op): opcode(op.rawValue)
        case .memoryLane(let op, let m, let lane): opcode(op.rawValue); memArg(m); byte(lane)
        case .lane(let op, let lane): opcode(op.rawValue); byte(lane)
        case .shuffle(let lanes): prefixed(0xFD, 13); append(lanes.bytes)
        }
    }

    mutating func catchClause(_ clause: CatchClause) {
        switch clause {
        case .catch(let tag, let label): byte(0x00); u32(tag); u32(label)
        case .catchRef(let tag, let label): byte(0x01); u32(tag); u32(label)
        case .catchAll(let label): byte(0x02); u32(label)
        case .catchAllRef(let label): byte(0x03); u32(label)
        }
    }

    /// A constant expression: its instructions and the closing `end`.
    mutating func constExpression(_ e: ConstExpression) {
        for ins in e.instructions { instruction(ins) }
        byte(0x0B)
    }
}
