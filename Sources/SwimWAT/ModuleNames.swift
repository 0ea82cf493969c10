/// The symbolic names of one index space, and how many entries it has so far.
struct IndexSpace {
    /// What the space holds, for messages: "func", "global", ...
    let kind: String
    var names: [String: UInt32] = [:]
    var count: UInt32 = 0

    init(_ kind: String) { self.kind = kind }

    /// Adds an entry (named or not) and returns its index.
    mutating func declare(_ name: String?, at offset: Int) throws(TextError) -> UInt32 {
        let index = count
        if let name {
            guard names[name] == nil else { throw TextError("duplicate \(kind) $\(name)", at: offset) }
            names[name] = index
        }
        count += 1
        return index
    }
}

/// The index spaces of a module, filled by the declaration scan before any body is parsed,
/// so that every reference, forward or backward, resolves.
struct ModuleNames {
    var types = IndexSpace("type")
    var functions = IndexSpace("func")
    var tables = IndexSpace("table")
    var memories = IndexSpace("memory")
    var globals = IndexSpace("global")
    var tags = IndexSpace("tag")
    var elements = IndexSpace("elem")
    var data = IndexSpace("data")
}

extension TextParser {
    /// Resolves an index written as a number or `$name` in `space`, and consumes it.
    func expectIndex(_ space: KeyPath<ModuleNames, IndexSpace>) throws(TextError) -> UInt32 {
        let token = current
        if token.kind == .identifier {
            let name = try identifierName(token)
            let s = names[keyPath: space]
            guard let index = s.names[name] else { throw error("unknown \(s.kind) $\(name)", at: token) }
            advance()
            return index
        }
        guard token.kind == .number else { throw unexpected("a \(names[keyPath: space].kind) index") }
        return try expectU32(what: "a \(names[keyPath: space].kind) index")
    }

    /// Like `expectIndex`, but only if a number or identifier is next.
    func takeIndex(_ space: KeyPath<ModuleNames, IndexSpace>) throws(TextError) -> UInt32? {
        guard current.kind == .identifier || current.kind == .number else { return nil }
        return try expectIndex(space)
    }

    /// Scans the module fields in `fields` (token indices of their `(`) and assigns every
    /// named definition its index. Also enforces the textual ordering rules: imports before
    /// definitions, at most one start.
    func declareNames(fields: [Int]) throws(TextError) {
        var firstDefinition: String?
        var sawStart = false
        for field in fields {
            position = field + 1
            let keyword = current
            advance()
            if isKeyword(keyword, "type") {
                _ = try names.types.declare(try takeIdentifier(), at: keyword.start)
            } else if isKeyword(keyword, "import") {
                if let firstDefinition { throw error("import after \(firstDefinition)", at: keyword) }
                // (import "m" "n" (kind $id? ...))
                guard current.kind == .string, peek().kind == .string, peek(2).kind == .leftParen else {
                    throw unexpected("`\"module\" \"name\" (description)`")
                }
                position += 3
                let kind = current
                advance()
                try declareDefinition(kind: kind)
            } else if isKeyword(keyword, "func") || isKeyword(keyword, "table") || isKeyword(keyword, "memory")
                        || isKeyword(keyword, "global") || isKeyword(keyword, "tag") {
                let fieldStart = position
                _ = try takeIdentifier()
                skipInlineExports()
                let isImport = atParen("import")
                position = fieldStart
                if isImport {
                    if let firstDefinition { throw error("import after \(firstDefinition)", at: keyword) }
                } else if firstDefinition == nil {
                    firstDefinition = isKeyword(keyword, "func") ? "function" : text(keyword)
                }
                try declareDefinition(kind: keyword)
                if !isImport { try declareInlineSegment(kind: keyword) }
            } else if isKeyword(keyword, "elem") {
                _ = try names.elements.declare(try takeIdentifier(), at: keyword.start)
            } else if isKeyword(keyword, "data") {
                _ = try names.data.declare(try takeIdentifier(), at: keyword.start)
            } else if isKeyword(keyword, "start") {
                if sawStart { throw error("multiple start sections", at: keyword) }
                sawStart = true
            } else if isKeyword(keyword, "export") {
                continue
            } else {
                throw error("unknown module field \(describe(keyword))", at: keyword)
            }
        }
    }

    /// Declares the func, table, memory, global or tag whose keyword is `kind` (the cursor
    /// is just after it).
    private func declareDefinition(kind: Token) throws(TextError) {
        let name = try takeIdentifier()
        if isKeyword(kind, "func") {
            _ = try names.functions.declare(name, at: kind.start)
        } else if isKeyword(kind, "table") {
            _ = try names.tables.declare(name, at: kind.start)
        } else if isKeyword(kind, "memory") {
            _ = try names.memories.declare(name, at: kind.start)
        } else if isKeyword(kind, "global") {
            _ = try names.globals.declare(name, at: kind.start)
        } else if isKeyword(kind, "tag") {
            guard features.hasExceptionTags else {
                throw error("\(describe(kind)): exception handling is not enabled", at: kind)
            }
            _ = try names.tags.declare(name, at: kind.start)
        } else {
            throw error("unknown import kind \(describe(kind))", at: kind)
        }
    }

    /// A table with `(elem ...)` or a memory with `(data ...)` defines an unnamed segment too.
    private func declareInlineSegment(kind: Token) throws(TextError) {
        guard isKeyword(kind, "table") || isKeyword(kind, "memory") else { return }
        _ = try takeIdentifier()
        skipInlineExports()
        // The segment comes after the element type: scan this field's top-level items.
        while current.kind != .rightParen && current.kind != .endOfFile {
            if isKeyword(kind, "table") && atParen("elem") {
                _ = try names.elements.declare(nil, at: current.start)
                return
            }
            if isKeyword(kind, "memory") && atParen("data") {
                _ = try names.data.declare(nil, at: current.start)
                return
            }
            skipItem()
        }
    }

    /// Skips `(export "name")` abbreviations.
    func skipInlineExports() {
        while atParen("export") { skipItem() }
    }

    /// Skips one token, or a whole parenthesized group.
    func skipItem() {
        if current.kind == .leftParen, current.partner >= 0 {
            position = current.partner + 1
        } else {
            advance()
        }
    }
}
