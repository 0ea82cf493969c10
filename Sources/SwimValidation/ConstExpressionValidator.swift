import SwimTypes

/// Validates constant expressions: global initializers, segment offsets and element items.
///
/// As the reference interpreter does, it first checks that every instruction is constant
/// ("constant expression required"), then type-checks the sequence as a block
/// `[] -> [t]`. `global.get` may only name an immutable global below `visibleGlobals`: the
/// imported ones in Wasm 2.0; in 3.0 also those defined before a global, and all of them in
/// segments (the caller decides, see `ModuleValidator`).
struct ConstExpressionValidator {
    let context: ValidationContext
    /// Reused across expressions so a module with many globals allocates once.
    private var stack: [OperandType] = []

    init(context: ValidationContext) {
        self.context = context
    }

    /// `expected` has canonical type indices (`ValidationContext.canonical`).
    mutating func validate(
        _ expression: ConstExpression, type expected: ValueType, visibleGlobals: Int
    ) throws(ValidationError) {
        let offset = expression.offset
        for instruction in expression.instructions {
            try checkConstant(instruction, visibleGlobals: visibleGlobals, offset: offset)
        }
        stack.removeAll(keepingCapacity: true)
        for instruction in expression.instructions {
            try typeCheck(instruction, offset: offset)
        }
        let expectedType = OperandType(expected)
        guard stack.count == 1, let actual = stack.last, Subtyping.matches(actual, expectedType) else {
            let found = "[" + stack.map(\.description).joined(separator: " ") + "]"
            throw ValidationError(
                "type mismatch: constant expression requires [\(expected)] but has \(found)", offset: offset)
        }
    }

    private func checkConstant(
        _ instruction: Instruction, visibleGlobals: Int, offset: Int
    ) throws(ValidationError) {
        switch instruction {
        case .i32Const, .i64Const, .f32Const, .f64Const, .v128Const, .refNull, .refFunc:
            return
        case .globalGet(let index):
            guard Int(index) < visibleGlobals else {
                throw ValidationError("unknown global \(index)", offset: offset)
            }
            let global = try context.global(index, at: offset)
            if global.mutability == .constant { return }
        case .numeric(let op) where context.features.contains(.extendedConst):
            switch op {
            case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul: return
            default: break
            }
        default:
            break
        }
        throw ValidationError("constant expression required", offset: offset)
    }

    /// Applies the typing of one (already known constant) instruction.
    private mutating func typeCheck(_ instruction: Instruction, offset: Int) throws(ValidationError) {
        switch instruction {
        case .i32Const: stack.append(.i32)
        case .i64Const: stack.append(.i64)
        case .f32Const: stack.append(.f32)
        case .f64Const: stack.append(.f64)
        case .v128Const: stack.append(.v128)
        case .refNull(let heapType):
            let type = RefType(nullable: true, heapType: heapType)
            try context.checkRefType(type, at: offset)
            stack.append(OperandType(context.canonical(type)))
        case .refFunc(let index):
            let typeIndex = try context.typeIndex(ofFunction: index, at: offset)
            stack.append(context.features.contains(.functionReferences) ? context.reference(toType: typeIndex) : .funcref)
        case .globalGet(let index):
            stack.append(OperandType(try context.global(index, at: offset).valueType))
        case .numeric(let op):
            let signature = op.signature
            let type = OperandType(signature.result)
            for _ in 0..<signature.operandCount {
                guard let operand = stack.popLast(), Subtyping.matches(operand, type) else {
                    throw ValidationError("type mismatch: \(op.name) requires [\(type) \(type)]", offset: offset)
                }
            }
            stack.append(type)
        default:
            throw ValidationError("constant expression required", offset: offset)
        }
    }
}
