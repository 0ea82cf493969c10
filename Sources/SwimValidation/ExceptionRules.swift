import SwimTypes

/// Exception handling: `throw`, `throw_ref` and `try_table` (Wasm 3.0), and the legacy
/// `try` ... `catch`/`catch_all` ... `end`, `try` ... `delegate` and `rethrow`.
extension FunctionValidator {
    mutating func validateThrow(_ tag: UInt32, at offset: Int) throws(ValidationError) {
        let signature = try context.tagSignature(tag, at: offset)
        try popTypes(signature.parameters, at: offset)
        markUnreachable()
    }

    mutating func validateThrowRef(at offset: Int) throws(ValidationError) {
        try stack.pop(.exnref, at: offset)
        markUnreachable()
    }

    /// A `try_table` is a block whose handlers branch to labels of the enclosing context:
    /// each label must accept the caught payload (and, for the `_ref` forms, a `(ref exn)`).
    mutating func validateTryTable(_ type: BlockType, _ clauses: [CatchClause], at offset: Int) throws(ValidationError) {
        let signature = try blockSignature(type, at: offset)
        try popTypes(signature.parameters, at: offset)
        for clause in clauses {
            let labelTypes = try label(clause.label, at: offset).labelTypes
            var passed: [OperandType] = []
            if let tag = clause.tag {
                let payload = try context.tagSignature(tag, at: offset).parameters
                for i in 0..<payload.count { passed.append(pool[payload, i]) }
            }
            if clause.passesReference { passed.append(.nonNullExnref) }
            var matching = passed.count == labelTypes.count
            if matching {
                for (i, type) in passed.enumerated() where !Subtyping.matches(type, pool[labelTypes, i]) {
                    matching = false
                }
            }
            guard matching else {
                throw ValidationError(
                    "type mismatch: catch handler passes [\(passed.map(\.description).joined(separator: " "))] "
                        + "to label \(clause.label), which expects \(pool.describe(labelTypes))",
                    offset: offset)
            }
        }
        pushFrame(.block, signature)
    }

    /// Legacy `catch x`: ends the `try` body (or the previous handler) and starts a handler
    /// that receives the tag's payload and must produce the `try`'s results.
    mutating func validateCatch(_ tag: UInt32, at offset: Int) throws(ValidationError) {
        let payload = try context.tagSignature(tag, at: offset).parameters
        let frame = try popFrame(at: offset)
        releaseHandlerSlot(of: frame)
        pushFrame(.catch, Signature(parameters: payload, results: frame.signature.results))
        stack.reserveHiddenSlots(1)
    }

    mutating func validateCatchAll(at offset: Int) throws(ValidationError) {
        let frame = try popFrame(at: offset)
        releaseHandlerSlot(of: frame)
        pushFrame(.catchAll, Signature(parameters: .empty, results: frame.signature.results))
        stack.reserveHiddenSlots(1)
    }

    /// Legacy `delegate l`: ends the `try`; its label is one of the enclosing context.
    mutating func validateDelegate(_ depth: UInt32, at offset: Int) throws(ValidationError) {
        let frame = try popFrame(at: offset)
        _ = try label(depth, at: offset)
        pushTypes(frame.signature.results)
    }

    /// Legacy `rethrow l`: l must name an enclosing `catch` or `catch_all` handler.
    mutating func validateRethrow(_ depth: UInt32, at offset: Int) throws(ValidationError) {
        let target = try label(depth, at: offset)
        guard target.kind == .catch || target.kind == .catchAll else {
            throw ValidationError("invalid rethrow label \(depth): it does not name a catch block", offset: offset)
        }
        markUnreachable()
    }

    /// A handler's hidden slot (its caught exception) ends with the handler.
    mutating func releaseHandlerSlot(of frame: ControlFrame) {
        if frame.kind == .catch || frame.kind == .catchAll { stack.reserveHiddenSlots(-1) }
    }
}
