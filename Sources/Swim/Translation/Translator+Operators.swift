import SwimTypes

/// Numeric operators: register forms, immediate forms, and comparisons kept for fusion.
extension Translator {
    mutating func numeric(_ op: NumericOp) {
        let signature = op.signature
        // Slots hold i32 and f32 values zero-extended to 64 bits, so these conversions
        // change only the type the translator tracks: no code.
        switch op {
        case .i64ExtendI32U, .i32ReinterpretF32, .f32ReinterpretI32, .i64ReinterpretF64, .f64ReinterpretI64:
            let entry = stack.pop()
            stack.push(signature.result, entry.source)
            return
        default:
            break
        }
        if let handler = numericHandler(op) {
            if signature.operandCount == 1 {
                let a = stack.pop()
                let s = readSlot(a)
                let d = stack.push(signature.result)
                emitProducer(handler, operands(d, s), slot: d)
                recordOperation(op, lhs: s, rhs: nil, immediate: 0, slot: d)
            } else {
                binary(op, handler, result: signature.result)
            }
            return
        }
        guard let handler = simdHandler(op) else { return }
        switch signature.operandCount {
        case 1: unary(handler, result: signature.result)
        case 2: simdBinary(handler, result: signature.result)
        default: simdTernary(handler)
        }
    }

    private mutating func binary(_ op: NumericOp, _ handler: Handler, result: ValueType) {
        var b = stack.pop()
        var a = stack.pop()
        var op = op
        var handler = handler
        // A constant on the left of a commutative operator (or a comparison, mirrored) moves right.
        if a.source.isScalarConstant && !b.source.isScalarConstant, let mirrored = op.mirrored,
           let h = numericHandler(mirrored) {
            swap(&a, &b)
            op = mirrored
            handler = h
        }
        // x + constant stays lazy (see StackEntry.Source.sum).
        if op == .i32Add, case .constant(let c) = b.source {
            let immediate = UInt32(truncatingIfNeeded: c)
            switch a.source {
            case .local(let slot):
                stack.push(.i32, .sum(base: slot, immediate: immediate))
                return
            case .canonical:
                stack.push(.i32, .sum(base: a.slot, immediate: immediate))
                return
            case .sum(let base, let first):
                stack.push(.i32, .sum(base: base, immediate: first &+ immediate))
                return
            default:
                break
            }
        }
        if fuseShift(op, a, b, result: result) { return }
        if fuseLoad(op, a, b, result: result) { return }
        let lhs = readSlot(a)
        let d = stack.push(result)
        if case .constant(let value) = b.source, let immediate = op.immediate(value),
           let h = numericImmediateHandler(op) {
            emitProducer(h, operands(d, lhs) | UInt64(immediate) << 32, slot: d)
            recordOperation(op, lhs: lhs, rhs: nil, immediate: immediate, slot: d)
            return
        }
        if case .constant(let value) = b.source, let h = numericImmediate64Handler(op) ?? floatImmediateHandler(op) {
            emitProducer(h, operands(d, lhs), slot: d)
            code.append(value)
            producer?.end = code.position
            // An f32 comparison with a constant can fuse with a branch on it (the constant fits 32 bits).
            if op.signature.operand0 == .f32, op.isFusableComparison {
                recordOperation(op, lhs: lhs, rhs: nil, immediate: UInt32(truncatingIfNeeded: value), slot: d)
            }
            return
        }
        let rhs = readSlot(b)
        emitProducer(handler, operands(d, lhs, rhs), slot: d)
        recordOperation(op, lhs: lhs, rhs: rhs, immediate: 0, slot: d)
    }

    /// `a OP (b SHIFT k)`: when one operand is a shift by a constant emitted just before,
    /// one fused instruction replaces both.
    private mutating func fuseShift(_ op: NumericOp, _ a: StackEntry, _ b: StackEntry, result: ValueType) -> Bool {
        guard let shift = lastOperation, shift.rhs == nil, shift.op.isShift,
              code.isLastInstruction(start: shift.start, end: shift.end),
              let handler = fusedShiftHandler(op, shift: shift.op) else { return false }
        guard let other = otherOperand(op, a, b, producedIn: shift.slot) else { return false }
        code.truncate(to: shift.start)
        lastOperation = nil
        producer = nil
        let otherSlot = readSlot(other)
        let d = stack.push(result)
        let bits: UInt32 = shift.op.signature.operand0 == .i64 ? 63 : 31
        emitProducer(handler, operands(d, otherSlot, shift.lhs, Int(shift.immediate & bits)), slot: d)
        return true
    }

    /// `a OP load(address)` for float arithmetic: when an operand was loaded by the instruction
    /// just before, one fused instruction replaces both.
    private mutating func fuseLoad(_ op: NumericOp, _ a: StackEntry, _ b: StackEntry, result: ValueType) -> Bool {
        guard let load = lastLoad, code.isLastInstruction(start: load.start, end: load.end) else { return false }
        guard let other = otherOperand(op, a, b, producedIn: load.slot) else { return false }
        let mode: AddressMode = load.immediate == nil ? .slot : .slotPlusImmediate
        guard let handler = loadOperandHandler(op, mode) else { return false }
        code.truncate(to: load.start)
        lastLoad = nil
        producer = nil
        let otherSlot = readSlot(other)
        let d = stack.push(result)
        emitProducer(handler, operands(d, otherSlot, load.base), slot: d)
        code.append(load.immediate.map { UInt64($0) | load.offset << 32 } ?? load.offset)
        producer?.end = code.position
        return true
    }

