import SwimTypes

/// Element and data segments.
extension ModuleValidator {
    mutating func validateElements() throws(ValidationError) {
        for (index, segment) in module.elements.enumerated() {
            let location = "in element segment \(index)"
            try context.checkRefType(segment.type, at: nil)
            let type = context.canonical(segment.type)
            switch segment.items {
            case .functions(let functions):
                for function in functions {
                    do throws(ValidationError) {
                        _ = try context.typeIndex(ofFunction: function, at: nil)
                    } catch {
                        throw ValidationError("\(error.message) \(location)")
                    }
                }
                // Function indices are non-null references to functions.
                guard Subtyping.matches(RefType.funcref.nonNullable, type) else {
                    throw ValidationError("type mismatch: function indices in a segment of \(segment.type) \(location)")
                }
            case .expressions(let expressions):
                for expression in expressions {
                    try constants.validate(expression, type: .ref(type), visibleGlobals: segmentGlobalCount)
                }
            }
            guard case .active(let tableIndex, let offset) = segment.mode else { continue }
            let table = try context.table(tableIndex, at: offset.offset)
            guard Subtyping.matches(type, table.elementType) else {
                throw ValidationError(
                    "type mismatch: element segment of \(segment.type) does not match table \(tableIndex) "
                        + "of \(table.elementType)",
                    offset: offset.offset)
            }
            try validateOffset(offset, addressType: context.addressType(of: table))
        }
    }

    mutating func validateData() throws(ValidationError) {
        for segment in module.data {
            guard case .active(let memoryIndex, let offset) = segment.mode else { continue }
            let memory = try context.memory(memoryIndex, at: offset.offset)
            try validateOffset(offset, addressType: context.addressType(of: memory))
        }
    }

    private mutating func validateOffset(_ offset: ConstExpression, addressType: OperandType) throws(ValidationError) {
        let type: ValueType = addressType == .i64 ? .i64 : .i32
        try constants.validate(offset, type: type, visibleGlobals: segmentGlobalCount)
    }
}
