import SwimTypes

// The two prefixed opcode spaces of Wasm 2.0: 0xFC (saturating conversions, bulk memory,
// table operations) and 0xFD (SIMD). The sub-opcode is a u32 LEB128.

extension InstructionReader {
    mutating func readMiscInstruction(start: Int) throws(MalformedError) -> Instruction {
        let subopcode = try input.readVarUInt32()
        switch subopcode {
        case 0...7:
            guard features.contains(.saturatingFloatToInt),
                let op = NumericOp(rawValue: 0xFC_0000 | subopcode)
            else { throw illegalOpcode(prefix: 0xFC, subopcode, at: start) }
            return .numeric(op)
        case 8...14:
            guard features.contains(.bulkMemory) else { throw illegalOpcode(prefix: 0xFC, subopcode, at: start) }
            return try readBulkInstruction(subopcode, start: start)
        case 15...17:
            guard features.contains(.referenceTypes) else { throw illegalOpcode(prefix: 0xFC, subopcode, at: start) }
            let table = try input.readVarUInt32()
            switch subopcode {
            case 15: return .tableGrow(table)
            case 16: return .tableSize(table)
            default: return .tableFill(table)
            }
        default:
            throw illegalOpcode(prefix: 0xFC, subopcode, at: start)
        }
    }

    /// `memory.init` ... `table.copy` (0xFC 8 ... 14).
    private mutating func readBulkInstruction(_ subopcode: UInt32, start: Int) throws(MalformedError) -> Instruction {
        switch subopcode {
        case 8:
            let data = try input.readVarUInt32()
            let memory = try readMemoryIndexOrZero()
            try requireDataCount(at: start)
            return .memoryInit(dataIndex: data, memoryIndex: memory)
        case 9:
            let data = try input.readVarUInt32()
            try requireDataCount(at: start)
            return .dataDrop(data)
        case 10:
            let destination = try readMemoryIndexOrZero()
            return .memoryCopy(destination: destination, source: try readMemoryIndexOrZero())
        case 11:
            return .memoryFill(try readMemoryIndexOrZero())
        case 12:
            let element = try input.readVarUInt32()
            return .tableInit(elementIndex: element, tableIndex: try input.readVarUInt32())
        case 13:
            return .elemDrop(try input.readVarUInt32())
        default:
            let destination = try input.readVarUInt32()
            return .tableCopy(destination: destination, source: try input.readVarUInt32())
        }
    }

    private func requireDataCount(at offset: Int) throws(MalformedError) {
        guard hasDataCount else {
            throw MalformedError("data count section required", offset: offset)
        }
    }

    mutating func readVectorInstruction(start: Int) throws(MalformedError) -> Instruction {
        let subopcode = try input.readVarUInt32()
        guard subopcode <= 0xFFFF else { throw illegalOpcode(prefix: 0xFD, subopcode, at: start) }
        let raw = 0xFD_0000 | subopcode
        if subopcode >= NumericOp.firstRelaxedSIMDSubopcode && !features.contains(.relaxedSimd) {
            throw illegalOpcode(prefix: 0xFD, subopcode, at: start)
        }
        switch subopcode {
        case 12:
            return .v128Const(try input.readV128())
        case 13:
            return .shuffle(try input.readV128())
        default:
            if let op = NumericOp(rawValue: raw) {
                return .numeric(op)
            }
            if let op = MemoryOp(rawValue: raw) {
                return .memory(op, try readMemArg())
            }
            if let op = LaneOp(rawValue: raw) {
                return .lane(op, try input.readByte())
            }
            if let op = MemoryLaneOp(rawValue: raw) {
                let memarg = try readMemArg()
                return .memoryLane(op, memarg, lane: try input.readByte())
            }
            throw illegalOpcode(prefix: 0xFD, subopcode, at: start)
        }
    }
}
