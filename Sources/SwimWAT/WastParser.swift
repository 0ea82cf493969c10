import SwimTypes

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
        for field: StaticString in ["type", "import", "func", "table", "memory", "global", "tag", "export", "start", "elem", "data"]
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
            // `$instance $module`, `$module` alone, or neither (the last module defined).
            let first = try takeIdentifier()
            let second = try takeIdentifier()
            try expectRightParen()
            if let second { return .moduleInstance(instance: first, module: second) }
            return .moduleInstance(instance: nil, module: first)
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
}
