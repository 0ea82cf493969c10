import SwimParser
import SwimTypes

/// Type-checks function bodies with the spec's validation algorithm (the appendix of the
/// Wasm 2.0 specification): an operand stack of types and a control stack of frames,
/// in a single pass over each body as the instruction reader decodes it.
///
/// One validator serves every function of a module so that its stacks are allocated
/// once. The instruction rules live in the extensions of this type, one file per group.
/// Helpers that only read are `mutating` all the same: calling a non-mutating method
/// from a mutating one makes Swift copy the whole validator first.
struct FunctionValidator {
    let context: ValidationContext
    /// A copy of `context.pool`, stored so the hot paths reach it without going through
    /// the context.
    let pool: SignaturePool
    /// The module binary, which function bodies are ranges of.
    let bytes: [UInt8]
    let hasDataCount: Bool
    var stack = OperandStack()
    var frames: [ControlFrame] = []
    var locals = LocalTypes()
    /// The results of the function being validated, for `return` and tail calls.
    var functionResults: TypeList = .empty
    var maxControlDepth = 0

    init(context: ValidationContext, module: DecodedModule) {
        self.context = context
        self.pool = context.pool
        self.bytes = module.bytes
        self.hasDataCount = module.dataCount != nil
    }

    /// Validates one defined function whose signature is type `typeIndex`.
    ///
    /// Throws `ValidationError` when the body is ill-typed, and `MalformedError` when it
    /// cannot be decoded or its blocks are not properly nested.
    mutating func validate(_ body: FunctionBody, typeIndex: UInt32) throws -> FunctionInfo {
        let start = body.range.lowerBound
        let signature = try context.signature(ofType: typeIndex, at: start)
        try locals.reset(parameters: signature.parameters, locals: body.locals, context: context, at: start)
        stack.reset()
        frames.removeAll(keepingCapacity: true)
        maxControlDepth = 0
        functionResults = signature.results
        pushFrame(.function, Signature(parameters: .empty, results: signature.results))

        var reader = InstructionReader(
            bytes: bytes, range: body.range, features: context.features, hasDataCount: hasDataCount)
        while !reader.isAtEnd {
            let offset = reader.offset
            let instruction = try reader.read()
            try checkNesting(instruction, at: offset)
            try validate(instruction, at: offset)
            if frames.isEmpty { break }
        }
        if !frames.isEmpty {
            throw MalformedError("unexpected end of section or function (missing end)", offset: reader.offset)
        }
        if !reader.isAtEnd {
            throw MalformedError("operators remaining after the end of the function", offset: reader.offset)
        }
        return FunctionInfo(
            maxStackHeight: stack.maxHeight, maxStackSlots: stack.maxSlots, maxControlDepth: maxControlDepth)
    }

    /// The instructions that continue a block must follow the right one: `else` an `if`,
    /// `catch` and `catch_all` a `try` body or a `catch` (not a `catch_all`), `delegate` a
    /// `try` body. Anything else is malformed, as the binary grammar has no place for it.
    private func checkNesting(_ instruction: Instruction, at offset: Int) throws(MalformedError) {
        let kind = frames.last?.kind
        switch instruction {
        case .else where kind != .if:
            throw MalformedError("END opcode expected (else without matching if)", offset: offset)
        case .catch where kind != .try && kind != .catch, .catchAll where kind != .try && kind != .catch:
            throw MalformedError("END opcode expected (catch without matching try)", offset: offset)
        case .delegate where kind != .try:
            throw MalformedError("END opcode expected (delegate without matching try)", offset: offset)
        default:
            break
        }
    }

