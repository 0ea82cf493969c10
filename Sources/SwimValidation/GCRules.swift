import SwimTypes

/// The instructions of garbage collection: structs, arrays, i31, casts and conversions.
/// Type indices are turned canonical before anything is compared.
extension FunctionValidator {
    mutating func validateGC(_ instruction: GCInstruction, at offset: Int) throws(ValidationError) {
        switch instruction {
        case .structNew(let type):
            let fields = try context.structFields(type, at: offset)
            for field in fields.reversed() { try stack.pop(OperandType(field.storage.unpacked), at: offset) }
            stack.push(context.reference(toType: type))
        case .structNewDefault(let type):
            let fields = try context.structFields(type, at: offset)
            for field in fields where !field.storage.unpacked.isDefaultable {
                throw ValidationError("type mismatch: struct.new_default of a type with a non-defaultable field",
                                      offset: offset)
            }
            stack.push(context.reference(toType: type))
        case .structGet(let type, let index, let ext):
            let field = try structField(type, index, at: offset)
            try checkExtension(ext, of: field, "struct.get", at: offset)
            try stack.pop(nullableReference(to: type), at: offset)
            stack.push(OperandType(field.storage.unpacked))
        case .structSet(let type, let index):
            let field = try structField(type, index, at: offset)
            guard field.mutable else {
                throw ValidationError("immutable field: struct.set of field \(index) of type \(type)", offset: offset)
            }
            try stack.pop(OperandType(field.storage.unpacked), at: offset)
            try stack.pop(nullableReference(to: type), at: offset)
        case .arrayNew(let type):
            let element = try context.arrayElement(type, at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(OperandType(element.storage.unpacked), at: offset)
            stack.push(context.reference(toType: type))
        case .arrayNewDefault(let type):
            let element = try context.arrayElement(type, at: offset)
            guard element.storage.unpacked.isDefaultable else {
                throw ValidationError("type mismatch: array.new_default of non-defaultable elements", offset: offset)
            }
            try stack.pop(.i32, at: offset)
            stack.push(context.reference(toType: type))
        case .arrayNewFixed(let type, let count):
            let element = try context.arrayElement(type, at: offset)
            let operand = OperandType(element.storage.unpacked)
            // The count is bounded by what the stack holds: past the frame's values, pops fail,
            // or (unreachable code) all succeed, so the loop can stop there.
            var i: UInt32 = 0
            while i < count {
                if stack.polymorphic && stack.height <= stack.floor { break }
                try stack.pop(operand, at: offset)
                i += 1
            }
            stack.push(context.reference(toType: type))
        case .arrayNewData(let type, let data):
            let element = try context.arrayElement(type, at: offset)
            try checkNumericElements(element, "array.new_data", at: offset)
            try context.checkDataSegment(data, at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(.i32, at: offset)
            stack.push(context.reference(toType: type))
        case .arrayNewElem(let type, let segment):
            let element = try context.arrayElement(type, at: offset)
            try checkSegment(segment, into: element, "array.new_elem", at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(.i32, at: offset)
            stack.push(context.reference(toType: type))
        case .arrayGet(let type, let ext):
            let element = try context.arrayElement(type, at: offset)
            try checkExtension(ext, of: element, "array.get", at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(nullableReference(to: type), at: offset)
            stack.push(OperandType(element.storage.unpacked))
        case .arraySet(let type):
            let element = try mutableElement(type, "array.set", at: offset)
            try stack.pop(OperandType(element.storage.unpacked), at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(nullableReference(to: type), at: offset)
        case .arrayLen:
            try stack.pop(OperandType(RefType.arrayref), at: offset)
            stack.push(.i32)
        case .arrayFill(let type):
            let element = try mutableElement(type, "array.fill", at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(OperandType(element.storage.unpacked), at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(nullableReference(to: type), at: offset)
        case .arrayCopy(let destination, let source):
            let target = try mutableElement(destination, "array.copy", at: offset)
            let origin = try context.arrayElement(source, at: offset)
            guard origin.storage.matches(target.storage, in: context) else {
                throw ValidationError(
                    "type mismatch: array.copy from elements of \(origin.storage) to elements of \(target.storage)",
                    offset: offset)
            }
            try stack.pop(.i32, at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(nullableReference(to: source), at: offset)
            try stack.pop(.i32, at: offset)
            try stack.pop(nullableReference(to: destination), at: offset)
        case .arrayInitData(let type, let data):
            let element = try mutableElement(type, "array.init_data", at: offset)
            try checkNumericElements(element, "array.init_data", at: offset)
            try context.checkDataSegment(data, at: offset)
            try popArrayInitOperands(type, at: offset)
        case .arrayInitElem(let type, let segment):
            let element = try mutableElement(type, "array.init_elem", at: offset)
            try checkSegment(segment, into: element, "array.init_elem", at: offset)
            try popArrayInitOperands(type, at: offset)
        case .refTest(let target):
            let type = try castTarget(target, at: offset)
            try popCastOperand(type, at: offset)
            stack.push(.i32)
        case .refCast(let target):
            let type = try castTarget(target, at: offset)
            try popCastOperand(type, at: offset)
            stack.push(OperandType(type))
        case .brOnCast(let label, let from, let to):
            try validateBrOnCast(label: label, from: from, to: to, onFailure: false, at: offset)
        case .brOnCastFail(let label, let from, let to):
            try validateBrOnCast(label: label, from: from, to: to, onFailure: true, at: offset)
        case .anyConvertExtern:
            try convert(from: .extern, to: .any, at: offset)
        case .externConvertAny:
            try convert(from: .any, to: .extern, at: offset)
        case .refI31:
            try stack.pop(.i32, at: offset)
            stack.push(OperandType(RefType(nullable: false, heapType: .i31)))
        case .i31Get:
            try stack.pop(OperandType(RefType.i31ref), at: offset)
            stack.push(.i32)
        case .refEq:
            try stack.pop(OperandType(RefType.eqref), at: offset)
            try stack.pop(OperandType(RefType.eqref), at: offset)
            stack.push(.i32)
        }
    }

    // MARK: Helpers

    private mutating func nullableReference(to type: UInt32) -> OperandType {
        OperandType(RefType(nullable: true, heapType: .index(context.canonicalIndex(type))))
    }

    private mutating func structField(_ type: UInt32, _ index: UInt32, at offset: Int) throws(ValidationError) -> FieldType {
        let fields = try context.structFields(type, at: offset)
        guard Int(index) < fields.count else {
            throw ValidationError("unknown field \(index) of type \(type)", offset: offset)
        }
        return fields[Int(index)]
    }

    private mutating func mutableElement(_ type: UInt32, _ instruction: String, at offset: Int) throws(ValidationError) -> FieldType {
        let element = try context.arrayElement(type, at: offset)
        guard element.mutable else {
            throw ValidationError("immutable array: \(instruction) of type \(type)", offset: offset)
        }
        return element
    }

    /// `_s` and `_u` read packed fields only, the plain form the others.
    private func checkExtension(_ ext: PackedExtension, of field: FieldType, _ instruction: String,
                                at offset: Int) throws(ValidationError) {
        if (ext == .none) == field.storage.isPacked {
            let form = ext == .none ? instruction : instruction + (ext == .signed ? "_s" : "_u")
            throw ValidationError("type mismatch: \(form) of a field of \(field.storage)", offset: offset)
        }
    }

    /// Data segments hold bytes: they initialize arrays of numbers or vectors only.
    private func checkNumericElements(_ element: FieldType, _ instruction: String, at offset: Int) throws(ValidationError) {
        if case .value(.ref) = element.storage {
            throw ValidationError("type mismatch: \(instruction) of an array of references", offset: offset)
        }
    }

    private func checkSegment(_ segment: UInt32, into element: FieldType, _ instruction: String,
                              at offset: Int) throws(ValidationError) {
        let type = try context.elementType(ofSegment: segment, at: offset)
        guard Subtyping.matches(.ref(type), element.storage.unpacked, in: context) else {
            throw ValidationError(
                "type mismatch: \(instruction) of a segment of \(type) into elements of \(element.storage)",
                offset: offset)
        }
    }

    /// [array index offset length] of `array.init_data` and `array.init_elem`.
    private mutating func popArrayInitOperands(_ type: UInt32, at offset: Int) throws(ValidationError) {
        try stack.pop(.i32, at: offset)
        try stack.pop(.i32, at: offset)
        try stack.pop(.i32, at: offset)
        try stack.pop(nullableReference(to: type), at: offset)
    }

    private func castTarget(_ target: RefType, at offset: Int) throws(ValidationError) -> RefType {
        try context.checkRefType(target, at: offset)
        return context.canonical(target)
    }

    /// A cast takes any reference of its target's hierarchy.
    private mutating func popCastOperand(_ target: RefType, at offset: Int) throws(ValidationError) {
        guard let top = target.heapType.top(in: context) else {
            throw ValidationError("unknown type \(target.heapType)", offset: offset)
        }
        try stack.pop(OperandType(RefType(nullable: true, heapType: top)), at: offset)
    }

    /// `br_on_cast` (`onFailure` false) branches with the reference as `to` when the cast
    /// succeeds and continues with it as `from` minus `to`; `br_on_cast_fail` the other way round.
    private mutating func validateBrOnCast(label depth: UInt32, from: RefType, to: RefType, onFailure: Bool,
                                           at offset: Int) throws(ValidationError) {
        let source = try castTarget(from, at: offset)
        let target = try castTarget(to, at: offset)
        guard Subtyping.matches(target, source, in: context) else {
            throw ValidationError("type mismatch: cast to \(to) is not within \(from)", offset: offset)
        }
        // What remains when the cast fails: the source type, without null if null passes the cast.
        let rest = RefType(nullable: source.nullable && !target.nullable, heapType: source.heapType)
        let branched = OperandType(onFailure ? rest : target)
        let continued = OperandType(onFailure ? target : rest)
        try stack.pop(OperandType(source), at: offset)
        let types = try label(depth, at: offset).labelTypes
        let count = types.count
        guard count > 0, pool[types, count - 1].isReference, Subtyping.matches(branched, pool[types, count - 1], in: context)
        else {
            throw ValidationError(
                "type mismatch: br_on_cast\(onFailure ? "_fail" : "") passes [\(branched)] to a label of "
                    + "\(pool.describe(types))",
                offset: offset)
        }
        // The label's other values stay where they are (the spec's pop_vals/push_vals).
        var i = count - 1
        while i > 0 {
            i -= 1
            try stack.pop(pool[types, i], at: offset)
        }
        for j in 0..<(count - 1) { stack.push(pool[types, j]) }
        stack.push(continued)
    }

    /// `any.convert_extern` and `extern.convert_any`: the same reference in the other
    /// hierarchy, nullable when the operand is.
    private mutating func convert(from: HeapType, to: HeapType, at offset: Int) throws(ValidationError) {
        let operand = try stack.pop(OperandType(RefType(nullable: true, heapType: from)), at: offset)
        // Unreachable code's unknown operand converts to a non-null reference.
        let nullable = !operand.isUnknown && operand.isNullable
        stack.push(OperandType(RefType(nullable: nullable, heapType: to)))
    }
}
