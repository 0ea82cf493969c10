import SwimTypes

// The 0xFB prefix of garbage collection (Wasm 3.0 GC); the sub-opcode is a u32 LEB128.

extension InstructionReader {
    mutating func readGCInstruction(start: Int) throws(MalformedError) -> Instruction {
        let subopcode = try input.readVarUInt32()
        let instruction: GCInstruction
        switch subopcode {
        case 0: instruction = .structNew(try input.readVarUInt32())
        case 1: instruction = .structNewDefault(try input.readVarUInt32())
        case 2, 3, 4:
            let type = try input.readVarUInt32()
            let field = try input.readVarUInt32()
            instruction = .structGet(type, field: field, Self.extension(subopcode - 2))
        case 5:
            let type = try input.readVarUInt32()
            instruction = .structSet(type, field: try input.readVarUInt32())
        case 6: instruction = .arrayNew(try input.readVarUInt32())
        case 7: instruction = .arrayNewDefault(try input.readVarUInt32())
        case 8:
            let type = try input.readVarUInt32()
            instruction = .arrayNewFixed(type, count: try input.readVarUInt32())
        case 9:
            let type = try input.readVarUInt32()
            let data = try input.readVarUInt32()
            try requireDataCount(at: start)
            instruction = .arrayNewData(type, data: data)
        case 10:
            let type = try input.readVarUInt32()
            instruction = .arrayNewElem(type, element: try input.readVarUInt32())
        case 11, 12, 13: instruction = .arrayGet(try input.readVarUInt32(), Self.extension(subopcode - 11))
        case 14: instruction = .arraySet(try input.readVarUInt32())
        case 15: instruction = .arrayLen
        case 16: instruction = .arrayFill(try input.readVarUInt32())
        case 17:
            let destination = try input.readVarUInt32()
            instruction = .arrayCopy(destination: destination, source: try input.readVarUInt32())
        case 18:
            let type = try input.readVarUInt32()
            let data = try input.readVarUInt32()
            try requireDataCount(at: start)
            instruction = .arrayInitData(type, data: data)
        case 19:
            let type = try input.readVarUInt32()
            instruction = .arrayInitElem(type, element: try input.readVarUInt32())
        case 20, 21:
            instruction = .refTest(RefType(nullable: subopcode == 21, heapType: try input.readHeapType(features: features)))
        case 22, 23:
            instruction = .refCast(RefType(nullable: subopcode == 23, heapType: try input.readHeapType(features: features)))
        case 24, 25:
            let flagsOffset = input.offset
            let flags = try input.readByte()
            guard flags & ~0x03 == 0 else { throw MalformedError("malformed cast flags", offset: flagsOffset) }
            let label = try input.readVarUInt32()
            let from = RefType(nullable: flags & 0x01 != 0, heapType: try input.readHeapType(features: features))
            let to = RefType(nullable: flags & 0x02 != 0, heapType: try input.readHeapType(features: features))
            instruction = subopcode == 24 ? .brOnCast(label: label, from: from, to: to)
                                          : .brOnCastFail(label: label, from: from, to: to)
        case 26: instruction = .anyConvertExtern
        case 27: instruction = .externConvertAny
        case 28: instruction = .refI31
        case 29: instruction = .i31Get(.signed)
        case 30: instruction = .i31Get(.unsigned)
        default: throw illegalOpcode(prefix: 0xFB, subopcode, at: start)
        }
        return .gc(instruction)
    }

    private static func `extension`(_ variant: UInt32) -> PackedExtension {
        switch variant {
        case 0: return .none
        case 1: return .signed
        default: return .unsigned
        }
    }
}
