import SwimTypes

/// The actions, argument constants and expected results of `.wast` scripts.
extension TextParser {
    /// `(invoke $id? "name" const*)` or `(get $id? "name")`.
    func parseAction() throws(TextError) -> WastAction {
        if takeParen("invoke") {
            let module = try takeIdentifier()
            let name = try expectName()
            var arguments: [WastValue] = []
            while current.kind == .leftParen { arguments.append(try parseScriptConstant()) }
            try expectRightParen()
            return .invoke(module: module, name: name, arguments: arguments)
        }
        if takeParen("get") {
            let module = try takeIdentifier()
            let name = try expectName()
            try expectRightParen()
            return .get(module: module, name: name)
        }
        throw unexpected("an action `(invoke ...)` or `(get ...)`")
    }

    /// An argument constant.
    func parseScriptConstant() throws(TextError) -> WastValue {
        guard case .value(let value) = try parseExpected(allowPatterns: false) else {
            throw unexpected("a constant")
        }
        return value
    }

    /// An expected result (or, with `allowPatterns` false, a plain constant).
    func parseExpected(allowPatterns: Bool = true) throws(TextError) -> WastExpected {
        try enterNesting()
        defer { leaveNesting() }
        try expectLeftParen()
        let keyword = current
        guard keyword.kind == .keyword else { throw unexpected("a constant") }
        advance()
        let result: WastExpected
        switch text(keyword) {
        case "i32.const":
            result = .value(.i32(UInt32(truncatingIfNeeded: try expectInteger(bits: 32))))
        case "i64.const":
            result = .value(.i64(try expectInteger(bits: 64)))
        case "f32.const":
            if allowPatterns, let pattern = takeNaNPattern() {
                result = .f32NaN(pattern)
            } else {
                result = .value(.f32(UInt32(truncatingIfNeeded: try expectFloat(.f32))))
            }
        case "f64.const":
            if allowPatterns, let pattern = takeNaNPattern() {
                result = .f64NaN(pattern)
            } else {
                result = .value(.f64(try expectFloat(.f64)))
            }
        case "v128.const":
            result = try parseExpectedVector(allowPatterns: allowPatterns)
        case "ref.null":
            if allowPatterns && current.kind == .rightParen {
                result = .refNullAny
            } else {
                result = .value(.refNull(try parseScriptHeapType()))
            }
        case "ref.extern":
            if allowPatterns && current.kind == .rightParen {
                result = .refExtern
            } else {
                result = .value(.refExtern(try expectU32(what: "a host reference number")))
            }
        case "ref.host":
            result = .value(.refHost(try expectU32(what: "a host reference number")))
        case "ref.func" where allowPatterns:
            if current.kind != .rightParen { advance() }  // the index, if any, is not checked
            result = .refFunc
        case "ref.any" where allowPatterns: result = .ref(.any)
        case "ref.eq" where allowPatterns: result = .ref(.eq)
        case "ref.i31" where allowPatterns: result = .ref(.i31)
        case "ref.struct" where allowPatterns: result = .ref(.struct)
        case "ref.array" where allowPatterns: result = .ref(.array)
        case "ref.exn" where allowPatterns: result = .ref(.exn)
        case "either" where allowPatterns:
            var alternatives: [WastExpected] = []
            while current.kind == .leftParen { alternatives.append(try parseExpected()) }
            result = .either(alternatives)
        default:
            throw error("unknown constant \(describe(keyword))", at: keyword)
        }
        try expectRightParen()
        return result
    }

    private func takeNaNPattern() -> NaNPattern? {
        if isKeyword(current, "nan:canonical") {
            advance()
            return .canonical
        }
        if isKeyword(current, "nan:arithmetic") {
            advance()
            return .arithmetic
        }
        return nil
    }

    /// `shape lane*` of an expected vector; float lanes may be NaN patterns.
    private func parseExpectedVector(allowPatterns: Bool) throws(TextError) -> WastExpected {
        let shape = try expectV128Shape()
        var lanes: [WastLane] = []
        var hasPattern = false
        for _ in 0..<shape.laneCount {
            if allowPatterns && shape.isFloat, let pattern = takeNaNPattern() {
                lanes.append(.nan(pattern))
                hasPattern = true
            } else {
                guard current.kind == .number || current.kind == .keyword else {
                    throw unexpected("\(shape.laneCount) lanes for \(shape.name)")
                }
                lanes.append(.bits(try expectLane(shape)))
            }
        }
        if hasPattern { return .v128Lanes(shape, lanes) }
        let bits = lanes.map { lane -> UInt64 in
            if case .bits(let b) = lane { return b }
            return 0
        }
        return .value(.v128(shape.pack(bits)))
    }

    private func parseScriptHeapType() throws(TextError) -> WastHeapType {
        let token = current
        if token.kind == .identifier || token.kind == .number {
            advance()
            return .concrete(text(token))
        }
        guard token.kind == .keyword else { throw unexpected("a heap type") }
        let heap: WastHeapType
        switch text(token) {
        case "func": heap = .func
        case "extern": heap = .extern
        case "any": heap = .any
        case "eq": heap = .eq
        case "i31": heap = .i31
        case "struct": heap = .struct
        case "array": heap = .array
        case "none": heap = .none
        case "nofunc": heap = .nofunc
        case "noextern": heap = .noextern
        case "exn": heap = .exn
        case "noexn": heap = .noexn
        default: throw unexpected("a heap type")
        }
        advance()
        return heap
    }
}
