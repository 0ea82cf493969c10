import SwimTypes

/// A function's signature as written: the resolved type index, the signature when it is
/// known, and the names of inline parameters (which become local names).
struct TypeUse {
    var index: UInt32
    var type: FunctionType?
    var parameterNames: [String?]
}

extension TextParser {
    // MARK: Value types

    func parseValueType() throws(TextError) -> ValueType {
        let token = current
        if token.kind == .keyword {
            let type: ValueType?
            if isKeyword(token, "i32") { type = .i32 }
            else if isKeyword(token, "i64") { type = .i64 }
            else if isKeyword(token, "f32") { type = .f32 }
            else if isKeyword(token, "f64") { type = .f64 }
            else if isKeyword(token, "v128") { type = .v128 }
            else { type = shorthandReferenceType(token).map { .ref($0) } }
            if let type {
                advance()
                return type
            }
        } else if atParen("ref") {
            return .ref(try parseRefType())
        }
        throw unexpected("a value type")
    }

    /// `funcref`, `externref`, with exception handling `exnref` and `nullexnref`, and with GC
    /// `anyref` ... `nullexternref`: the nullable references to an abstract heap type.
    private func shorthandReferenceType(_ token: Token) -> RefType? {
        guard token.kind == .keyword else { return nil }
        if isKeyword(token, "funcref") { return .funcref }
        if isKeyword(token, "externref") { return .externref }
        if features.contains(.exceptions) {
            if isKeyword(token, "exnref") { return .exnref }
            if isKeyword(token, "nullexnref") { return RefType(nullable: true, heapType: .noexn) }
        }
        guard features.contains(.gc) else { return nil }
        if isKeyword(token, "anyref") { return .anyref }
        if isKeyword(token, "eqref") { return .eqref }
        if isKeyword(token, "i31ref") { return .i31ref }
        if isKeyword(token, "structref") { return .structref }
        if isKeyword(token, "arrayref") { return .arrayref }
        if isKeyword(token, "nullref") { return .nullref }
        if isKeyword(token, "nullfuncref") { return .nullfuncref }
        if isKeyword(token, "nullexternref") { return .nullexternref }
        return nil
    }

    /// A shorthand reference type or `(ref null? heaptype)`.
    func parseRefType() throws(TextError) -> RefType {
        if let shorthand = shorthandReferenceType(current) {
            advance()
            return shorthand
        }
        guard takeParen("ref") else { throw unexpected("a reference type") }
        var nullable = false
        if isKeyword(current, "null") {
            nullable = true
            advance()
        }
        let heap = try parseHeapType()
        try expectRightParen()
        return RefType(nullable: nullable, heapType: heap)
    }

    /// Whether a reference type starts at the cursor.
    var atReferenceType: Bool { shorthandReferenceType(current) != nil || atParen("ref") }

    /// `func`, `extern`, `exn`, `noexn`, the abstract heap types of GC, or a type index.
    func parseHeapType() throws(TextError) -> HeapType {
        if let heap = abstractHeapType(current) {
            advance()
            return heap
        }
        if current.kind == .identifier || current.kind == .number {
            return .index(try expectIndex(\.types))
        }
        throw unexpected("a heap type")
    }

    private func abstractHeapType(_ token: Token) -> HeapType? {
        guard token.kind == .keyword else { return nil }
        if isKeyword(token, "func") { return .func }
        if isKeyword(token, "extern") { return .extern }
        if features.contains(.exceptions) {
            if isKeyword(token, "exn") { return .exn }
            if isKeyword(token, "noexn") { return .noexn }
        }
        guard features.contains(.gc) else { return nil }
        if isKeyword(token, "any") { return .any }
        if isKeyword(token, "eq") { return .eq }
        if isKeyword(token, "i31") { return .i31 }
        if isKeyword(token, "struct") { return .struct }
        if isKeyword(token, "array") { return .array }
        if isKeyword(token, "none") { return HeapType.none }
        if isKeyword(token, "nofunc") { return .nofunc }
        if isKeyword(token, "noextern") { return .noextern }
        return nil
    }

    // MARK: Function types

    /// `(param ...)* (result ...)*`. Parameter names are allowed only where the caller says.
    func parseSignature(allowParameterNames: Bool) throws(TextError) -> (FunctionType, [String?]) {
        var type = FunctionType()
        var parameterNames: [String?] = []
        while atParen("param") {
            advance()
            advance()
            if current.kind == .identifier {
                guard allowParameterNames else { throw unexpected("a value type: parameters cannot be named here") }
                let name = try takeIdentifier()
                type.parameters.append(try parseValueType())
                parameterNames.append(name)
            } else {
                while current.kind != .rightParen {
                    type.parameters.append(try parseValueType())
                    parameterNames.append(nil)
                }
            }
            try expectRightParen()
        }
        while atParen("result") {
            advance()
            advance()
            while current.kind != .rightParen { type.results.append(try parseValueType()) }
            try expectRightParen()
        }
        return (type, parameterNames)
    }

