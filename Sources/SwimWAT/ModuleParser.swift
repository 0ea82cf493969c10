import SwimTypes

/// What a text module turned out to be.
enum ModuleDocument {
    case text(ModuleDefinition)
    /// `(module binary "...")`: the bytes as written.
    case binary([UInt8])
    /// `(module quote "...")`: text still to be parsed.
    case quote([UInt8])
}

/// The running counts of each index space while fields are parsed in order; since imports
/// come first, they give each definition its index.
private struct DefinitionCounts {
    var functions: UInt32 = 0
    var tables: UInt32 = 0
    var memories: UInt32 = 0
    var globals: UInt32 = 0
    var tags: UInt32 = 0
}

extension TextParser {
    /// Parses `(module $id? field*)`, its binary and quote forms, or a bare list of fields.
    func parseDocument() throws(TextError) -> ModuleDocument {
        var end = tokens.count - 1  // the end-of-file token
        var moduleTokens: ClosedRange<Int>?
        if atParen("module") {
            moduleTokens = position...current.partner
            end = current.partner
            advance()
            advance()
            _ = try takeIdentifier()
            if isKeyword(current, "binary") || isKeyword(current, "quote") {
                let isBinary = isKeyword(current, "binary")
                advance()
                let bytes = try takeStrings()
                try expectRightParen()
                guard current.kind == .endOfFile else { throw unexpected("end of input after the module") }
                return isBinary ? .binary(bytes) : .quote(bytes)
            }
        }
        var fields: [Int] = []
        while position < end {
            guard current.kind == .leftParen, peek().kind == .keyword else { throw unexpected("a module field") }
            fields.append(position)
            position = current.partner + 1
        }
        if end != tokens.count - 1 {
            position = end + 1
            guard current.kind == .endOfFile else { throw unexpected("end of input after the module") }
        }
        try placeAnnotations(fields: fields, module: moduleTokens)
        try declareNames(fields: fields)
        try parseTypeDefinitions(fields: fields)
        var counts = DefinitionCounts()
        for field in fields {
            position = field + 1
            let keyword = current
            advance()
            if isKeyword(keyword, "import") { try parseImport(&counts) }
            else if isKeyword(keyword, "func") { try parseFunction(&counts) }
            else if isKeyword(keyword, "table") { try parseTable(&counts) }
            else if isKeyword(keyword, "memory") { try parseMemory(&counts) }
            else if isKeyword(keyword, "global") { try parseGlobal(&counts) }
            else if isKeyword(keyword, "tag") { try parseTag(&counts) }
            else if isKeyword(keyword, "export") { try parseExport() }
            else if isKeyword(keyword, "start") {
                module.start = try expectIndex(\.functions)
                try expectRightParen()
            }
            else if isKeyword(keyword, "elem") { try parseElementSegment() }
            else if isKeyword(keyword, "data") { try parseDataSegment() }
            // `type` fields were parsed first.
        }
        try finishAnnotations()
        return .text(module)
    }

    /// Explicit types come first in the type index space, in text order, whatever fields
    /// surround them; implicit types from type uses are appended later.
    private func parseTypeDefinitions(fields: [Int]) throws(TextError) {
        for field in fields where isKeyword(tokens[field + 1], "type") {
            position = field + 2
            _ = try takeIdentifier()
            let type = try parseTypeDefinitionBody()
            try expectRightParen()
            if typeIndexBySignature[type] == nil { typeIndexBySignature[type] = UInt32(truncatingIfNeeded: module.types.count) }
            module.types.append(type)
        }
    }

    // MARK: Inline abbreviations

    /// `(export "name")*` after a definition's identifier.
    private func parseInlineExports(_ descriptor: ExportDescriptor) throws(TextError) {
        while takeParen("export") {
            module.exports.append(Export(name: try expectName(), descriptor: descriptor))
            try expectRightParen()
        }
    }

    /// `(import "module" "name")` after the inline exports, if present.
    private func takeInlineImport() throws(TextError) -> (String, String)? {
        guard takeParen("import") else { return nil }
        let moduleName = try expectName()
        let name = try expectName()
        try expectRightParen()
        return (moduleName, name)
    }

    // MARK: Fields

