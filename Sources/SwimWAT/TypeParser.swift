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
            else if isKeyword(token, "funcref") { type = .funcref }
            else if isKeyword(token, "externref") { type = .externref }
            else if isKeyword(token, "exnref") && features.contains(.exceptions) { type = .exnref }
            else if isKeyword(token, "nullexnref") && features.contains(.exceptions) {
                type = .ref(RefType(nullable: true, heapType: .noexn))
            }
            else { type = nil }
            if let type {
                advance()
                return type
            }
        } else if atParen("ref") {
            return .ref(try parseRefType())
        }
        throw unexpected("a value type")
    }

    /// Whether a reference type starts at the cursor.
    var atReferenceType: Bool {
        isKeyword(current, "funcref") || isKeyword(current, "externref") || atParen("ref")
            || (features.contains(.exceptions) && (isKeyword(current, "exnref") || isKeyword(current, "nullexnref")))
    }

    /// `funcref`, `externref`, `exnref`, `nullexnref` or `(ref null? heaptype)`.
    func parseRefType() throws(TextError) -> RefType {
        if atReferenceType && !atParen("ref") {
            guard case .ref(let type) = try parseValueType() else { throw unexpected("a reference type") }
            return type
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

    /// `func`, `extern`, `exn`, `noexn`, or a type index (typed function references).
    func parseHeapType() throws(TextError) -> HeapType {
        if isKeyword(current, "func") {
            advance()
            return .func
        }
        if isKeyword(current, "extern") {
            advance()
            return .extern
        }
        if features.contains(.exceptions) {
            if isKeyword(current, "exn") {
                advance()
                return .exn
            }
            if isKeyword(current, "noexn") {
                advance()
                return .noexn
            }
        }
        if current.kind == .identifier || current.kind == .number {
            return .index(try expectIndex(\.types))
        }
        throw unexpected("a heap type (`func` or `extern`)")
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

    /// `(type $t? (func signature))`, the cursor just after `type`'s identifier.
    func parseTypeDefinitionBody() throws(TextError) -> FunctionType {
        guard takeParen("func") else { throw unexpected("`(func ...)`") }
        let (type, _) = try parseSignature(allowParameterNames: true)
        try expectRightParen()
        return type
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
        let declared = Int(index) < module.types.count ? module.types[Int(index)] : nil
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
        let index = UInt32(truncatingIfNeeded: module.types.count)
        module.types.append(type)
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
