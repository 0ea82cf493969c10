import SwimParser
import SwimTypes

/// What a module's annotations amount to: found where they stand before the fields are
/// parsed (`placeAnnotations`), branch hints tied to their instructions while bodies are
/// parsed, and turned into custom sections at the end (`finishAnnotations`).
///
/// Follows the spec's appendix "Custom Annotations" and the reference interpreter's
/// messages (the scripts' `assert_malformed_custom` and `assert_invalid_custom`).
struct AnnotationState {
    var annotations: [Annotation] = []
    /// `@custom` sections, in text order.
    var customSections: [CustomSectionDefinition] = []
    var moduleName: [UInt8]?
    var functionNames: [UInt32: [UInt8]] = [:]
    var tagNames: [UInt32: [UInt8]] = [:]
    /// The first `@name` annotation (which orders the name section among custom sections).
    var firstName: Int?
    /// The branch hints, by annotation: its function and value.
    var hints: [Int: (function: UInt32, value: UInt8)] = [:]
    /// The branch hint standing before each token, by token index.
    var hintBeforeToken: [Int: Int] = [:]
    /// Hints whose instruction is being parsed, innermost last.
    var pendingHints: [PendingBranchHint] = []
    /// A hint on the wrong instruction: reported once the module has parsed (the reference
    /// interpreter checks annotations after the syntax).
    var invalidHint: TextError?
    /// The instruction each branch hint was tied to, by annotation.
    var hintedInstructions: [Int: Int] = [:]

    var hasBranchHints: Bool { !hintBeforeToken.isEmpty }
}

/// A branch hint found before an instruction, waiting for the instruction to be parsed.
struct PendingBranchHint {
    var annotation: Int
    /// The instruction's keyword (after the `(` of a folded instruction).
    var keyword: Token
    var isFolded: Bool
    /// How many instructions the body had before this one.
    var first: Int
    /// The parser's nesting when the hint was found: the instruction list it belongs to.
    var nesting: Int
    /// For a folded `if`: where its instruction went, after the condition's.
    var foldedIf: Int?
}

/// A module field, as far as annotations need to know it.
private struct FieldExtent {
    /// Token indices of its `(` and `)`.
    var open: Int
    var close: Int
    var keyword: Token
    /// The function or tag it declares (imported or defined), if any.
    var function: UInt32?
    var tag: UInt32?
    /// For a function: the first token after `$id`, inline exports and an inline import.
    var headerEnd: Int
}

extension TextParser {
    // MARK: Before the fields are parsed

    /// Checks every annotation's syntax and place, and gathers custom sections and names.
    /// `fields` are the token indices of the module fields' `(`; `module` is the token
    /// range of `(module ...)`, nil for a bare list of fields.
    func placeAnnotations(fields: [Int], module: ClosedRange<Int>?) throws(TextError) {
        guard !annotationState.annotations.isEmpty else { return }
        let extents = fieldExtents(fields)
        for (index, annotation) in annotationState.annotations.enumerated() {
            let at = annotation.tokenIndex
            let field = extents.last { $0.open < at }.flatMap { at <= $0.close ? $0 : nil }
            switch annotation.kind {
            case .custom:
                if field != nil { throw TextError("misplaced @custom annotation", at: annotation.start) }
                annotationState.customSections.append(try parseCustomAnnotation(annotation))
            case .name:
                let name = try parseNameAnnotation(annotation)
                try placeName(name, annotation, index: index, field: field, firstField: extents.first?.open, module: module)
            case .branchHint:
                let value = try parseBranchHint(annotation)
                guard let field, let function = field.function, isKeyword(field.keyword, "func") else {
                    throw TextError("@metadata.code.branch_hint annotation: not in a function", at: annotation.start)
                }
                guard annotationState.hintBeforeToken[at] == nil else {
                    throw TextError("@metadata.code.branch_hint annotation: duplicate annotation", at: annotation.start)
                }
                annotationState.hintBeforeToken[at] = index
                annotationState.hints[index] = (function, value)
            }
        }
    }

