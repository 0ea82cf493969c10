import SwimParser
import SwimTypes

/// Translates one validated function body into register-based threaded code.
///
/// One forward pass over the instructions. Operands are frame slots: `local.get`
/// and constants cost nothing until consumed (see `OperandStack`), producers write
/// straight into the local a following `local.set`/`local.tee` names, and a
/// comparison followed by `br_if`/`if` becomes one compare-and-branch. The module
/// is valid, so nothing is checked again here.
struct Translator {
    let module: SwimTypes.DecodedModule
    let instance: InstanceStorage
    let type: FunctionType
    let layout: FrameLayout
    let interruptible: Bool

    var code = CodeBuffer()
    var stack: OperandStack
    var frames: [ControlFrame] = []
    /// The last instruction whose result is the top entry, so that a following
    /// `local.set`/`local.tee` can redirect its destination.
    var producer: Producer?
    /// The last binary operator (or eqz), so that a following `br_if`/`if` can absorb a
    /// comparison and a following load or store can absorb an address computation.
    var lastOperation: Operation?
    /// The last float load, which a following arithmetic operator can take as its operand.
    var lastLoad: LoadRecord?
    /// The last single 64-bit copy, which a following copy can join.
    var lastCopy: Int?
    /// Nesting depth of blocks inside dead code being skipped.
    var deadDepth = 0
    /// Where exceptions go, and the catch scope covering the code being emitted (-1: none).
    var handlers = HandlerTable()
    var currentScope = -1

    struct Producer {
        var start: Int
        var end: Int
        var slot: Int
    }

    struct LoadRecord {
        var start: Int
        var end: Int
        var slot: Int
        /// The address: a slot, or a slot plus an immediate.
        var base: Int
        var immediate: UInt32?
        var offset: UInt64
    }

    struct Operation {
        var start: Int
        var end: Int
        var slot: Int
        var op: NumericOp
        var lhs: Int
        /// The right operand's slot, or nil with `immediate` set.
        var rhs: Int?
        var immediate: UInt32
    }

    init(module: SwimTypes.DecodedModule, instance: InstanceStorage, type: FunctionType, layout: FrameLayout,
         interruptible: Bool) {
        self.module = module
        self.instance = instance
        self.type = type
        self.layout = layout
        self.interruptible = interruptible
        self.stack = OperandStack(base: layout.stackBase)
    }

    /// The result of a translation: the code words and where its exceptions go.
    struct Output {
        var code: [UInt64]
        var handlers: HandlerTable
    }

    /// Translates the body read by `reader`.
    mutating func translate(_ reader: inout InstructionReader) throws -> Output {
        code.reserve(64)
        frames.append(ControlFrame(kind: .function, height: 0, parameters: [], results: type.results, labelSlot: 0))
        if layout.declaredLocalSlots > 0 {
            code.emit(h_zeroLocals, operands(layout.parameterSlots, layout.declaredLocalSlots))
        }
        if interruptible { code.emit(h_checkInterrupt) }
        while !frames.isEmpty && !reader.isAtEnd {
            let instruction = try reader.read()
            if deadDepth > 0 || frames[frames.count - 1].unreachable {
                skipDead(instruction)
            } else {
                try translate(instruction)
            }
        }
        return Output(code: code.words, handlers: handlers)
    }

    /// In dead code only the structure matters: find the `else` or `end` that revives it.
    private mutating func skipDead(_ instruction: Instruction) {
        switch instruction {
        case .block, .loop, .if, .try, .tryTable:
            deadDepth += 1
        case .else where deadDepth == 0:
            translateElse()
        case .catch(let tag) where deadDepth == 0:
            translateCatch(tag: tag)
        case .catchAll where deadDepth == 0:
            translateCatch(tag: nil)
        case .delegate(let depth):
            if deadDepth > 0 { deadDepth -= 1 } else { translateDelegate(depth: Int(depth)) }
        case .end:
            if deadDepth > 0 { deadDepth -= 1 } else { translateEnd() }
        default:
            break
        }
    }