    /// The definition of a `(type $t? ...)` field, the cursor just after its identifier:
    /// `(sub final? typeidx* comptype)` or a bare composite type (final, no supertype).
    func parseTypeDefinitionBody(index: UInt32) throws(TextError) -> DefinedType {
        guard features.contains(.gc), takeParen("sub") else { return DefinedType(try parseCompositeType(index: index)) }
        var isFinal = false
        if isKeyword(current, "final") {
            isFinal = true
            advance()
        }
        var supertypes: [UInt32] = []
        while current.kind == .identifier || current.kind == .number {
            supertypes.append(try expectIndex(\.types))
        }
        let composite = try parseCompositeType(index: index)
        try expectRightParen()
        return DefinedType(composite, supertypes: supertypes, isFinal: isFinal)
    }

    /// `(func signature)`, `(struct field*)` or `(array fieldtype)`; field names are recorded
    /// for `struct.get $t $field`.
    private func parseCompositeType(index: UInt32) throws(TextError) -> CompositeType {
        if takeParen("func") {
            let (type, _) = try parseSignature(allowParameterNames: true)
            try expectRightParen()
            return .function(type)
        }
        if features.contains(.gc) && takeParen("struct") {
            var fields: [FieldType] = []
            var names: [String: UInt32] = [:]
            while atParen("field") {
                advance()
                advance()
                if current.kind == .identifier {
                    let token = current
                    let name = try takeIdentifier() ?? ""
                    guard names[name] == nil else { throw error("duplicate field $\(name)", at: token) }
                    names[name] = UInt32(truncatingIfNeeded: fields.count)
                    fields.append(try parseFieldType())
                } else {
                    while current.kind != .rightParen { fields.append(try parseFieldType()) }
                }
                try expectRightParen()
            }
            try expectRightParen()
            fieldNames[index] = names
            return .struct(fields)
        }
        if features.contains(.gc) && takeParen("array") {
            let element = try parseFieldType()
            try expectRightParen()
            return .array(element)
        }
        throw unexpected("`(func ...)`")
    }

    /// `storagetype` or `(mut storagetype)`.
    private func parseFieldType() throws(TextError) -> FieldType {
        if takeParen("mut") {
            let storage = try parseStorageType()
            try expectRightParen()
            return FieldType(storage, mutable: true)
        }
        return FieldType(try parseStorageType())
    }

    private func parseStorageType() throws(TextError) -> StorageType {
        if isKeyword(current, "i8") {
            advance()
            return .i8
        }
        if isKeyword(current, "i16") {
            advance()
            return .i16
        }
        return .value(try parseValueType())
    }

    /// `(type x)? (param ...)* (result ...)*`: resolves the type index, inferring it from
    /// the inline signature when `(type x)` is absent (appending a new type if none matches).
    func parseTypeUse(allowParameterNames: Bool) throws(TextError) -> TypeUse {
        var explicitIndex: UInt32?
        let start = current
        if takeParen("type") {
            explicitIndex = try expectIndex(\.types)
            try expectRightParen()
        }
        let hasInline = atParen("param") || atParen("result")
        let (inline, parameterNames) = try parseSignature(allowParameterNames: allowParameterNames)
        guard let index = explicitIndex else {
            return TypeUse(index: typeIndex(for: inline), type: inline, parameterNames: parameterNames)
        }
        let declared = Int(index) < module.types.count ? module.types[Int(index)].functionType : nil
        if hasInline {
            guard let declared else { throw error("unknown type \(index): cannot check the inline function type", at: start) }
            guard declared == inline else {
                throw error("inline function type \(inline) does not match type \(index) \(declared)", at: start)
            }
            return TypeUse(index: index, type: declared, parameterNames: parameterNames)
        }
        return TypeUse(index: index, type: declared, parameterNames: Array(repeating: nil, count: declared?.parameters.count ?? 0))
    }

    /// The first type index with this signature, appending a new type when there is none.
    func typeIndex(for type: FunctionType) -> UInt32 {
        if let index = typeIndexBySignature[type] { return index }
        let index = module.appendType(DefinedType(function: type))
        typeIndexBySignature[type] = index
        return index
    }

    // MARK: Tables, memories, globals

    /// `i64? min max?`; the `i64` form needs memory64.
    func parseLimits() throws(TextError) -> Limits {
        var is64 = false
        if isKeyword(current, "i64") && features.contains(.memory64) {
            is64 = true
            advance()
        } else if isKeyword(current, "i32") && features.contains(.memory64) {
            advance()
        }
        // Wasm 3.0 writes every limit as a u64 and leaves the range to validation.
        let bits = features.contains(.memory64) ? 64 : 32
        let min = try expectUnsigned(bits: bits, what: "a limit")
        var max: UInt64?
        if current.kind == .number { max = try expectUnsigned(bits: bits, what: "a limit") }
        return Limits(min: min, max: max, is64: is64)
    }

    func parseTableType() throws(TextError) -> TableType {
        let limits = try parseLimits()
        let element = try parseRefType()
        return TableType(elementType: element, limits: limits)
    }

    func parseMemoryType() throws(TextError) -> MemoryType {
        var limits = try parseLimits()
        if isKeyword(current, "shared") {
            limits.shared = true
            advance()
        }
        return MemoryType(limits: limits)
    }

    /// `t` or `(mut t)`.
    func parseGlobalType() throws(TextError) -> GlobalType {
        if takeParen("mut") {
            let type = try parseValueType()
            try expectRightParen()
            return GlobalType(mutability: .variable, valueType: type)
        }
        return GlobalType(mutability: .constant, valueType: try parseValueType())
    }
}
