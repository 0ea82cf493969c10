import SwimTypes

/// Typed function references: `call_ref`, `ref.as_non_null`, `br_on_null`, `br_on_non_null`.
/// A reference is one slot, 0 for null; the null checks keep lazy entries lazy.
extension Translator {
    mutating func callRef(typeIndex: UInt32) {
        let calleeType = module.types[Int(typeIndex)]
        let reference = stack.pop()
        let referenceSlot = readSlot(reference)
        emitCall(calleeType) { translator, argumentSlot in
            translator.code.emit(h_callRef, operands(argumentSlot, referenceSlot))
            translator.code.append(pointer: translator.instance.memory0)
        }
    }

    mutating func refAsNonNull() {
        let reference = stack.pop()
        code.emit(h_refAsNonNull, UInt64(readSlot(reference)))
        stack.push(reference.type.nonNullable, reference.source)
        producer = nil
    }

    /// Branches with the values under the reference when it is null; else continues with the reference.
    mutating func branchOnNull(depth: Int) {
        let reference = stack.pop()
        let referenceSlot = readSlot(reference)
        branch(toDepth: depth, whenNull: true, referenceSlot: referenceSlot)
        stack.push(reference.type.nonNullable, reference.source)
        producer = nil
    }

    /// Branches with the label's values, the reference last, when it is not null; else drops it.
    mutating func branchOnNonNull(depth: Int) {
        let top = stack.count - 1
        // The reference stays on the stack for the branch's moves; a constant goes to its slot.
        if case .constant = stack[top].source { materialize(top) }
        let referenceSlot = stack[top].source.localSlot ?? stack[top].slot
        branch(toDepth: depth, whenNull: false, referenceSlot: referenceSlot)
        _ = stack.pop()
        producer = nil
    }

    /// A branch to the frame `depth` levels out, taken when the reference in `referenceSlot` is
    /// null (`whenNull`) or not null, carrying the top entries as the label's values.
    private mutating func branch(toDepth depth: Int, whenNull: Bool, referenceSlot: Int) {
        let index = frames.count - 1 - depth
        let target = frames[index]
        let count = target.labelTypes.count
        if target.kind != .function && valuesInPlace(count: count, at: target.labelSlot) {
            bind(emitNullBranch(referenceSlot, whenNull: whenNull), toFrame: index)
            return
        }
        // Values must move (or the function returns): skip that code when the branch is not taken.
        let skip = emitNullBranch(referenceSlot, whenNull: !whenNull)
        if target.kind == .function {
            emitReturn()
        } else {
            moveValues(count: count, to: target.labelSlot)
            bind(emitJump(), toFrame: index)
        }
        code.patch(skip, target: code.position)
    }

    /// A branch taken when the reference is null (`whenNull`) or not null.
    private mutating func emitNullBranch(_ slot: Int, whenNull: Bool) -> BranchFixup {
        let start = code.emit(whenNull ? h_brUnless64 : h_brIf64)
        code.append(UInt64(slot))
        return BranchFixup(instruction: start, word: start + 1, encoding: .high48)
    }
}

extension ValueType {
    /// For a reference type, the same without null; other types unchanged.
    var nonNullable: ValueType {
        if case .ref(let r) = self { return .ref(r.nonNullable) }
        return self
    }
}