    mutating func translate(_ instruction: Instruction) throws {
        switch instruction {
        case .unreachable:
            code.emit(h_unreachable)
            markUnreachable()
        case .nop:
            break
        case .block(let bt):
            enterBlock(.block, bt)
        case .loop(let bt):
            enterBlock(.loop, bt)
        case .if(let bt):
            enterIf(bt)
        case .else:
            translateElse()
        case .end:
            translateEnd()
        case .br(let depth):
            branch(depth: Int(depth))
            markUnreachable()
        case .brIf(let depth):
            branchIf(depth: Int(depth))
        case .brTable(let table):
            branchTable(table)
            markUnreachable()
        case .return:
            emitReturn()
            markUnreachable()
        case .call(let index):
            call(index)
        case .callIndirect(let typeIndex, let tableIndex):
            callIndirect(typeIndex: typeIndex, tableIndex: tableIndex)
        case .returnCall(let index):
            returnCall(index)
        case .returnCallIndirect(let typeIndex, let tableIndex):
            returnCallIndirect(typeIndex: typeIndex, tableIndex: tableIndex)
        case .callRef(let typeIndex):
            callRef(typeIndex: typeIndex)
        case .returnCallRef(let typeIndex):
            returnCallRef(typeIndex: typeIndex)
        case .brOnNull(let depth):
            branchOnNull(depth: Int(depth))
        case .brOnNonNull(let depth):
            branchOnNonNull(depth: Int(depth))
        case .throw(let tag):
            throwException(tag: Int(tag))
            markUnreachable()
        case .throwRef:
            let exception = stack.pop()
            code.emit(h_throwRef, UInt64(readSlot(exception)))
            markUnreachable()
        case .tryTable(let bt, let clauses):
            enterTryTable(bt, clauses)
        case .try(let bt):
            enterTry(bt)
        case .catch(let tag):
            translateCatch(tag: tag)
        case .catchAll:
            translateCatch(tag: nil)
        case .delegate(let depth):
            translateDelegate(depth: Int(depth))
        case .rethrow(let depth):
            code.emit(h_throwRef, UInt64(frames[frames.count - 1 - Int(depth)].caughtSlot))
            markUnreachable()
        case .drop:
            _ = stack.pop()
        case .select, .typedSelect:
            select()
        case .localGet(let i):
            stack.push(layout.localTypes[Int(i)], .local(layout.localSlots[Int(i)]))
        case .localSet(let i):
            setLocal(Int(i), tee: false)
        case .localTee(let i):
            setLocal(Int(i), tee: true)
        case .globalGet(let i):
            globalGet(Int(i))
        case .globalSet(let i):
            globalSet(Int(i))
        case .i32Const(let v):
            stack.push(.i32, .constant(UInt64(UInt32(bitPattern: v))))
        case .i64Const(let v):
            stack.push(.i64, .constant(UInt64(bitPattern: v)))
        case .f32Const(let bits):
            stack.push(.f32, .constant(UInt64(bits)))
        case .f64Const(let bits):
            stack.push(.f64, .constant(bits))
        case .v128Const(let v):
            stack.push(.v128, .vectorConstant(v))
        case .numeric(let op):
            numeric(op)
        case .memory(let op, let memarg):
            memoryAccess(op, memarg)
        case .memorySize(let m):
            memorySize(m)
        case .memoryGrow(let m):
            memoryGrow(m)
        case .memoryInit(let data, let m):
            memoryInit(data: data, memory: m)
        case .dataDrop(let data):
            code.emit(h_dataDrop)
            code.append(pointer: instance.dataSegments[Int(data)])
        case .memoryCopy(let destination, let source):
            memoryCopy(destination: destination, source: source)
        case .memoryFill(let m):
            memoryFill(m)
        case .refNull(let heapType):
            stack.push(.ref(RefType(nullable: true, heapType: heapType)), .constant(0))
        case .refIsNull:
            unary(h_i64Eqz, result: .i32)
        case .refFunc(let f):
            stack.push(.funcref, .constant(UInt64(UInt(bitPattern: instance.functions[Int(f)]))))
        case .refAsNonNull:
            refAsNonNull()
        case .tableGet(let t):
            tableGet(Int(t))
        case .tableSet(let t):
            tableSet(Int(t))
        case .tableSize(let t):
            let d = stack.push(indexType(ofTable: Int(t)))
            code.emit(h_tableSize, UInt64(d))
            code.append(pointer: instance.tables[Int(t)])
        case .tableGrow(let t):
            tableGrow(Int(t))
        case .tableFill(let t):
            bulk(h_tableFill, extra: [UInt64(UInt(bitPattern: instance.tables[Int(t)]))])
        case .tableCopy(let dst, let src):
            bulk(h_tableCopy, extra: [UInt64(UInt(bitPattern: instance.tables[Int(dst)])),
                                       UInt64(UInt(bitPattern: instance.tables[Int(src)]))])
        case .tableInit(let elem, let table):
            bulk(h_tableInit, extra: [UInt64(UInt(bitPattern: instance.tables[Int(table)])),
                                       UInt64(UInt(bitPattern: instance.elementSegments[Int(elem)]))])
        case .elemDrop(let elem):
            code.emit(h_elemDrop)
            code.append(pointer: instance.elementSegments[Int(elem)])
        case .memoryLane(let op, let memarg, let lane):
            memoryLane(op, memarg, lane: lane)
        case .lane(let op, let lane):
            laneOperation(op, lane: lane)
        case .shuffle(let lanes):
            shuffle(lanes)
        }
    }

    // MARK: Operands

