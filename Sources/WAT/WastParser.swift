import WasmTypes

/// Parses a `.wast` script into its commands.
///
/// Modules are not compiled here: a text module keeps its text, so a runner can compile it
/// with `WastModule.encode()` and tell a malformed module from a bad script. The script
/// itself must be well-formed (balanced parentheses, known commands, valid constants).
public func parseWast(_ text: String, features: WasmFeatures = .default) throws(WATError) -> [WastCommand] {
    let source = Array(text.utf8)
    do {
        let tokens = try Lexer(source).tokenize()
        let parser = TextParser(source: source, tokens: tokens, features: features)
        var lines = LineCounter(source: source)
        if parser.isBareModule {
            // A script may be a module's fields alone (inline-module.wast).
            let module = WastModule(
                name: nil, source: .text(text), isDefinition: false, line: 1, features: features, origin: .start)
            return [WastCommand(line: 1, kind: .module(module))]
        }
        var commands: [WastCommand] = []
        while parser.current.kind != .endOfFile {
            commands.append(try parser.parseCommand(&lines))
        }
        return commands
    } catch {
        throw error.located(in: source)
    }
}

/// Turns increasing byte offsets into line and column numbers in one pass over the source.
struct LineCounter {
    let source: [UInt8]
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    init(source: [UInt8]) { self.source = source }

    mutating func position(of target: Int) -> SourceOrigin {
        if target < offset {
            offset = 0
            line = 1
            lineStart = 0
        }
        let end = min(target, source.count)
        while offset < end {
            if source[offset] == 0x0A {
                line += 1
                lineStart = offset + 1
            }
            offset += 1
        }
        var column = 1
        var i = lineStart
        while i < end {
            if source[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceOrigin(line: line, column: column)
    }
}

extension TextParser {
    /// Whether the script starts with a module field rather than a command.
    var isBareModule: Bool {
        guard current.kind == .leftParen else { return false }
        let keyword = peek()
        for field: StaticString in ["type", "import", "func", "table", "memory", "global", "export", "start", "elem", "data"]
        where isKeyword(keyword, field) {
            return true
        }
        return false
    }

    func parseCommand(_ lines: inout LineCounter) throws(TextError) -> WastCommand {
        let open = current
        let line = lines.position(of: open.start).line
        guard current.kind == .leftParen, peek().kind == .keyword else { throw unexpected("a script command") }
        let keyword = peek()
        if isKeyword(keyword, "module") {
            return WastCommand(line: line, kind: try parseScriptModuleOrInstance(&lines))
        }
        advance()
        advance()
        let kind: WastCommand.Kind
        switch text(keyword) {
        case "register":
            let name = try expectScriptString()
            kind = .register(name: name, module: try takeIdentifier())
        case "invoke", "get":
            position -= 2
            return WastCommand(line: line, kind: .action(try parseAction()))
        case "assert_return":
            let action = try parseAction()
            var expected: [WastExpected] = []
            while current.kind == .leftParen { expected.append(try parseExpected()) }
            kind = .assertReturn(action, expected)
        case "assert_trap":
            if atParen("module") {
                let module = try parseScriptModule(&lines)
                kind = .assertModuleTrap(module, message: try expectScriptString())
            } else {
                let action = try parseAction()
                kind = .assertTrap(action, message: try expectScriptString())
            }
        case "assert_exhaustion":
            let action = try parseAction()
            kind = .assertExhaustion(action, message: try expectScriptString())
        case "assert_exception":
            kind = .assertException(try parseAction())
        case "assert_invalid":
            let module = try parseScriptModule(&lines)
            kind = .assertInvalid(module, message: try expectScriptString())
        case "assert_malformed":
            let module = try parseScriptModule(&lines)
            kind = .assertMalformed(module, message: try expectScriptString())
        case "assert_unlinkable":
            let module = try parseScriptModule(&lines)
            kind = .assertUnlinkable(module, message: try expectScriptString())
        case "assert_malformed_custom":
            let module = try parseScriptModule(&lines)
            kind = .assertMalformedCustom(module, message: try expectScriptString())
        case "assert_invalid_custom":
            let module = try parseScriptModule(&lines)
            kind = .assertInvalidCustom(module, message: try expectScriptString())
        default:
            throw error("unknown script command \(describe(keyword))", at: keyword)
        }
        try expectRightParen()
        return WastCommand(line: line, kind: kind)
    }

    private func expectScriptString() throws(TextError) -> String {
        String(decoding: try expectString(), as: UTF8.self)
    }

    // MARK: Modules

    /// `(module ...)` as a command: a module, or `(module instance ...)`.
    private func parseScriptModuleOrInstance(_ lines: inout LineCounter) throws(TextError) -> WastCommand.Kind {
        if isKeyword(peek(2), "instance") {
            advance()
            advance()
            advance()
            let instance = try takeIdentifier()
            let module = try takeIdentifier()
            try expectRightParen()
            return .moduleInstance(instance: instance, module: module)
        }
        return .module(try parseScriptModule(&lines))
    }

    /// `(module definition? $id? (binary|quote)? ...)`
    func parseScriptModule(_ lines: inout LineCounter) throws(TextError) -> WastModule {
        guard atParen("module") else { throw unexpected("`(module ...)`") }
        let open = current
        let line = lines.position(of: open.start).line
        advance()
        advance()
        var isDefinition = false
        if isKeyword(current, "definition") {
            isDefinition = true
            advance()
        }
        let name = try takeIdentifier()
        let source: WastModule.Source
        var origin = SourceOrigin.start
        if isKeyword(current, "binary") {
            advance()
            source = .binary(try takeStrings())
            try expectRightParen()
        } else if isKeyword(current, "quote") {
            advance()
            source = .quote(try takeStrings())
            try expectRightParen()
        } else {
            let start = current.start
            let end = tokens[open.partner].start
            origin = lines.position(of: start)
            source = .text(String(decoding: self.source[start..<end], as: UTF8.self))
            position = open.partner + 1
        }
        return WastModule(name: name, source: source, isDefinition: isDefinition, line: line, features: features, origin: origin)
    }

    // MARK: Actions and values

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
        if hasPattern { return .v128Lanes(shape.scriptShape, lanes) }
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

extension V128Shape {
    var scriptShape: WastLaneShape {
        switch self {
        case .i8x16: return .i8x16
        case .i16x8: return .i16x8
        case .i32x4: return .i32x4
        case .i64x2: return .i64x2
        case .f32x4: return .f32x4
        case .f64x2: return .f64x2
        }
    }
}
