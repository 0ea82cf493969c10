import SwimTypes

/// Blocks, branches and returns.
///
/// A label's values live in the canonical slots where the frame's parameters
/// started; a branch moves its values there (on the taken path only) and jumps.
/// All lazy entries are materialized when a block starts, so both paths through
/// it see the same slots.
extension Translator {
    func blockSignature(_ bt: BlockType) -> (parameters: [ValueType], results: [ValueType]) {
        switch bt {
        case .empty: return ([], [])
        case .value(let t): return ([], [instance.storeType(t)])
        case .type(let i):
            let t = instance.storeType(module.functionType(i))
            return (t.parameters, t.results)
        }
    }

    mutating func enterBlock(_ kind: ControlFrame.Kind, _ bt: BlockType) {
        let (parameters, results) = blockSignature(bt)
        materializeAll()
        let height = stack.count - parameters.count
        var frame = ControlFrame(kind: kind, height: height, parameters: parameters, results: results,
                                 labelSlot: stack.slot(atHeight: height))
        frame.scope = currentScope
        frame.outerScope = currentScope
        producer = nil
        lastOperation = nil
        if kind == .loop {
            code.markLabel()
            frame.loopStart = code.position
            if interruptible { code.emit(h_checkInterrupt) }
        }
        frames.append(frame)
    }

    mutating func enterIf(_ bt: BlockType) {
        let (parameters, results) = blockSignature(bt)
        let condition = stack.pop()
        let fused = takeComparison(for: condition)
        let conditionSlot = fused == nil ? readSlot(condition) : 0
        materializeAll()
        let height = stack.count - parameters.count
        var frame = ControlFrame(kind: .if, height: height, parameters: parameters, results: results,
                                 labelSlot: stack.slot(atHeight: height))
        frame.scope = currentScope
        frame.outerScope = currentScope
        // Jump to the else branch when the condition is false.
        frame.elseFixup = emitConditionalBranch(fused, conditionSlot: conditionSlot, whenTrue: false)
        producer = nil
        lastOperation = nil
        frames.append(frame)
    }

    mutating func translateElse() {
        var frame = frames.removeLast()
        if !frame.unreachable {
            moveValues(count: frame.results.count, to: frame.labelSlot)
            frame.endFixups.append(emitJump())
        }
        if let fixup = frame.elseFixup { code.patch(fixup, target: code.position) }
        frame.elseFixup = nil
        stack.truncate(to: frame.height)
        for t in frame.parameters { stack.push(t) }
        frame.kind = .else
        frame.unreachable = false
        deadDepth = 0
        producer = nil
        lastOperation = nil
        frames.append(frame)
    }

    mutating func translateEnd() {
        let frame = frames.removeLast()
        if frame.kind == .function {
            if !frame.unreachable { emitReturn() }
            return
        }
        if !frame.unreachable { moveValues(count: frame.results.count, to: frame.labelSlot) }
        // An if without else: the false path falls through with its parameters (= results) in place.
        if let fixup = frame.elseFixup { code.patch(fixup, target: code.position) }
        for fixup in frame.endFixups { code.patch(fixup, target: code.position) }
        bindCatches(frame.catchFixups, to: code.position)
        enterScope(frame.outerScope)
        stack.truncate(to: frame.height)
        for t in frame.results { stack.push(t) }
        deadDepth = 0
        producer = nil
        lastOperation = nil
    }

    mutating func markUnreachable() {
        let i = frames.count - 1
        stack.truncate(to: frames[i].floor)
        frames[i].unreachable = true
    }

    // MARK: Branches

    /// Moves the top `count` entries into consecutive slots from `destination`.
    /// Sources are never below their destinations, so ascending order is safe.
    mutating func moveValues(count: Int, to destination: Int) {
        var slot = destination
        for i in (stack.count - count)..<stack.count {
            let entry = stack[i]
            move(entry, to: slot)
            slot += entry.width
        }
    }

