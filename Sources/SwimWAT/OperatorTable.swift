import SwimTypes

/// Operators whose immediates or structure the parser handles one by one.
enum SpecialOperator: Sendable {
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
        for (name, op) in special { table[name] = .special(op) }
        return table
    }()
}