    /// Copies a lazy entry into its canonical slot.
    mutating func materialize(_ index: Int) {
        let entry = stack[index]
        guard entry.source != .canonical else { return }
        move(entry, to: entry.slot)
        stack[index].source = .canonical
    }

    mutating func emitSum(base: Int, immediate: UInt32, to destination: Int) {
        if immediate == 0 {
            emitCopy(.i32, from: base, to: destination)
        } else if let handler = numericImmediateHandler(.i32Add) {
            code.emit(handler, operands(destination, base) | UInt64(immediate) << 32)
        }
    }

    mutating func materializeAll() {
        for i in 0..<stack.count { materialize(i) }
    }

    /// The slot to read a popped entry from; constants are written to its canonical slot first.
    mutating func readSlot(_ entry: StackEntry) -> Int {
        switch entry.source {
        case .canonical:
            return entry.slot
        case .local(let slot):
            return slot
        case .constant, .vectorConstant, .sum:
            move(entry, to: entry.slot)
            return entry.slot
        }
    }

    mutating func emitCopy(_ type: ValueType, from source: Int, to destination: Int) {
        guard source != destination else { return }
        if type == .v128 {
            code.emit(h_copy128, operands(destination, source))
            return
        }
        // Two copies in a row (register shuffles at the end of loops) become one instruction.
        if let start = lastCopy, code.isLastInstruction(start: start, end: start + 2),
           code[start] == handlerWord(h_copy64) {
            code[start] = handlerWord(h_copy64x2)
            code[start + 1] |= UInt64(destination) << 32 | UInt64(source) << 48
            lastCopy = nil
            return
        }
        lastCopy = code.position
        code.emit(h_copy64, operands(destination, source))
    }

    mutating func emitConstant(_ value: UInt64, to slot: Int) {
        if value <= UInt64(UInt32.max) {
            code.emit(h_const32, UInt64(slot) | value << 32)
        } else {
            code.emit(h_const64, UInt64(slot), value)
        }
    }

    /// Moves an entry's value into `destination`.
    mutating func move(_ entry: StackEntry, to destination: Int) {
        switch entry.source {
        case .canonical: emitCopy(entry.type, from: entry.slot, to: destination)
        case .local(let slot): emitCopy(entry.type, from: slot, to: destination)
        case .constant(let value): emitConstant(value, to: destination)
        case .vectorConstant(let v):
            code.emit(h_const128, UInt64(destination), v.low)
            code.append(v.high)
        case .sum(let base, let immediate):
            emitSum(base: base, immediate: immediate, to: destination)
        }
    }

    /// Emits an instruction whose first immediate word starts with its destination slot.
    mutating func emitProducer(_ handler: Handler, _ immediate: UInt64, slot: Int) {
        let start = code.emit(handler)
        code.append(immediate)
        producer = Producer(start: start, end: code.position, slot: slot)
    }

    /// The producer of the top entry, if nothing was emitted since.
    var topProducer: Producer? {
        guard let p = producer, code.isLastInstruction(start: p.start, end: p.end), let top = stack.last,
              top.source == .canonical, top.slot == p.slot else { return nil }
        return p
    }

    mutating func unary(_ handler: Handler, result: ValueType) {
        let a = stack.pop()
        let s = readSlot(a)
        let d = stack.push(result)
        emitProducer(handler, operands(d, s), slot: d)
    }

    // MARK: Locals and globals

    mutating func setLocal(_ index: Int, tee: Bool) {
        let slot = layout.localSlots[index]
        let type = layout.localTypes[index]
        // Entries that still alias the local must keep its old value.
        for i in 0..<(stack.count - 1) where stack[i].source.reads(slot) {
            materialize(i)
        }
        if let p = topProducer {
            code.redirectDestination(ofInstructionAt: p.start, to: slot)
            _ = stack.pop()
        } else {
            let value = stack.pop()
            move(value, to: slot)
        }
        producer = nil
        if tee { stack.push(type, .local(slot)) }
    }

    mutating func globalGet(_ index: Int) {
        let global = instance.globals[index]
        let type = global.pointee.type.valueType
        let d = stack.push(type)
        emitProducer(type == .v128 ? h_globalGet128 : h_globalGet, UInt64(d), slot: d)
        code.append(pointer: global)
        producer?.end = code.position
    }

    mutating func globalSet(_ index: Int) {
        let global = instance.globals[index]
        let value = stack.pop()
        let s = readSlot(value)
        code.emit(global.pointee.type.valueType == .v128 ? h_globalSet128 : h_globalSet, UInt64(s))
        code.append(pointer: global)
    }

    mutating func select() {
        let c = stack.pop(), b = stack.pop(), a = stack.pop()
        let cs = readSlot(c), bs = readSlot(b), asl = readSlot(a)
        let d = stack.push(a.type)
        emitProducer(a.type == .v128 ? h_select128 : h_select, operands(d, cs, asl, bs), slot: d)
    }
}