    private func fieldExtents(_ fields: [Int]) -> [FieldExtent] {
        var functions: UInt32 = 0
        var tags: UInt32 = 0
        var extents: [FieldExtent] = []
        for open in fields {
            let keyword = tokens[open + 1]
            // What it declares: `(func ...)`, `(tag ...)` or `(import "m" "n" (func|tag ...))`.
            var declares = keyword
            if isKeyword(keyword, "import"), open + 5 < tokens.count, tokens[open + 4].kind == .leftParen {
                declares = tokens[open + 5]
            }
            var extent = FieldExtent(open: open, close: tokens[open].partner, keyword: keyword, headerEnd: open + 2)
            if isKeyword(declares, "func") {
                extent.function = functions
                functions += 1
            } else if isKeyword(declares, "tag") {
                extent.tag = tags
                tags += 1
            }
            if isKeyword(keyword, "func") {
                var i = open + 2
                if tokens[i].kind == .identifier { i += 1 }
                while tokens[i].kind == .leftParen, i + 1 < tokens.count,
                      isKeyword(tokens[i + 1], "export") || isKeyword(tokens[i + 1], "import") {
                    i = tokens[i].partner + 1
                }
                extent.headerEnd = i
            }
            extents.append(extent)
        }
        return extents
    }

    /// A parser over an annotation's body.
    private func bodyParser(_ annotation: Annotation) -> TextParser {
        TextParser(source: source, tokens: annotation.items, features: features)
    }

    /// `(@custom "name" (before|after section)? "bytes"*)`
    private func parseCustomAnnotation(_ annotation: Annotation) throws(TextError) -> CustomSectionDefinition {
        let body = bodyParser(annotation)
        guard body.current.kind == .string else {
            throw TextError("@custom annotation: missing section name", at: annotation.start)
        }
        let nameToken = body.current
        let name = try body.expectString()
        guard isWellFormedUTF8(name, name.indices) else {
            throw TextError("@custom annotation: malformed UTF-8 encoding", at: nameToken.start)
        }
        var placement = Placement.afterLast
        if body.current.kind == .leftParen {
            let open = body.current
            body.advance()
            let direction = body.current
            guard body.isKeyword(direction, "before") || body.isKeyword(direction, "after") else {
                throw TextError("@custom annotation: malformed placement", at: open.start)
            }
            body.advance()
            guard body.current.kind == .keyword, let section = Placement.Section(keyword: body.text(body.current)) else {
                throw TextError("@custom annotation: malformed section kind", at: open.start)
            }
            body.advance()
            guard body.current.kind == .rightParen else {
                throw TextError("@custom annotation: unexpected token", at: body.current.start)
            }
            body.advance()
            placement = Placement(section: section, isAfter: body.isKeyword(direction, "after"))
        }
        var content: [UInt8] = []
        while body.current.kind == .string { content += try body.expectString() }
        guard body.current.kind == .endOfFile else {
            throw TextError("@custom annotation: unexpected token", at: body.current.start)
        }
        return CustomSectionDefinition(name: name, content: content, placement: placement)
    }

    /// `(@name "name")`
    private func parseNameAnnotation(_ annotation: Annotation) throws(TextError) -> [UInt8] {
        let body = bodyParser(annotation)
        let token = body.current
        guard token.kind == .string else { throw TextError("@name annotation: string expected", at: annotation.start) }
        let name = try body.expectString()
        guard isWellFormedUTF8(name, name.indices) else { throw TextError("malformed UTF-8 encoding", at: token.start) }
        guard body.current.kind == .endOfFile else {
            throw TextError("@name annotation: unexpected token", at: body.current.start)
        }
        return name
    }

