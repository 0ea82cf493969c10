import SwimTypes

/// Typed function references: `call_ref`, `ref.as_non_null`, `br_on_null`, `br_on_non_null`,
/// and the branches of GC's casts.
/// A reference is one slot, 0 for null; the null checks keep lazy entries lazy.
extension Translator {
    mutating func callRef(typeIndex: UInt32) {
        let calleeType = instance.storeType(module.functionType(typeIndex))
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
        branch(toDepth: depth, when: .isNull, referenceSlot: referenceSlot)
        stack.push(reference.type.nonNullable, reference.source)
        producer = nil
    }

    /// Branches with the label's values, the reference last, when it is not null; else drops it.
    mutating func branchOnNonNull(depth: Int) {
        let referenceSlot = keepReferenceForBranch()
        branch(toDepth: depth, when: .isNotNull, referenceSlot: referenceSlot)
        _ = stack.pop()
        producer = nil
    }

    /// `br_on_cast` and `br_on_cast_fail`: branches with the label's values, the reference last,
    /// when `condition` holds; else continues with the reference, of type `continuing`.
    mutating func branchOnReference(depth: Int, _ condition: ReferenceCondition, continuing: RefType) {
        let referenceSlot = keepReferenceForBranch()
        branch(toDepth: depth, when: condition, referenceSlot: referenceSlot)
        let reference = stack.pop()
        stack.push(.ref(continuing), reference.source)
        producer = nil
    }

    /// The slot the top reference is read from; it stays on the stack for the branch's moves
    /// (a constant goes to its slot).
    private mutating func keepReferenceForBranch() -> Int {
        let top = stack.count - 1
        if case .constant = stack[top].source { materialize(top) }
        return stack[top].source.localSlot ?? stack[top].slot
    }

    /// A branch to the frame `depth` levels out, taken when the reference in `referenceSlot`
    /// meets `condition`, carrying the top entries as the label's values.
    private mutating func branch(toDepth depth: Int, when condition: ReferenceCondition, referenceSlot: Int) {
        let index = frames.count - 1 - depth
        let target = frames[index]
        let count = target.labelTypes.count
        if target.kind != .function && valuesInPlace(count: count, at: target.labelSlot) {
            bind(emitReferenceBranch(referenceSlot, when: condition), toFrame: index)
            return
        }
        // Values must move (or the function returns): skip that code when the branch is not taken.
        let skip = emitReferenceBranch(referenceSlot, when: condition.negated)
        if target.kind == .function {
            emitReturn()
        } else {
            moveValues(count: count, to: target.labelSlot)
            bind(emitJump(), toFrame: index)
        }
        code.patch(skip, target: code.position)
    }

    /// A branch taken when the reference in `slot` meets `condition`.
    private mutating func emitReferenceBranch(_ slot: Int, when condition: ReferenceCondition) -> BranchFixup {
        switch condition {
        case .isNull, .isNotNull:
            let start = code.emit(condition == .isNull ? h_brUnless64 : h_brIf64)
            code.append(UInt64(slot))
            return BranchFixup(instruction: start, word: start + 1, encoding: .high48)
        case .cast(let test, let target, let succeeds):
            let start = code.emit(succeeds ? h_brOnCast : h_brOnCastFail)
            code.append(UInt64(slot) | UInt64(test) << 32)
            code.append(target)
            code.append(0)
            return BranchFixup(instruction: start, word: start + 3, encoding: .word)
        }
    }
}

/// When a branch on a reference is taken.
enum ReferenceCondition: Equatable {
    case isNull
    case isNotNull
    /// The cast `test` to `target` (see `CastTest`) succeeds, or fails.
    case cast(test: UInt32, target: UInt64, succeeds: Bool)

    var negated: ReferenceCondition {
        switch self {
        case .isNull: return .isNotNull
        case .isNotNull: return .isNull
        case .cast(let test, let target, let succeeds): return .cast(test: test, target: target, succeeds: !succeeds)
        }
    }
}

extension ValueType {
    /// For a reference type, the same without null; other types unchanged.
    var nonNullable: ValueType {
        if case .ref(let r) = self { return .ref(r.nonNullable) }
        return self
    }
}
