import SwimTypes

/// Table instructions and reference instructions.
extension FunctionValidator {
    mutating func validateTableGet(_ index: UInt32, at offset: Int) throws(ValidationError) {
        let table = try context.table(index, at: offset)
        try stack.pop(context.addressType(of: table), at: offset)
        stack.push(OperandType(table.elementType))
    }

    mutating func validateTableSet(_ index: UInt32, at offset: Int) throws(ValidationError) {
        let table = try context.table(index, at: offset)
        try stack.pop(OperandType(table.elementType), at: offset)
        try stack.pop(context.addressType(of: table), at: offset)
    }

    mutating func validateTableGrow(_ index: UInt32, at offset: Int) throws(ValidationError) {
        let table = try context.table(index, at: offset)
        let address = context.addressType(of: table)
        try stack.pop(address, at: offset)
        try stack.pop(OperandType(table.elementType), at: offset)
        stack.push(address)
    }

    mutating func validateTableFill(_ index: UInt32, at offset: Int) throws(ValidationError) {
        let table = try context.table(index, at: offset)
        let address = context.addressType(of: table)
        try stack.pop(address, at: offset)
        try stack.pop(OperandType(table.elementType), at: offset)
        try stack.pop(address, at: offset)
    }

    mutating func validateTableCopy(destination: UInt32, source: UInt32, at offset: Int) throws(ValidationError) {
        let target = try context.table(destination, at: offset)
        let origin = try context.table(source, at: offset)
        guard Subtyping.matches(origin.elementType, target.elementType) else {
            throw ValidationError(
                "type mismatch: table.copy from a table of \(origin.elementType) to a table of \(target.elementType)",
                offset: offset)
        }
        let targetAddress = context.addressType(of: target)
        let originAddress = context.addressType(of: origin)
        try stack.pop(context.commonAddressType(targetAddress, originAddress), at: offset)
        try stack.pop(originAddress, at: offset)
        try stack.pop(targetAddress, at: offset)
    }

    mutating func validateTableInit(segment: UInt32, table index: UInt32, at offset: Int) throws(ValidationError) {
        let table = try context.table(index, at: offset)
        let elementType = try context.elementType(ofSegment: segment, at: offset)
        guard Subtyping.matches(elementType, table.elementType) else {
            throw ValidationError(
                "type mismatch: table.init of a segment of \(elementType) into a table of \(table.elementType)",
                offset: offset)
        }
        try stack.pop(.i32, at: offset)
        try stack.pop(.i32, at: offset)
        try stack.pop(context.addressType(of: table), at: offset)
    }

    // MARK: References

    mutating func validateRefNull(_ heapType: HeapType, at offset: Int) throws(ValidationError) {
        let type = RefType(nullable: true, heapType: heapType)
        try context.checkRefType(type, at: offset)
        stack.push(OperandType(context.canonical(type)))
    }

    mutating func validateRefIsNull(at offset: Int) throws(ValidationError) {
        _ = try popReference("ref.is_null", at: offset)
        stack.push(.i32)
    }

    /// `ref.func` may only name a function the module declares outside function bodies
    /// (C.refs), so that engines know up front which functions can escape as references.
    /// With typed references its type is the non-null reference to the function's type.
    mutating func validateRefFunc(_ function: UInt32, at offset: Int) throws(ValidationError) {
        let typeIndex = try context.typeIndex(ofFunction: function, at: offset)
        guard context.isDeclared(function: function) else {
            throw ValidationError("undeclared function reference \(function)", offset: offset)
        }
        stack.push(context.features.contains(.functionReferences) ? context.reference(toType: typeIndex) : .funcref)
    }

    mutating func validateRefAsNonNull(at offset: Int) throws(ValidationError) {
        stack.push(try popReference("ref.as_non_null", at: offset).nonNullable)
    }

    /// Pops a reference of any type (the spec's `pop_ref`): the unknown type of unreachable
    /// code becomes a non-null reference of the bottom heap type.
    mutating func popReference(_ instruction: String, at offset: Int) throws(ValidationError) -> OperandType {
        let operand = try stack.pop(at: offset)
        if operand.isUnknown { return .bottomReference }
        guard operand.isReference else {
            throw ValidationError(
                "type mismatch: \(instruction) requires a reference but the stack has [\(operand)]", offset: offset)
        }
        return operand
    }
}