    /// Applies the typing rule of one instruction.
    mutating func validate(_ instruction: Instruction, at offset: Int) throws(ValidationError) {
        switch instruction {
        case .unreachable: markUnreachable()
        case .nop: break
        case .block(let type): try enterBlock(.block, type, at: offset)
        case .loop(let type): try enterBlock(.loop, type, at: offset)
        case .if(let type):
            try stack.pop(.i32, at: offset)
            try enterBlock(.if, type, at: offset)
        case .else: try validateElse(at: offset)
        case .end: try validateEnd(at: offset)
        case .br(let depth): try validateBr(depth, at: offset)
        case .brIf(let depth): try validateBrIf(depth, at: offset)
        case .brTable(let table): try validateBrTable(table, at: offset)
        case .return:
            try popTypes(functionResults, at: offset)
            markUnreachable()
        case .call(let function): try validateCall(function, at: offset)
        case .callIndirect(let type, let table): try validateCallIndirect(type: type, table: table, at: offset)
        case .returnCall(let function): try validateReturnCall(function, at: offset)
        case .returnCallIndirect(let type, let table):
            try validateReturnCallIndirect(type: type, table: table, at: offset)
        case .callRef(let type): try validateCallRef(type: type, at: offset)
        case .returnCallRef(let type): try validateReturnCallRef(type: type, at: offset)
        case .brOnNull(let depth): try validateBrOnNull(depth, at: offset)
        case .brOnNonNull(let depth): try validateBrOnNonNull(depth, at: offset)

        case .throw(let tag): try validateThrow(tag, at: offset)
        case .throwRef: try validateThrowRef(at: offset)
        case .tryTable(let type, let clauses): try validateTryTable(type, clauses, at: offset)
        case .try(let type): try enterBlock(.try, type, at: offset)
        case .catch(let tag): try validateCatch(tag, at: offset)
        case .catchAll: try validateCatchAll(at: offset)
        case .delegate(let depth): try validateDelegate(depth, at: offset)
        case .rethrow(let depth): try validateRethrow(depth, at: offset)

        case .drop: _ = try stack.pop(at: offset)
        case .select: try validateSelect(at: offset)
        case .typedSelect(let types): try validateTypedSelect(types, at: offset)

        case .localGet(let index):
            let type = try local(index, at: offset)
            guard locals.isInitialized(index, type: type) else {
                throw ValidationError("uninitialized local \(index)", offset: offset)
            }
            stack.push(type)
        case .localSet(let index):
            let type = try local(index, at: offset)
            try stack.pop(type, at: offset)
            locals.markInitialized(index, type: type)
        case .localTee(let index):
            let type = try local(index, at: offset)
            try stack.pop(type, at: offset)
            locals.markInitialized(index, type: type)
            stack.push(type)
        case .globalGet(let index):
            stack.push(OperandType(try context.global(index, at: offset).valueType))
        case .globalSet(let index):
            let global = try context.global(index, at: offset)
            guard global.mutability == .variable else {
                throw ValidationError("global is immutable: global.set \(index)", offset: offset)
            }
            try stack.pop(OperandType(global.valueType), at: offset)

        case .tableGet(let table): try validateTableGet(table, at: offset)
        case .tableSet(let table): try validateTableSet(table, at: offset)
        case .tableInit(let segment, let table): try validateTableInit(segment: segment, table: table, at: offset)
        case .elemDrop(let segment): _ = try context.elementType(ofSegment: segment, at: offset)
        case .tableCopy(let destination, let source):
            try validateTableCopy(destination: destination, source: source, at: offset)
        case .tableGrow(let table): try validateTableGrow(table, at: offset)
        case .tableSize(let table): stack.push(context.addressType(of: try context.table(table, at: offset)))
        case .tableFill(let table): try validateTableFill(table, at: offset)

        case .memory(let op, let memarg): try validateMemoryAccess(op, memarg, at: offset)
        case .memorySize(let memory):
            stack.push(context.addressType(of: try context.memory(memory, at: offset)))
        case .memoryGrow(let memory):
            let address = context.addressType(of: try context.memory(memory, at: offset))
            try stack.pop(address, at: offset)
            stack.push(address)
        case .memoryInit(let segment, let memory): try validateMemoryInit(segment: segment, memory: memory, at: offset)
        case .dataDrop(let segment): try context.checkDataSegment(segment, at: offset)
        case .memoryCopy(let destination, let source):
            try validateMemoryCopy(destination: destination, source: source, at: offset)
        case .memoryFill(let memory): try validateMemoryFill(memory, at: offset)

        case .i32Const: stack.push(.i32)
        case .i64Const: stack.push(.i64)
        case .f32Const: stack.push(.f32)
        case .f64Const: stack.push(.f64)
        case .v128Const: stack.push(.v128)

        case .refNull(let heapType): try validateRefNull(heapType, at: offset)
        case .refIsNull: try validateRefIsNull(at: offset)
        case .refFunc(let function): try validateRefFunc(function, at: offset)
        case .refAsNonNull: try validateRefAsNonNull(at: offset)

        case .numeric(let op): try validateNumeric(op, at: offset)
        case .memoryLane(let op, let memarg, let lane): try validateMemoryLane(op, memarg, lane: lane, at: offset)
        case .lane(let op, let lane): try validateLane(op, lane: lane, at: offset)
        case .shuffle(let lanes): try validateShuffle(lanes, at: offset)
        }
    }

    // MARK: Stack helpers

    /// Pops the types of `list`, last first (the spec's `pop_vals`).
    @inline(__always)
    mutating func popTypes(_ list: TypeList, at offset: Int) throws(ValidationError) {
        var i = list.count
        while i > 0 {
            i -= 1
            try stack.pop(pool[list, i], at: offset)
        }
    }

    @inline(__always)
    mutating func pushTypes(_ list: TypeList) {
        for i in 0..<list.count { stack.push(pool[list, i]) }
    }

    mutating func local(_ index: UInt32, at offset: Int) throws(ValidationError) -> OperandType {
        guard let type = locals.type(index) else {
            throw ValidationError("unknown local \(index)", offset: offset)
        }
        return type
    }

    /// An operator with a fixed signature: pops its operands, pushes its result.
    mutating func validateNumeric(_ op: NumericOp, at offset: Int) throws(ValidationError) {
        let signature = op.signature
        if let operand = signature.operand2 { try stack.pop(OperandType(operand), at: offset) }
        if let operand = signature.operand1 { try stack.pop(OperandType(operand), at: offset) }
        try stack.pop(OperandType(signature.operand0), at: offset)
        stack.push(OperandType(signature.result))
    }
}
