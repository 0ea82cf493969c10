import SwimTypes

/// Garbage collection's instructions in the text format (names: `OperatorTable`; opcodes:
/// `GCInstruction`).
enum GCMnemonic: Sendable, Equatable {
    case structNew, structNewDefault, structGet, structGetS, structGetU, structSet
    case arrayNew, arrayNewDefault, arrayNewFixed, arrayNewData, arrayNewElem
    case arrayGet, arrayGetS, arrayGetU, arraySet, arrayLen, arrayFill, arrayCopy, arrayInitData, arrayInitElem
    case refTest, refCast, brOnCast, brOnCastFail
    case anyConvertExtern, externConvertAny, refI31, i31GetS, i31GetU, refEq
}

extension TextParser {
    /// The immediates of a GC instruction, its mnemonic consumed.
    func parseGCInstruction(_ mnemonic: GCMnemonic) throws(TextError) -> Instruction {
        let instruction: GCInstruction
        switch mnemonic {
        case .structNew: instruction = .structNew(try expectIndex(\.types))
        case .structNewDefault: instruction = .structNewDefault(try expectIndex(\.types))
        case .structGet, .structGetS, .structGetU:
            let type = try expectIndex(\.types)
            let field = try expectField(of: type)
            let ext: PackedExtension = mnemonic == .structGet ? .none : mnemonic == .structGetS ? .signed : .unsigned
            instruction = .structGet(type, field: field, ext)
        case .structSet:
            let type = try expectIndex(\.types)
            instruction = .structSet(type, field: try expectField(of: type))
        case .arrayNew: instruction = .arrayNew(try expectIndex(\.types))
        case .arrayNewDefault: instruction = .arrayNewDefault(try expectIndex(\.types))
        case .arrayNewFixed:
            let type = try expectIndex(\.types)
            instruction = .arrayNewFixed(type, count: try expectU32(what: "an element count"))
        case .arrayNewData:
            let type = try expectIndex(\.types)
            module.needsDataCount = true
            instruction = .arrayNewData(type, data: try expectIndex(\.data))
        case .arrayNewElem:
            let type = try expectIndex(\.types)
            instruction = .arrayNewElem(type, element: try expectIndex(\.elements))
        case .arrayGet: instruction = .arrayGet(try expectIndex(\.types), .none)
        case .arrayGetS: instruction = .arrayGet(try expectIndex(\.types), .signed)
        case .arrayGetU: instruction = .arrayGet(try expectIndex(\.types), .unsigned)
        case .arraySet: instruction = .arraySet(try expectIndex(\.types))
        case .arrayLen: instruction = .arrayLen
        case .arrayFill: instruction = .arrayFill(try expectIndex(\.types))
        case .arrayCopy:
            let destination = try expectIndex(\.types)
            instruction = .arrayCopy(destination: destination, source: try expectIndex(\.types))
        case .arrayInitData:
            let type = try expectIndex(\.types)
            module.needsDataCount = true
            instruction = .arrayInitData(type, data: try expectIndex(\.data))
        case .arrayInitElem:
            let type = try expectIndex(\.types)
            instruction = .arrayInitElem(type, element: try expectIndex(\.elements))
        case .refTest: instruction = .refTest(try parseRefType())
        case .refCast: instruction = .refCast(try parseRefType())
        case .brOnCast, .brOnCastFail:
            let label = try expectLabel()
            let from = try parseRefType()
            let to = try parseRefType()
            instruction = mnemonic == .brOnCast ? .brOnCast(label: label, from: from, to: to)
                                                : .brOnCastFail(label: label, from: from, to: to)
        case .anyConvertExtern: instruction = .anyConvertExtern
        case .externConvertAny: instruction = .externConvertAny
        case .refI31: instruction = .refI31
        case .i31GetS: instruction = .i31Get(.signed)
        case .i31GetU: instruction = .i31Get(.unsigned)
        case .refEq: instruction = .refEq
        }
        return .gc(instruction)
    }

    /// A field of struct type `type`, by its name in the type's definition or by index.
    private func expectField(of type: UInt32) throws(TextError) -> UInt32 {
        let token = current
        if token.kind == .identifier {
            let name = try identifierName(token)
            guard let index = fieldNames[type]?[name] else { throw error("unknown field $\(name)", at: token) }
            advance()
            return index
        }
        guard token.kind == .number else { throw unexpected("a field index") }
        return try expectU32(what: "a field index")
    }
}

extension ByteWriter {
    mutating func gcInstruction(_ instruction: GCInstruction) {
        guard let subopcode = instruction.subopcode else {
            byte(0xD3)  // ref.eq
            return
        }
        prefixed(0xFB, subopcode)
        switch instruction {
        case .structNew(let t), .structNewDefault(let t), .arrayNew(let t), .arrayNewDefault(let t),
             .arrayGet(let t, _), .arraySet(let t), .arrayFill(let t):
            u32(t)
        case .structGet(let t, let field, _), .structSet(let t, let field):
            u32(t)
            u32(field)
        case .arrayNewFixed(let t, let n):
            u32(t)
            u32(n)
        case .arrayNewData(let t, let index), .arrayNewElem(let t, let index), .arrayInitData(let t, let index),
             .arrayInitElem(let t, let index):
            u32(t)
            u32(index)
        case .arrayCopy(let destination, let source):
            u32(destination)
            u32(source)
        case .refTest(let type), .refCast(let type):
            heapType(type.heapType)
        case .brOnCast(let label, let from, let to), .brOnCastFail(let label, let from, let to):
            byte((from.nullable ? 0x01 : 0) | (to.nullable ? 0x02 : 0))
            u32(label)
            heapType(from.heapType)
            heapType(to.heapType)
        case .arrayLen, .anyConvertExtern, .externConvertAny, .refI31, .i31Get, .refEq:
            break
        }
    }
}
