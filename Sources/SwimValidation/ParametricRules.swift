import SwimTypes

/// `select` in its two forms.
extension FunctionValidator {
    /// Untyped `select` picks between two numbers or two vectors of the same type; it
    /// cannot take references, whose type it could not name.
    mutating func validateSelect(at offset: Int) throws(ValidationError) {
        try stack.pop(.i32, at: offset)
        let first = try stack.pop(at: offset)
        let second = try stack.pop(at: offset)
        let bothNumbers = (first.isNumber || first.isUnknown) && (second.isNumber || second.isUnknown)
        let bothVectors = (first.isVector || first.isUnknown) && (second.isVector || second.isUnknown)
        guard bothNumbers || bothVectors else {
            throw ValidationError(
                "type mismatch: select without a type requires two numbers or two vectors, got [\(second) \(first)]",
                offset: offset)
        }
        guard first == second || first.isUnknown || second.isUnknown else {
            throw ValidationError(
                "type mismatch: select operands differ: [\(second) \(first)]", offset: offset)
        }
        stack.push(first.isUnknown ? second : first)
    }

    mutating func validateTypedSelect(_ types: [ValueType], at offset: Int) throws(ValidationError) {
        guard types.count == 1, let valueType = types.first else {
            throw ValidationError(
                "invalid result arity: select must have exactly one result type, not \(types.count)", offset: offset)
        }
        try context.checkValueType(valueType, at: offset)
        let type = OperandType(context.canonical(valueType))
        try stack.pop(.i32, at: offset)
        try stack.pop(type, at: offset)
        try stack.pop(type, at: offset)
        stack.push(type)
    }
}
