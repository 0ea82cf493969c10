import SwimTypes

/// Structured control, branches and calls: the control-stack half of the algorithm.
extension FunctionValidator {
    // MARK: Frames

    /// Enters a frame (the spec's `push_ctrl`) and pushes its parameters.
    mutating func pushFrame(_ kind: ControlFrame.Kind, _ signature: Signature) {
        frames.append(ControlFrame(kind: kind, signature: signature, height: stack.height, unreachable: false,
                                   initializationHeight: locals.initializationHeight))
        if frames.count > maxControlDepth { maxControlDepth = frames.count }
        stack.floor = stack.height
        stack.polymorphic = false
        pushTypes(signature.parameters)
    }

    /// Leaves the innermost frame (the spec's `pop_ctrl`): its results must be exactly
    /// what is left above its start height.
    mutating func popFrame(at offset: Int) throws(ValidationError) -> ControlFrame {
        guard let frame = frames.last else {
            throw ValidationError("unexpected end: no block is open", offset: offset)
        }
        try popTypes(frame.signature.results, at: offset)
        guard stack.height == frame.height else {
            throw ValidationError(
                "type mismatch: block requires \(pool.describe(frame.signature.results)) "
                    + "but \(stack.height - frame.height) more value(s) remain on the stack",
                offset: offset)
        }
        frames.removeLast()
        locals.resetInitialization(to: frame.initializationHeight)
        if let enclosing = frames.last {
            stack.floor = enclosing.height
            stack.polymorphic = enclosing.unreachable
        }
        return frame
    }

    /// The spec's `unreachable()`: drops the frame's operands and makes its stack polymorphic.
    mutating func markUnreachable() {
        guard !frames.isEmpty else { return }
        let last = frames.count - 1
        stack.truncate(to: frames[last].height)
        frames[last].unreachable = true
        stack.polymorphic = true
    }

    /// The frame a branch of the given depth targets.
    mutating func label(_ depth: UInt32, at offset: Int) throws(ValidationError) -> ControlFrame {
        let d = Int(depth)
        guard d < frames.count else { throw ValidationError("unknown label \(depth)", offset: offset) }
        return frames[frames.count - 1 - d]
    }

    // MARK: Blocks

    mutating func blockSignature(_ type: BlockType, at offset: Int) throws(ValidationError) -> Signature {
        switch type {
        case .empty:
            return .empty
        case .value(let value):
            try context.checkValueType(value, at: offset)
            return Signature(parameters: .empty, results: .single(OperandType(context.canonical(value))))
        case .type(let index):
            let signature = try context.signature(ofType: index, at: offset)
            if !context.features.contains(.multiValue),
                signature.parameters.count > 0 || signature.results.count > 1
            {
                throw ValidationError("invalid result arity: block type \(index) needs multi-value", offset: offset)
            }
            return signature
        }
    }

    mutating func enterBlock(_ kind: ControlFrame.Kind, _ type: BlockType, at offset: Int) throws(ValidationError) {
        let signature = try blockSignature(type, at: offset)
        try popTypes(signature.parameters, at: offset)
        pushFrame(kind, signature)
    }

    mutating func validateElse(at offset: Int) throws(ValidationError) {
        let frame = try popFrame(at: offset)
        pushFrame(.else, frame.signature)
    }

    mutating func validateEnd(at offset: Int) throws(ValidationError) {
        var frame = try popFrame(at: offset)
        releaseHandlerSlot(of: frame)
        if frame.kind == .if {
            // An `if` without `else` has an implicit empty else branch, which must turn
            // the parameters into the results.
            pushFrame(.else, frame.signature)
            frame = try popFrame(at: offset)
        }
        pushTypes(frame.signature.results)
    }

    // MARK: Branches

    mutating func validateBr(_ depth: UInt32, at offset: Int) throws(ValidationError) {
        let target = try label(depth, at: offset)
        try popTypes(target.labelTypes, at: offset)
        markUnreachable()
    }

    mutating func validateBrIf(_ depth: UInt32, at offset: Int) throws(ValidationError) {
        try stack.pop(.i32, at: offset)
        let types = try label(depth, at: offset).labelTypes
        try popTypes(types, at: offset)
        pushTypes(types)
    }

    mutating func validateBrTable(_ table: BranchTable, at offset: Int) throws(ValidationError) {
        try stack.pop(.i32, at: offset)
        let defaultTypes = try label(table.defaultTarget, at: offset).labelTypes
        let arity = defaultTypes.count
        for depth in table.targets {
            let types = try label(depth, at: offset).labelTypes
            guard types.count == arity else {
                throw ValidationError(
                    "type mismatch: br_table target \(depth) expects \(pool.describe(types)) "
                        + "but the default target expects \(pool.describe(defaultTypes))",
                    offset: offset)
            }
            try checkTop(types, at: offset)
        }
        try popTypes(defaultTypes, at: offset)
        markUnreachable()
    }

    /// `br_on_null`: branches with the label's values when the reference is null, else
    /// continues with them and the reference, now known to be non-null.
    mutating func validateBrOnNull(_ depth: UInt32, at offset: Int) throws(ValidationError) {
        let reference = try popReference("br_on_null", at: offset)
        let types = try label(depth, at: offset).labelTypes
        try popTypes(types, at: offset)
        pushTypes(types)
        stack.push(reference.nonNullable)
    }