    /// `(import "m" "n" (func|table|memory|global|tag $id? ...))`
    private func parseImport(_ counts: inout DefinitionCounts) throws(TextError) {
        let moduleName = try expectName()
        let name = try expectName()
        try expectLeftParen()
        let kind = current
        advance()
        _ = try takeIdentifier()
        let descriptor: ImportDescriptor
        if isKeyword(kind, "func") {
            descriptor = .function(try parseTypeUse(allowParameterNames: true).index)
            counts.functions += 1
        } else if isKeyword(kind, "table") {
            descriptor = .table(try parseTableType())
            counts.tables += 1
        } else if isKeyword(kind, "memory") {
            descriptor = .memory(try parseMemoryType())
            counts.memories += 1
        } else if isKeyword(kind, "global") {
            descriptor = .global(try parseGlobalType())
            counts.globals += 1
        } else if isKeyword(kind, "tag") {
            descriptor = .tag(try parseTypeUse(allowParameterNames: true).index)
            counts.tags += 1
        } else {
            throw error("unknown import kind \(describe(kind))", at: kind)
        }
        try expectRightParen()
        try expectRightParen()
        module.imports.append(Import(module: moduleName, name: name, descriptor: descriptor))
    }

    /// `(func $id? (export ...)* (import ...)? typeuse (local ...)* instr*)`
    private func parseFunction(_ counts: inout DefinitionCounts) throws(TextError) {
        _ = try takeIdentifier()
        let index = counts.functions
        counts.functions += 1
        try parseInlineExports(.function(index))
        if let (moduleName, name) = try takeInlineImport() {
            let use = try parseTypeUse(allowParameterNames: true)
            try expectRightParen()
            module.imports.append(Import(module: moduleName, name: name, descriptor: .function(use.index)))
            return
        }
        let typeStart = current
        let use = try parseTypeUse(allowParameterNames: true)
        localNames = [:]
        labels = []
        for (i, name) in use.parameterNames.enumerated() {
            guard let name else { continue }
            guard localNames[name] == nil else { throw error("duplicate local $\(name)", at: typeStart) }
            localNames[name] = UInt32(truncatingIfNeeded: i)
        }
        let parameterCount = use.type?.parameters.count ?? 0
        var locals: [ValueType] = []
        while atParen("local") {
            let localToken = current
            advance()
            advance()
            if current.kind == .identifier {
                guard use.type != nil else { throw error("unknown type \(use.index): cannot number named locals", at: localToken) }
                let nameToken = current
                let name = try identifierName(nameToken)
                advance()
                guard localNames[name] == nil else { throw error("duplicate local $\(name)", at: nameToken) }
                localNames[name] = UInt32(truncatingIfNeeded: parameterCount + locals.count)
                locals.append(try parseValueType())
            } else {
                while current.kind != .rightParen { locals.append(try parseValueType()) }
            }
            try expectRightParen()
        }
        var body: [Instruction] = []
        try parseInstructions(into: &body)
        guard current.kind == .rightParen else { throw unexpected("an instruction or `)`") }
        advance()
        body.append(.end)
        module.functions.append(FunctionDefinition(typeIndex: use.index, locals: locals, body: body))
        localNames = [:]
    }

    /// `(table $id? (export ...)* (import ...)? tabletype)`, `(table ... reftype (elem ...))`,
    /// or (Wasm 3.0) `(table ... tabletype init-expr)`.
    private func parseTable(_ counts: inout DefinitionCounts) throws(TextError) {
        _ = try takeIdentifier()
        let index = counts.tables
        counts.tables += 1
        try parseInlineExports(.table(index))
        if let (moduleName, name) = try takeInlineImport() {
            let type = try parseTableType()
            try expectRightParen()
            module.imports.append(Import(module: moduleName, name: name, descriptor: .table(type)))
            return
        }
        // The inline-elem form starts with an (optional index type and) element type.
        var is64 = false
        let save = position
        if isKeyword(current, "i64") && features.contains(.memory64) {
            is64 = true
            advance()
        }
        if atReferenceType {
            let elementType = try parseRefType()
            guard takeParen("elem") else { throw unexpected("`(elem ...)` after the element type") }
            var items = try parseElementItems()
            try expectRightParen()
            try expectRightParen()
            // The items are of the table's type: function indices stand for `ref.func` expressions,
            // whose binary form (unlike the `elemkind` one, of `(ref func)`) carries that type.
            if case .functions(let functions) = items, elementType != .funcref {
                items = .expressions(functions.map { ConstExpression(instructions: [.refFunc($0)]) })
            }
            let offset = ConstExpression(instructions: [is64 ? .i64Const(0) : .i32Const(0)])
            let segment = ElementSegment(type: elementType, mode: .active(table: index, offset: offset), items: items)
            let count = UInt64(segment.count)
            module.tables.append(TableDefinition(type: TableType(elementType: elementType, limits: Limits(min: count, max: count, is64: is64))))
            module.elements.append(segment)
            return
        }
        position = save
        let type = try parseTableType()
        var initializer: ConstExpression?
        if current.kind != .rightParen {
            initializer = try parseConstExpression()
        }
        try expectRightParen()
        module.tables.append(TableDefinition(type: type, initializer: initializer))
    }