    /// A `@name` names the module before its first field, a function before its type use,
    /// a tag anywhere inside it; nothing else.
    private func placeName(_ name: [UInt8], _ annotation: Annotation, index: Int, field: FieldExtent?,
                           firstField: Int?, module: ClosedRange<Int>?) throws(TextError) {
        let at = annotation.tokenIndex
        let misplaced = TextError("misplaced @name annotation", at: annotation.start)
        if annotationState.firstName == nil { annotationState.firstName = index }
        guard let field else {
            if let module, !(module.lowerBound < at && at <= module.upperBound) { throw misplaced }
            if let firstField, at > firstField { throw misplaced }
            guard annotationState.moduleName == nil else {
                throw TextError("@name annotation: multiple module names", at: annotation.start)
            }
            annotationState.moduleName = name
            return
        }
        if let function = field.function, isKeyword(field.keyword, "func"), at <= field.headerEnd {
            guard annotationState.functionNames[function] == nil else {
                throw TextError("@name annotation: multiple function names", at: annotation.start)
            }
            annotationState.functionNames[function] = name
        } else if let tag = field.tag, isKeyword(field.keyword, "tag") {
            guard annotationState.tagNames[tag] == nil else {
                throw TextError("@name annotation: multiple tag names", at: annotation.start)
            }
            annotationState.tagNames[tag] = name
        } else {
            throw misplaced
        }
    }

    /// `(@metadata.code.branch_hint "\00")` (unlikely) or `"\01"` (likely): its value.
    private func parseBranchHint(_ annotation: Annotation) throws(TextError) -> UInt8 {
        let body = bodyParser(annotation)
        var value: [UInt8] = []
        while body.current.kind == .string { value += try body.expectString() }
        guard body.current.kind == .endOfFile else {
            throw TextError("@metadata.code.branch_hint annotation: unexpected token", at: body.current.start)
        }
        guard value.count == 1, value[0] <= 1 else {
            throw TextError("@metadata.code.branch_hint annotation: invalid hint value", at: annotation.start)
        }
        return value[0]
    }

    // MARK: While bodies are parsed

    /// Called before each instruction of an instruction list, which holds `count`
    /// instructions so far: ties the hint of the list's previous instruction (now parsed) to
    /// it, and notes the hint standing before the instruction at the cursor, if any. A hint
    /// before the end of the list is left unattached (`finishAnnotations` rejects it).
    /// Throws nothing and takes an integer: the instruction parser calls it at every level
    /// of nesting, and keeps its frames small.
    func trackBranchHints(instructionCount count: Int) {
        guard annotationState.hasBranchHints else { return }
        if let last = annotationState.pendingHints.last, last.nesting == nesting {
            annotationState.pendingHints.removeLast()
            attachBranchHint(last, instructionCount: count)
        }
        guard let annotation = annotationState.hintBeforeToken[position] else { return }
        let isFolded = current.kind == .leftParen
        let keyword = isFolded ? peek() : current
        guard keyword.kind == .keyword, isFolded || !(isKeyword(keyword, "end") || isKeyword(keyword, "else")) else { return }
        annotationState.pendingHints.append(PendingBranchHint(
            annotation: annotation, keyword: keyword, isFolded: isFolded, first: count, nesting: nesting))
    }

    /// Records where a folded `if` put its instruction (after its condition's), if it has a
    /// hint: the hint was noted one nesting level out, in the list the `if` belongs to.
    func noteFoldedIf(at instruction: Int) {
        guard annotationState.hasBranchHints, let last = annotationState.pendingHints.last,
              last.nesting == nesting - 1, last.isFolded, last.foldedIf == nil, isKeyword(last.keyword, "if")
        else { return }
        annotationState.pendingHints[annotationState.pendingHints.count - 1].foldedIf = instruction
    }

    /// Ties a hint to the instruction parsed after it, which must be an `if` or a `br_if`.
    private func attachBranchHint(_ hint: PendingBranchHint, instructionCount count: Int) {
        var target: Int?
        if isKeyword(hint.keyword, "br_if") {
            target = count - 1  // after its operands, when folded
        } else if isKeyword(hint.keyword, "if") {
            target = hint.isFolded ? hint.foldedIf : hint.first
        }
        guard let target, target >= hint.first, target < count else {
            if annotationState.invalidHint == nil {
                annotationState.invalidHint = TextError("@metadata.code.branch_hint annotation: invalid target",
                                                        at: annotationState.annotations[hint.annotation].start)
            }
            return
        }
        annotationState.hintedInstructions[hint.annotation] = target
    }

