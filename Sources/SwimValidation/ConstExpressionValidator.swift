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
        guard stack.count == 1, let actual = stack.last, Subtyping.matches(actual, expectedType, in: context) else {
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
        case .gc(let gc) where gc.isConstant:
            return
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
                guard let operand = stack.popLast(), Subtyping.matches(operand, type, in: context) else {
                    throw ValidationError("type mismatch: \(op.name) requires [\(type) \(type)]", offset: offset)
                }
            }
            stack.append(type)
        case .gc(let gc):
            try typeCheck(gc, offset: offset)
        default:
            throw ValidationError("constant expression required", offset: offset)
        }
    }

    /// The constant instructions of GC: allocations, `ref.i31` and the conversions.
    private mutating func typeCheck(_ instruction: GCInstruction, offset: Int) throws(ValidationError) {
        switch instruction {
        case .structNew(let type):
            for field in try context.structFields(type, at: offset).reversed() {
                try pop(OperandType(field.storage.unpacked), offset: offset)
            }
            stack.append(context.reference(toType: type))
        case .structNewDefault(let type):
            for field in try context.structFields(type, at: offset) where !field.storage.unpacked.isDefaultable {
                throw ValidationError("type mismatch: struct.new_default of a type with a non-defaultable field",
                                      offset: offset)
            }
            stack.append(context.reference(toType: type))
        case .arrayNew(let type):
            let element = try context.arrayElement(type, at: offset)
            try pop(.i32, offset: offset)
            try pop(OperandType(element.storage.unpacked), offset: offset)
            stack.append(context.reference(toType: type))
        case .arrayNewDefault(let type):
            guard try context.arrayElement(type, at: offset).storage.unpacked.isDefaultable else {
                throw ValidationError("type mismatch: array.new_default of non-defaultable elements", offset: offset)
            }
            try pop(.i32, offset: offset)
            stack.append(context.reference(toType: type))
        case .arrayNewFixed(let type, let count):
            let element = OperandType(try context.arrayElement(type, at: offset).storage.unpacked)
            guard Int(count) <= stack.count else {
                throw ValidationError("type mismatch: array.new_fixed of \(count) values", offset: offset)
            }
            for _ in 0..<count { try pop(element, offset: offset) }
            stack.append(context.reference(toType: type))
        case .refI31:
            try pop(.i32, offset: offset)
            stack.append(OperandType(RefType(nullable: false, heapType: .i31)))
        case .anyConvertExtern, .externConvertAny:
            let from: HeapType = instruction == .anyConvertExtern ? .extern : .any
            let operand = try pop(OperandType(RefType(nullable: true, heapType: from)), offset: offset)
            let to: HeapType = instruction == .anyConvertExtern ? .any : .extern
            stack.append(OperandType(RefType(nullable: operand.isNullable, heapType: to)))
        default:
            throw ValidationError("constant expression required", offset: offset)
        }
    }

    @discardableResult
    private mutating func pop(_ expected: OperandType, offset: Int) throws(ValidationError) -> OperandType {
        guard let operand = stack.popLast(), Subtyping.matches(operand, expected, in: context) else {
            throw ValidationError("type mismatch: constant expression requires [\(expected)]", offset: offset)
        }
        return operand
    }
}