    /// Whether the top `count` entries already sit in the label's slots.
    func valuesInPlace(count: Int, at destination: Int) -> Bool {
        var slot = destination
        for i in (stack.count - count)..<stack.count {
            let entry = stack[i]
            if entry.source != .canonical || entry.slot != slot { return false }
            slot += entry.width
        }
        return true
    }

    /// An unconditional jump; returns its fixup.
    mutating func emitJump() -> BranchFixup {
        let start = code.emit(h_br)
        code.append(0)
        return BranchFixup(instruction: start, word: start + 1, encoding: .word)
    }

    /// Points a fixup at the frame `depth` levels out (forward to its end, or back to a loop's start).
    mutating func bind(_ fixup: BranchFixup, toFrame index: Int) {
        if frames[index].kind == .loop {
            code.patch(fixup, target: frames[index].loopStart)
        } else {
            frames[index].endFixups.append(fixup)
        }
    }

    mutating func branch(depth: Int) {
        let index = frames.count - 1 - depth
        if frames[index].kind == .function {
            emitReturn()
            return
        }
        let target = frames[index]
        moveValues(count: target.labelTypes.count, to: target.labelSlot)
        bind(emitJump(), toFrame: index)
    }

    mutating func branchIf(depth: Int) {
        let condition = stack.pop()
        let fused = takeComparison(for: condition)
        let conditionSlot = fused == nil ? readSlot(condition) : 0
        let index = frames.count - 1 - depth
        let target = frames[index]
        let count = target.labelTypes.count
        if target.kind != .function && valuesInPlace(count: count, at: target.labelSlot) {
            bind(emitConditionalBranch(fused, conditionSlot: conditionSlot, whenTrue: true), toFrame: index)
            return
        }
        // Values must move (or the function returns): skip that code when the condition is false.
        let skip = emitConditionalBranch(fused, conditionSlot: conditionSlot, whenTrue: false)
        if target.kind == .function {
            emitReturn()
        } else {
            moveValues(count: count, to: target.labelSlot)
            bind(emitJump(), toFrame: index)
        }
        code.patch(skip, target: code.position)
    }

    mutating func branchTable(_ table: BranchTable) {
        let index = stack.pop()
        let indexSlot = readSlot(index)
        let targets = table.targets.map(Int.init) + [Int(table.defaultTarget)]
        let start = code.emit(h_brTable)
        code.append(UInt64(indexSlot) | UInt64(table.targets.count) << 16)
        let firstEntry = code.position
        for _ in targets { code.append(0) }
        // Targets whose values must move get a landing pad after the table, shared per depth.
        var pads: [Int: Int] = [:]
        for (i, depth) in targets.enumerated() {
            let entry = BranchFixup(instruction: start, word: firstEntry + i, encoding: .word)
            let frameIndex = frames.count - 1 - depth
            let target = frames[frameIndex]
            if target.kind != .function && valuesInPlace(count: target.labelTypes.count, at: target.labelSlot) {
                bind(entry, toFrame: frameIndex)
            } else if let pad = pads[depth] {
                code.patch(entry, target: pad)
            } else {
                pads[depth] = code.position
                code.patch(entry, target: code.position)
                branch(depth: depth)
            }
        }
    }