    // MARK: After the fields are parsed

    /// Checks that every branch hint found its instruction, and adds the custom sections.
    func finishAnnotations() throws(TextError) {
        guard !annotationState.annotations.isEmpty else { return }
        if let error = annotationState.invalidHint { throw error }
        for index in annotationState.hints.keys.sorted() where annotationState.hintedInstructions[index] == nil {
            throw TextError("@metadata.code.branch_hint annotation: invalid placement",
                            at: annotationState.annotations[index].start)
        }
        // In text order; sections with the same placement keep it.
        var sections: [(order: Int, section: CustomSectionDefinition)] = []
        var custom = 0
        for (index, annotation) in annotationState.annotations.enumerated() where annotation.kind == .custom {
            sections.append((index, annotationState.customSections[custom]))
            custom += 1
        }
        if let first = annotationState.firstName, let names = nameSection() {
            sections.append((first, names))
        }
        if let first = annotationState.hints.keys.min() {
            sections.append((first, branchHintSection()))
        }
        module.customSections = sections.sorted { $0.order < $1.order }.map(\.section)
    }

    /// The `name` section: module name (subsection 0), function names (1), tag names (11).
    private func nameSection() -> CustomSectionDefinition? {
        var content = ByteWriter()
        func subsection(_ id: UInt8, _ write: (inout ByteWriter) -> Void) {
            var payload = ByteWriter()
            write(&payload)
            content.byte(id)
            content.u32(payload.bytes.count)
            content.append(payload.bytes)
        }
        func nameMap(_ names: [UInt32: [UInt8]]) -> (inout ByteWriter) -> Void {
            { w in
                w.u32(names.count)
                for (index, name) in names.sorted(by: { $0.key < $1.key }) {
                    w.u32(index)
                    w.u32(name.count)
                    w.append(name)
                }
            }
        }
        if let name = annotationState.moduleName {
            subsection(0) { w in
                w.u32(name.count)
                w.append(name)
            }
        }
        if !annotationState.functionNames.isEmpty { subsection(1, nameMap(annotationState.functionNames)) }
        if !annotationState.tagNames.isEmpty { subsection(11, nameMap(annotationState.tagNames)) }
        return CustomSectionDefinition(name: Array("name".utf8), content: content.bytes, placement: .afterLast)
    }

    /// The `metadata.code.branch_hint` section, before the code: per function (in index
    /// order), each hint's instruction offset from the start of the body (its local
    /// declarations), the size 1 and the value.
    private func branchHintSection() -> CustomSectionDefinition {
        var byFunction: [UInt32: [(instruction: Int, value: UInt8)]] = [:]
        for (annotation, hint) in annotationState.hints {
            guard let instruction = annotationState.hintedInstructions[annotation] else { continue }
            byFunction[hint.function, default: []].append((instruction, hint.value))
        }
        var importedFunctions = 0
        for i in module.imports { if case .function = i.descriptor { importedFunctions += 1 } }
        var content = ByteWriter()
        content.u32(byFunction.count)
        for (function, hints) in byFunction.sorted(by: { $0.key < $1.key }) {
            // Hints are tied to instructions of defined functions only.
            let defined = Int(function) - importedFunctions
            guard defined >= 0, defined < module.functions.count else { continue }
            let offsets = BinaryEncoder.instructionOffsets(module.functions[defined])
            content.u32(function)
            content.u32(hints.count)
            for hint in hints.sorted(by: { $0.instruction < $1.instruction }) {
                content.u32(offsets[hint.instruction])
                content.u32(1)
                content.byte(hint.value)
            }
        }
        return CustomSectionDefinition(name: Array("metadata.code.branch_hint".utf8), content: content.bytes,
                                       placement: Placement(section: .code, isAfter: false))
    }
}