    /// `br_on_non_null`: branches with the label's values, the last being the non-null
    /// reference, when it is not null; else drops the reference and continues.
    mutating func validateBrOnNonNull(_ depth: UInt32, at offset: Int) throws(ValidationError) {
        let reference = try popReference("br_on_non_null", at: offset)
        let types = try label(depth, at: offset).labelTypes
        let count = types.count
        guard count > 0, Subtyping.matches(reference.nonNullable, pool[types, count - 1]),
              pool[types, count - 1].isReference
        else {
            throw ValidationError(
                "type mismatch: br_on_non_null of [\(reference)] needs a label ending in a reference type, "
                    + "not \(pool.describe(types))",
                offset: offset)
        }
        // Pop and push back the label's other values (the spec's pop_vals/push_vals).
        var i = count - 1
        while i > 0 {
            i -= 1
            try stack.pop(pool[types, i], at: offset)
        }
        for j in 0..<(count - 1) { stack.push(pool[types, j]) }
    }

    /// Checks that the top of the stack matches `list` without popping it: the spec's
    /// `push_vals(pop_vals(...))` for each `br_table` target.
    mutating func checkTop(_ list: TypeList, at offset: Int) throws(ValidationError) {
        let count = list.count
        for depth in 0..<count {
            let expected = pool[list, count - 1 - depth]
            guard let actual = stack.peek(depth: depth) else {
                throw ValidationError(
                    "type mismatch: branch requires \(pool.describe(list)) but the stack has too few values",
                    offset: offset)
            }
            guard Subtyping.matches(actual, expected) else {
                throw ValidationError(
                    "type mismatch: branch requires [\(expected)] but the stack has [\(actual)]", offset: offset)
            }
        }
    }

    // MARK: Calls

    mutating func validateCall(_ function: UInt32, at offset: Int) throws(ValidationError) {
        let signature = try context.signature(ofFunction: function, at: offset)
        try popTypes(signature.parameters, at: offset)
        pushTypes(signature.results)
    }

    /// The table must hold function references; returns its address type.
    private mutating func functionTable(_ index: UInt32, at offset: Int) throws(ValidationError) -> OperandType {
        let table = try context.table(index, at: offset)
        guard Subtyping.matches(table.elementType, .funcref) else {
            throw ValidationError(
                "type mismatch: call_indirect requires a table of funcref, table \(index) holds \(table.elementType)",
                offset: offset)
        }
        return context.addressType(of: table)
    }

    mutating func validateCallIndirect(type: UInt32, table: UInt32, at offset: Int) throws(ValidationError) {
        let address = try functionTable(table, at: offset)
        let signature = try context.signature(ofType: type, at: offset)
        try stack.pop(address, at: offset)
        try popTypes(signature.parameters, at: offset)
        pushTypes(signature.results)
    }

    mutating func validateReturnCall(_ function: UInt32, at offset: Int) throws(ValidationError) {
        let signature = try context.signature(ofFunction: function, at: offset)
        try checkTailCallResults(signature, at: offset)
        try popTypes(signature.parameters, at: offset)
        markUnreachable()
    }

    mutating func validateReturnCallIndirect(type: UInt32, table: UInt32, at offset: Int) throws(ValidationError) {
        let address = try functionTable(table, at: offset)
        let signature = try context.signature(ofType: type, at: offset)
        try checkTailCallResults(signature, at: offset)
        try stack.pop(address, at: offset)
        try popTypes(signature.parameters, at: offset)
        markUnreachable()
    }

    /// `call_ref x`: calls a reference of type `(ref null x)` to a function of type x.
    mutating func validateCallRef(type: UInt32, at offset: Int) throws(ValidationError) {
        let signature = try context.signature(ofType: type, at: offset)
        try stack.pop(nullableReference(toType: type), at: offset)
        try popTypes(signature.parameters, at: offset)
        pushTypes(signature.results)
    }

    mutating func validateReturnCallRef(type: UInt32, at offset: Int) throws(ValidationError) {
        let signature = try context.signature(ofType: type, at: offset)
        try checkTailCallResults(signature, at: offset)
        try stack.pop(nullableReference(toType: type), at: offset)
        try popTypes(signature.parameters, at: offset)
        markUnreachable()
    }

    private mutating func nullableReference(toType index: UInt32) -> OperandType {
        OperandType(RefType(nullable: true, heapType: .index(context.canonicalIndex(index))))
    }

    /// A tail call returns the callee's results from the caller: they must match its results.
    private mutating func checkTailCallResults(_ callee: Signature, at offset: Int) throws(ValidationError) {
        let results = callee.results
        var matching = results.count == functionResults.count
        if matching {
            for i in 0..<results.count where !Subtyping.matches(pool[results, i], pool[functionResults, i]) {
                matching = false
            }
        }
        guard matching else {
            throw ValidationError(
                "type mismatch: tail call returns \(pool.describe(results)) "
                    + "but the function returns \(pool.describe(functionResults))",
                offset: offset)
        }
    }
}
