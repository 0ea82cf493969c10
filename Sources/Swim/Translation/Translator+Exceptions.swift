import SwimTypes

/// Exception handling: `throw` and `throw_ref` become instructions; `try_table` and the
/// legacy `try` emit no code at all, only entries of the function's `HandlerTable`, which
/// the unwinder reads when an exception passes through (see `Unwinding.swift`).
///
/// A catch delivers its values as a branch to its label does: to the label's slots, every
/// operand below them already in its canonical slot (blocks materialize all entries when
/// they start, and a `try_table` is a block).
extension Translator {
    /// Makes `scope` cover the code emitted from now on.
    mutating func enterScope(_ scope: Int) {
        guard scope != currentScope else { return }
        // No peephole reaches back across the change: each instruction stays in its region.
        code.markLabel()
        producer = nil
        lastOperation = nil
        handlers.enter(scope, at: code.position)
        currentScope = scope
    }

    /// Sets the destination of catches that land at `position` (a frame's end).
    mutating func bindCatches(_ fixups: [(scope: Int, index: Int)], to position: Int) {
        guard !fixups.isEmpty else { return }
        code.markLabel()
        for f in fixups { handlers.scopes[f.scope].catches[f.index].destination = .code(position) }
    }

    /// `throw x`: the payload is the top operands, in consecutive slots.
    mutating func throwException(tag index: Int) {
        let tag = instance.tags[index]
        let payloadCount = instance.store.types[Int(tag.pointee.typeID)].parameters.count
        let first = stack.count - payloadCount
        for i in first..<stack.count { materialize(i) }
        let payloadSlot = stack.slot(atHeight: first)
        code.emit(h_throw, UInt64(payloadSlot))
        code.append(pointer: tag)
    }

    /// `try_table bt catch*`: a block whose catches branch to labels around it.
    mutating func enterTryTable(_ bt: BlockType, _ clauses: [CatchClause]) {
        let scope = handlers.scopes.count
        handlers.scopes.append(HandlerTable.Scope(parent: currentScope))
        for clause in clauses {
            let target = frames.count - 1 - Int(clause.label)
            let tag = clause.tag.map { instance.tags[Int($0)] }
            let payloadSlot = frames[target].kind == .function ? 0 : frames[target].labelSlot
            let payloadSlots = tag.map(\.pointee.payloadSlots) ?? 0
            var destination = HandlerTable.Destination.functionReturn
            switch frames[target].kind {
            case .function:
                break
            case .loop:
                destination = .code(frames[target].loopStart)
            default:
                destination = .code(0)  // patched at the frame's end
                frames[target].catchFixups.append((scope, handlers.scopes[scope].catches.count))
            }
            handlers.scopes[scope].catches.append(HandlerTable.Catch(
                tag: tag, payloadSlot: payloadSlot,
                referenceSlot: clause.passesReference ? payloadSlot + payloadSlots : nil,
                destination: destination))
        }
        enterBlock(.block, bt)
        frames[frames.count - 1].scope = scope
        enterScope(scope)
    }

    /// Legacy `try bt`: a block whose handlers follow its body; they are added to its scope
    /// as `catch` and `catch_all` come.
    mutating func enterTry(_ bt: BlockType) {
        let scope = handlers.scopes.count
        handlers.scopes.append(HandlerTable.Scope(parent: currentScope))
        enterBlock(.try, bt)
        frames[frames.count - 1].scope = scope
        frames[frames.count - 1].tryScope = scope
        enterScope(scope)
    }

    /// Legacy `catch x` (or `catch_all` with no tag): ends the body or the previous handler
    /// as `else` ends a `then`, and starts a handler. The handler gets the caught exception in
    /// a slot of its own, for `rethrow`, below the payload.
    mutating func translateCatch(tag index: UInt32?) {
        var frame = frames.removeLast()
        if !frame.unreachable {
            moveValues(count: frame.results.count, to: frame.labelSlot)
            frame.endFixups.append(emitJump())
        }
        // An exception in a handler is not the try's to catch.
        enterScope(frame.outerScope)
        frame.scope = frame.outerScope
        code.markLabel()
        stack.truncate(to: frame.height)
        let caughtSlot = stack.push(.exnref)
        let tag = index.map { instance.tags[Int($0)] }
        if let tag {
            for t in instance.store.types[Int(tag.pointee.typeID)].parameters { stack.push(t) }
        }
        handlers.scopes[frame.tryScope].catches.append(HandlerTable.Catch(
            tag: tag, payloadSlot: caughtSlot + 1, referenceSlot: caughtSlot, destination: .code(code.position)))
        frame.kind = .catch
        frame.caughtSlot = caughtSlot
        frame.unreachable = false
        deadDepth = 0
        producer = nil
        lastOperation = nil
        frames.append(frame)
    }

    /// Legacy `delegate l`: ends the `try`, whose exceptions go to the scope that covers the
    /// code directly in label l's block (the caller for the function's label).
    mutating func translateDelegate(depth: Int) {
        let frame = frames[frames.count - 1]
        let target = frames.count - 2 - depth
        handlers.scopes[frame.tryScope].parent = frames[target].kind == .function ? -1 : frames[target].scope
        translateEnd()
    }
}