    /// Moves the results into slots 0... and returns to the caller.
    ///
    /// This may be code on one path only (a `br_if` or `br_table` to the function's label), so
    /// it leaves the stack model as it was: the fall-through path still sees lazy entries.
    mutating func emitReturn() {
        let results = type.results
        let first = stack.count - results.count
        let resultSlots = results.reduce(0) { $0 + $1.slotCount }
        // Where each result is read from. A result from a low local could be overwritten by an
        // earlier result, and a lazy sum has to be computed: both go through their own slot.
        var sources: [StackEntry] = []
        for i in first..<stack.count {
            var entry = stack[i]
            switch entry.source {
            case .local(let slot) where slot < resultSlots:
                emitCopy(entry.type, from: slot, to: entry.slot)
                entry.source = .canonical
            case .sum(let base, let immediate):
                emitSum(base: base, immediate: immediate, to: entry.slot)
                entry.source = .canonical
            default:
                break
            }
            sources.append(entry)
        }
        if sources.count == 1 && sources[0].type != .v128 {
            let entry = sources[0]
            if case .constant(let value) = entry.source {
                emitConstant(value, to: 0)
                code.emit(h_return, UInt64(layout.headerSlot))
                return
            }
            code.emit(h_return1, operands(layout.headerSlot, entry.source.localSlot ?? entry.slot))
            return
        }
        var slot = 0
        for entry in sources {
            move(entry, to: slot)
            slot += entry.width
        }
        code.emit(h_return, UInt64(layout.headerSlot))
    }

    // MARK: Conditions

    /// Takes the comparison that produced `condition`, removing its code, when it was the last instruction.
    mutating func takeComparison(for condition: StackEntry) -> Operation? {
        guard let c = lastOperation, c.op.isFusableComparison, code.isLastInstruction(start: c.start, end: c.end),
              condition.source == .canonical, condition.slot == c.slot else { return nil }
        code.truncate(to: c.start)
        lastOperation = nil
        producer = nil
        return c
    }

    /// Emits a branch taken when the condition is `whenTrue`; returns its fixup.
    mutating func emitConditionalBranch(_ fused: Operation?, conditionSlot: Int, whenTrue: Bool) -> BranchFixup {
        guard let c = fused else {
            let start = code.emit(whenTrue ? h_brIf32 : h_brUnless32)
            code.append(UInt64(conditionSlot))
            return BranchFixup(instruction: start, word: start + 1, encoding: .high48)
        }
        switch c.op {
        case .i32Eqz, .i64Eqz:
            // eqz(a) is true when a is zero.
            let is64 = c.op == .i64Eqz
            // (No nested conditional of thin functions: it crashes Swift 6.3's region analysis.)
            let start: Int
            switch (whenTrue, is64) {
            case (true, true): start = code.emit(h_brUnless64)
            case (true, false): start = code.emit(h_brUnless32)
            case (false, true): start = code.emit(h_brIf64)
            case (false, false): start = code.emit(h_brIf32)
            }
            code.append(UInt64(c.lhs))
            return BranchFixup(instruction: start, word: start + 1, encoding: .high48)
        default:
            // A branch on a false comparison is a branch on its complement. Float orderings
            // have none (with a NaN operand, `a < b` and `a >= b` are both false): they branch
            // on the comparison's negation.
            let complement = whenTrue ? nil : c.op.complement
            let negated = !whenTrue && complement == nil
            let op = complement ?? c.op
            let registerForm: Handler?, immediateForm: Handler?
            if negated {
                registerForm = negatedCompareBranchHandler(op)
                immediateForm = negatedCompareBranchImmediateHandler(op)
            } else {
                registerForm = compareBranchHandler(op)
                immediateForm = compareBranchImmediateHandler(op)
            }
            if let rhs = c.rhs, let handler = registerForm {
                let start = code.emit(handler)
                code.append(operands(c.lhs, rhs))
                return BranchFixup(instruction: start, word: start + 1, encoding: .high32)
            }
            if c.rhs == nil, let handler = immediateForm {
                let start = code.emit(handler)
                code.append(UInt64(c.lhs) | UInt64(c.immediate) << 32)
                code.append(0)
                return BranchFixup(instruction: start, word: start + 2, encoding: .word)
            }
            // Not reached: every recorded comparison has fused forms.
            let start = code.emit(whenTrue ? h_brIf32 : h_brUnless32)
            code.append(UInt64(c.slot))
            return BranchFixup(instruction: start, word: start + 1, encoding: .high48)
        }
    }
}

extension StackEntry.Source {
    var localSlot: Int? {
        if case .local(let s) = self { return s }
        return nil
    }
}