    /// The operand of `a OP b` other than the value just produced into `slot`: `a` when `b`
    /// is that value, `b` when `a` is and `op` is commutative; nil otherwise.
    private func otherOperand(_ op: NumericOp, _ a: StackEntry, _ b: StackEntry, producedIn slot: Int) -> StackEntry? {
        if b.source == .canonical, b.slot == slot { return a }
        if a.source == .canonical, a.slot == slot, op.mirrored == op { return b }
        return nil
    }

    mutating func recordOperation(_ op: NumericOp, lhs: Int, rhs: Int?, immediate: UInt32, slot: Int) {
        guard let p = producer else { return }
        lastOperation = Operation(start: p.start, end: p.end, slot: slot, op: op, lhs: lhs, rhs: rhs, immediate: immediate)
    }

    mutating func simdBinary(_ handler: Handler, result: ValueType) {
        let b = stack.pop(), a = stack.pop()
        let bs = readSlot(b), asl = readSlot(a)
        let d = stack.push(result)
        emitProducer(handler, operands(d, asl, bs), slot: d)
    }

    mutating func simdTernary(_ handler: Handler) {
        let c = stack.pop(), b = stack.pop(), a = stack.pop()
        let cs = readSlot(c), bs = readSlot(b), asl = readSlot(a)
        let d = stack.push(.v128)
        emitProducer(handler, operands(d, asl, bs, cs), slot: d)
    }
}

extension StackEntry.Source {
    var isScalarConstant: Bool {
        if case .constant = self { return true }
        return false
    }
}

extension NumericOp {
    /// The operator with its operands swapped, when there is one.
    var mirrored: NumericOp? {
        switch self {
        case .i32Add, .i32Mul, .i32And, .i32Or, .i32Xor, .i32Eq, .i32Ne,
             .i64Add, .i64Mul, .i64And, .i64Or, .i64Xor, .i64Eq, .i64Ne,
             .f32Add, .f32Mul, .f32Eq, .f32Ne, .f64Add, .f64Mul, .f64Eq, .f64Ne:
            return self
        case .f32Lt: return .f32Gt
        case .f32Gt: return .f32Lt
        case .f32Le: return .f32Ge
        case .f32Ge: return .f32Le
        case .f64Lt: return .f64Gt
        case .f64Gt: return .f64Lt
        case .f64Le: return .f64Ge
        case .f64Ge: return .f64Le
        case .i32LtS: return .i32GtS
        case .i32LtU: return .i32GtU
        case .i32GtS: return .i32LtS
        case .i32GtU: return .i32LtU
        case .i32LeS: return .i32GeS
        case .i32LeU: return .i32GeU
        case .i32GeS: return .i32LeS
        case .i32GeU: return .i32LeU
        case .i64LtS: return .i64GtS
        case .i64LtU: return .i64GtU
        case .i64GtS: return .i64LtS
        case .i64GtU: return .i64LtU
        case .i64LeS: return .i64GeS
        case .i64LeU: return .i64GeU
        case .i64GeS: return .i64LeS
        case .i64GeU: return .i64LeU
        default: return nil
        }
    }

    /// The comparison that holds exactly when this one does not: every integer comparison, and
    /// float equality (a NaN makes `==` false and `!=` true); float orderings have none.
    var complement: NumericOp? {
        switch self {
        case .f32Eq: return .f32Ne
        case .f32Ne: return .f32Eq
        case .f64Eq: return .f64Ne
        case .f64Ne: return .f64Eq
        case .i32Eq: return .i32Ne
        case .i32Ne: return .i32Eq
        case .i32LtS: return .i32GeS
        case .i32GeS: return .i32LtS
        case .i32LtU: return .i32GeU
        case .i32GeU: return .i32LtU
        case .i32GtS: return .i32LeS
        case .i32LeS: return .i32GtS
        case .i32GtU: return .i32LeU
        case .i32LeU: return .i32GtU
        case .i64Eq: return .i64Ne
        case .i64Ne: return .i64Eq
        case .i64LtS: return .i64GeS
        case .i64GeS: return .i64LtS
        case .i64LtU: return .i64GeU
        case .i64GeU: return .i64LtU
        case .i64GtS: return .i64LeS
        case .i64LeS: return .i64GtS
        case .i64GtU: return .i64LeU
        case .i64LeU: return .i64GtU
        default: return nil
        }
    }

    /// The 32-bit immediate encoding of a constant right operand, if it fits the immediate form.
    func immediate(_ value: UInt64) -> UInt32? {
        switch signature.operand0 {
        case .i32:
            return UInt32(truncatingIfNeeded: value)
        case .i64:
            let v = Int64(bitPattern: value)
            guard v >= Int64(Int32.min) && v <= Int64(Int32.max) else { return nil }
            return UInt32(bitPattern: Int32(v))
        default:
            return nil
        }
    }

    var isShift: Bool {
        switch self {
        case .i32Shl, .i32ShrS, .i32ShrU, .i32Rotl, .i32Rotr, .i64Shl, .i64ShrS, .i64ShrU, .i64Rotl, .i64Rotr: return true
        default: return false
        }
    }

    /// Integer comparisons (and eqz) that have a compare-and-branch form.
    var isFusableComparison: Bool {
        switch self {
        case .i32Eqz, .i32Eq, .i32Ne, .i32LtS, .i32LtU, .i32GtS, .i32GtU, .i32LeS, .i32LeU, .i32GeS, .i32GeU,
             .i64Eqz, .i64Eq, .i64Ne, .i64LtS, .i64LtU, .i64GtS, .i64GtU, .i64LeS, .i64LeU, .i64GeS, .i64GeU,
             .f32Eq, .f32Ne, .f32Lt, .f32Gt, .f32Le, .f32Ge, .f64Eq, .f64Ne, .f64Lt, .f64Gt, .f64Le, .f64Ge:
            return true
        default:
            return false
        }
    }
}
