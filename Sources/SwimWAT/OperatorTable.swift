import SwimTypes

/// Operators whose immediates or structure the parser handles one by one.
enum SpecialOperator: Sendable, Equatable {
    case block, loop, `if`, `else`, end, then
    case unreachable, nop, br, brIf, brTable, `return`, call, callIndirect, returnCall, returnCallIndirect
    case callRef, returnCallRef, brOnNull, brOnNonNull
    case drop, select
    case localGet, localSet, localTee, globalGet, globalSet
    case tableGet, tableSet, tableInit, elemDrop, tableCopy, tableGrow, tableSize, tableFill
    case memorySize, memoryGrow, memoryInit, dataDrop, memoryCopy, memoryFill
    case i32Const, i64Const, f32Const, f64Const, v128Const
    case refNull, refIsNull, refFunc, refAsNonNull
    case shuffle
    // Exception handling, and its legacy instructions.
    case `throw`, throwRef, tryTable
    case `try`, `catch`, catchAll, rethrow, delegate
    // Garbage collection.
    case gc(GCMnemonic)
}

/// What a mnemonic stands for.
enum TextOperator: Sendable {
    case special(SpecialOperator)
    case numeric(NumericOp)
    case memory(MemoryOp)
    case memoryLane(MemoryLaneOp)
    case lane(LaneOp)
}

extension SpecialOperator {
    /// The proposals an operator needs beyond Wasm 2.0.
    var requiredFeatures: WasmFeatures {
        switch self {
        case .returnCall, .returnCallIndirect: return .tailCall
        case .callRef, .brOnNull, .brOnNonNull, .refAsNonNull: return .functionReferences
        case .returnCallRef: return [.tailCall, .functionReferences]
        case .throwRef, .tryTable: return .exceptions
        case .try, .catch, .catchAll, .rethrow, .delegate: return .legacyExceptions
        case .gc: return .gc
        default: return []  // `throw` needs either exception feature: see `takeOperator`
        }
    }
}

enum OperatorTable {
    /// Every mnemonic of the text format. The generated opcode tables supply the names of
    /// the fixed-type, memory and lane operators; the rest are listed here.
    static let operators: [String: TextOperator] = {
        var table: [String: TextOperator] = [:]
        for op in NumericOp.allCases { table[op.name] = .numeric(op) }
        for op in MemoryOp.allCases { table[op.name] = .memory(op) }
        for op in MemoryLaneOp.allCases { table[op.name] = .memoryLane(op) }
        for op in LaneOp.allCases { table[op.name] = .lane(op) }
        let special: [(String, SpecialOperator)] = [
            ("block", .block), ("loop", .loop), ("if", .if), ("else", .else), ("end", .end), ("then", .then),
            ("unreachable", .unreachable), ("nop", .nop), ("br", .br), ("br_if", .brIf), ("br_table", .brTable),
            ("return", .return), ("call", .call), ("call_indirect", .callIndirect),
            ("return_call", .returnCall), ("return_call_indirect", .returnCallIndirect),
            ("call_ref", .callRef), ("return_call_ref", .returnCallRef),
            ("br_on_null", .brOnNull), ("br_on_non_null", .brOnNonNull), ("ref.as_non_null", .refAsNonNull),
            ("drop", .drop), ("select", .select),
            ("local.get", .localGet), ("local.set", .localSet), ("local.tee", .localTee),
            ("global.get", .globalGet), ("global.set", .globalSet),
            ("table.get", .tableGet), ("table.set", .tableSet), ("table.init", .tableInit), ("elem.drop", .elemDrop),
            ("table.copy", .tableCopy), ("table.grow", .tableGrow), ("table.size", .tableSize), ("table.fill", .tableFill),
            ("memory.size", .memorySize), ("memory.grow", .memoryGrow), ("memory.init", .memoryInit),
            ("data.drop", .dataDrop), ("memory.copy", .memoryCopy), ("memory.fill", .memoryFill),
            ("i32.const", .i32Const), ("i64.const", .i64Const), ("f32.const", .f32Const), ("f64.const", .f64Const),
            ("v128.const", .v128Const), ("ref.null", .refNull), ("ref.is_null", .refIsNull), ("ref.func", .refFunc),
            ("i8x16.shuffle", .shuffle),
            ("throw", .throw), ("throw_ref", .throwRef), ("try_table", .tryTable),
            ("try", .try), ("catch", .catch), ("catch_all", .catchAll), ("rethrow", .rethrow), ("delegate", .delegate),
        ]
        let gc: [(String, GCMnemonic)] = [
            ("struct.new", .structNew), ("struct.new_default", .structNewDefault), ("struct.get", .structGet),
            ("struct.get_s", .structGetS), ("struct.get_u", .structGetU), ("struct.set", .structSet),
            ("array.new", .arrayNew), ("array.new_default", .arrayNewDefault), ("array.new_fixed", .arrayNewFixed),
            ("array.new_data", .arrayNewData), ("array.new_elem", .arrayNewElem), ("array.get", .arrayGet),
            ("array.get_s", .arrayGetS), ("array.get_u", .arrayGetU), ("array.set", .arraySet), ("array.len", .arrayLen),
            ("array.fill", .arrayFill), ("array.copy", .arrayCopy), ("array.init_data", .arrayInitData),
            ("array.init_elem", .arrayInitElem), ("ref.test", .refTest), ("ref.cast", .refCast),
            ("br_on_cast", .brOnCast), ("br_on_cast_fail", .brOnCastFail), ("any.convert_extern", .anyConvertExtern),
            ("extern.convert_any", .externConvertAny), ("ref.i31", .refI31), ("i31.get_s", .i31GetS),
            ("i31.get_u", .i31GetU), ("ref.eq", .refEq),
        ]
        for (name, op) in special { table[name] = .special(op) }
        for (name, op) in gc { table[name] = .special(.gc(op)) }
        return table
    }()
}