    /// `(memory $id? (export ...)* (import ...)? memtype)` or `(memory ... (data "..."*))`.
    private func parseMemory(_ counts: inout DefinitionCounts) throws(TextError) {
        _ = try takeIdentifier()
        let index = counts.memories
        counts.memories += 1
        try parseInlineExports(.memory(index))
        if let (moduleName, name) = try takeInlineImport() {
            let type = try parseMemoryType()
            try expectRightParen()
            module.imports.append(Import(module: moduleName, name: name, descriptor: .memory(type)))
            return
        }
        var is64 = false
        if isKeyword(current, "i64") && features.contains(.memory64) && peek().kind == .leftParen {
            is64 = true
            advance()
        }
        if takeParen("data") {
            let bytes = try takeStrings()
            try expectRightParen()
            try expectRightParen()
            let pages = UInt64((bytes.count + MemoryType.pageSize - 1) / MemoryType.pageSize)
            module.memories.append(MemoryType(limits: Limits(min: pages, max: pages, is64: is64)))
            let offset = ConstExpression(instructions: [is64 ? .i64Const(0) : .i32Const(0)])
            module.data.append(DataDefinition(mode: .active(memory: index, offset: offset), bytes: bytes))
            return
        }
        let type = try parseMemoryType()
        try expectRightParen()
        module.memories.append(type)
    }

    /// `(global $id? (export ...)* (import ...)? globaltype expr?)`
    private func parseGlobal(_ counts: inout DefinitionCounts) throws(TextError) {
        _ = try takeIdentifier()
        let index = counts.globals
        counts.globals += 1
        try parseInlineExports(.global(index))
        if let (moduleName, name) = try takeInlineImport() {
            let type = try parseGlobalType()
            try expectRightParen()
            module.imports.append(Import(module: moduleName, name: name, descriptor: .global(type)))
            return
        }
        let type = try parseGlobalType()
        let initializer = try parseConstExpression()
        try expectRightParen()
        module.globals.append(GlobalDefinition(type: type, initializer: initializer))
    }

    /// `(tag $id? (export ...)* (import ...)? typeuse)` (exception handling)
    private func parseTag(_ counts: inout DefinitionCounts) throws(TextError) {
        _ = try takeIdentifier()
        let index = counts.tags
        counts.tags += 1
        try parseInlineExports(.tag(index))
        if let (moduleName, name) = try takeInlineImport() {
            let use = try parseTypeUse(allowParameterNames: true)
            try expectRightParen()
            module.imports.append(Import(module: moduleName, name: name, descriptor: .tag(use.index)))
            return
        }
        let use = try parseTypeUse(allowParameterNames: true)
        try expectRightParen()
        module.tags.append(use.index)
    }

    /// `(export "name" (func|table|memory|global|tag x))`
    private func parseExport() throws(TextError) {
        let name = try expectName()
        try expectLeftParen()
        let kind = current
        advance()
        let descriptor: ExportDescriptor
        if isKeyword(kind, "func") { descriptor = .function(try expectIndex(\.functions)) }
        else if isKeyword(kind, "table") { descriptor = .table(try expectIndex(\.tables)) }
        else if isKeyword(kind, "memory") { descriptor = .memory(try expectIndex(\.memories)) }
        else if isKeyword(kind, "global") { descriptor = .global(try expectIndex(\.globals)) }
        else if isKeyword(kind, "tag") && features.hasExceptionTags { descriptor = .tag(try expectIndex(\.tags)) }
        else { throw error("unknown export kind \(describe(kind))", at: kind) }
        try expectRightParen()
        try expectRightParen()
        module.exports.append(Export(name: name, descriptor: descriptor))
    }

    // MARK: Constant expressions

    /// Instructions up to the closing `)`, outside any function.
    func parseConstExpression() throws(TextError) -> ConstExpression {
        var instructions: [Instruction] = []
        try parseInstructions(into: &instructions)
        guard current.kind == .rightParen else { throw unexpected("an instruction or `)`") }
        return ConstExpression(instructions: instructions)
    }

    /// `(offset instr*)` or its abbreviation, one folded instruction.
    func parseOffset() throws(TextError) -> ConstExpression {
        if takeParen("offset") {
            let expression = try parseConstExpression()
            try expectRightParen()
            return expression
        }
        guard current.kind == .leftParen else { throw unexpected("an offset `(offset ...)` or a folded instruction") }
        var instructions: [Instruction] = []
        try parseFoldedInstruction(into: &instructions)
        return ConstExpression(instructions: instructions)
    }
}
