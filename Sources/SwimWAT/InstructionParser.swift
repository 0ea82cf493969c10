import SwimTypes

/// Instructions, plain (`i32.add`, `block ... end`) and folded (`(i32.add (...) (...))`,
/// `(if (cond) (then ...) (else ...))`), unfolded into binary order as they are parsed.
extension TextParser {
    /// Parses instructions until a `)`, an `end`, `else`, `catch`, `catch_all` or `delegate`
    /// keyword, or the end of input; the caller decides whether what stopped it is allowed.
    func parseInstructions(into out: inout [Instruction]) throws(TextError) {
        while true {
            trackBranchHints(instructionCount: out.count)
            switch current.kind {
            case .leftParen:
                try parseFoldedInstruction(into: &out)
            case .keyword:
                if isKeyword(current, "end") || isKeyword(current, "else") || isKeyword(current, "catch")
                    || isKeyword(current, "catch_all") || isKeyword(current, "delegate")
                { return }
                try parsePlainInstruction(into: &out)
            case .rightParen, .endOfFile:
                return
            default:
                throw unexpected("an instruction")
            }
        }
    }

    /// Looks up the operator at the cursor and consumes its mnemonic.
    private func takeOperator() throws(TextError) -> TextOperator {
        let token = current
        guard token.kind == .keyword else { throw unexpected("an instruction") }
        guard let op = OperatorTable.operators[text(token)] else {
            if isKeyword(token, "param") || isKeyword(token, "result") || isKeyword(token, "type") || isKeyword(token, "local") {
                throw error("unexpected token \(describe(token)): declarations must come first, in the order type, param, result, local", at: token)
            }
            throw error("unknown operator \(describe(token))", at: token)
        }
        if case .special(let s) = op, !features.isSuperset(of: s.requiredFeatures) || (s == .throw && !features.hasExceptionTags) {
            throw error("unknown operator \(describe(token)) (its proposal is not enabled)", at: token)
        }
        if case .numeric(let n) = op, n.isRelaxedSIMD, !features.contains(.relaxedSimd) {
            throw error("unknown operator \(describe(token)) (relaxed SIMD is not enabled)", at: token)
        }
        advance()
        return op
    }

    private func parsePlainInstruction(into out: inout [Instruction]) throws(TextError) {
        let token = current
        let op = try takeOperator()
        guard case .special(let special) = op else {
            out.append(try parseSimpleInstruction(op, at: token))
            return
        }
        try enterNesting()
        defer { leaveNesting() }
        // Each structured instruction has a function of its own: these functions recurse
        // once per nesting level, so their frames must stay small (even in debug builds).
        switch special {
        case .block, .loop: try parseBlock(special, folded: false, into: &out)
        case .if: try parsePlainIf(into: &out)
        case .tryTable: try parseTryTable(folded: false, into: &out)
        case .try: try parsePlainHandlers(label: try parsePlainTry(into: &out), into: &out)
        default: out.append(try parseSimpleInstruction(op, at: token))
        }
    }

    /// `block label? blocktype instr* end` or `(block label? blocktype instr*)` (and `loop`),
    /// after the keyword.
    private func parseBlock(_ special: SpecialOperator, folded: Bool, into out: inout [Instruction]) throws(TextError) {
        let label = try takeIdentifier()
        let type = try parseBlockType()
        out.append(special == .block ? .block(type) : .loop(type))
        labels.append(label)
        try parseInstructions(into: &out)
        if folded {
            try expectRightParen()
        } else {
            try expectKeyword("end")
            try checkClosingLabel(label)
        }
        labels.removeLast()
        out.append(.end)
    }

    /// `if label? blocktype instr* (else instr*)? end`, after `if`.
    private func parsePlainIf(into out: inout [Instruction]) throws(TextError) {
        let label = try takeIdentifier()
        let type = try parseBlockType()
        out.append(.if(type))
        labels.append(label)
        try parseInstructions(into: &out)
        if isKeyword(current, "else") {
            advance()
            try checkClosingLabel(label)
            out.append(.else)
            try parseInstructions(into: &out)
        }
        try expectKeyword("end")
        try checkClosingLabel(label)
        labels.removeLast()
        out.append(.end)
    }

    /// `try_table label? blocktype catch* instr* end`, or folded `(try_table ... instr*)`,
    /// after `try_table`. Kept out of the callers, which recurse, so their frames stay small.
    private func parseTryTable(folded: Bool, into out: inout [Instruction]) throws(TextError) {
        let label = try takeIdentifier()
        let type = try parseBlockType()
        // The handlers' labels are those around the try_table, not its own.
        out.append(.tryTable(type, try parseCatchClauses()))
        labels.append(label)
        try parseInstructions(into: &out)
        if folded {
            try expectRightParen()
        } else {
            try expectKeyword("end")
            try checkClosingLabel(label)
        }
        labels.removeLast()
        out.append(.end)
    }

    /// `try label? blocktype instr* (catch x instr*)* (catch_all instr*)? end`, or
    /// `try label? blocktype instr* delegate l` (legacy exceptions), after `try`: up to the
    /// end of the body. Returns the label.
    private func parsePlainTry(into out: inout [Instruction]) throws(TextError) -> String? {
        let label = try takeIdentifier()
        out.append(.try(try parseBlockType()))
        labels.append(label)
        try parseInstructions(into: &out)
        return label
    }

    /// The `delegate l`, or the handlers and `end`, of a plain `try`.
    private func parsePlainHandlers(label: String?, into out: inout [Instruction]) throws(TextError) {
        if isKeyword(current, "delegate") {
            advance()
            // The delegate's label is one of the enclosing blocks.
            labels.removeLast()
            out.append(.delegate(try expectLabel()))
            return
        }
        while isKeyword(current, "catch") {
            advance()
            out.append(.catch(try expectIndex(\.tags)))
            try parseInstructions(into: &out)
        }
        if isKeyword(current, "catch_all") {
            advance()
            out.append(.catchAll)
            try parseInstructions(into: &out)
        }
        try expectKeyword("end")
        try checkClosingLabel(label)
        labels.removeLast()
        out.append(.end)
    }

    /// `(try label? blocktype (do instr*) (catch x instr*)* (catch_all instr*)?)` or
    /// `(try label? blocktype (do instr*) (delegate l))`, after `try`: up to the `(do ...)`.
    private func parseFoldedTry(into out: inout [Instruction]) throws(TextError) {
        let label = try takeIdentifier()
        out.append(.try(try parseBlockType()))
        labels.append(label)
        guard takeParen("do") else { throw unexpected("`(do ...)`") }
        try parseInstructions(into: &out)
        try expectRightParen()
    }

    /// The `(delegate l)`, or the handlers and `)`, of a folded `try`.
    private func parseFoldedHandlers(into out: inout [Instruction]) throws(TextError) {
        if takeParen("delegate") {
            labels.removeLast()
            out.append(.delegate(try expectLabel()))
            try expectRightParen()
            try expectRightParen()
            return
        }
        while takeParen("catch") {
            out.append(.catch(try expectIndex(\.tags)))
            try parseInstructions(into: &out)
            try expectRightParen()
        }
        if takeParen("catch_all") {
            out.append(.catchAll)
            try parseInstructions(into: &out)
            try expectRightParen()
        }
        try expectRightParen()
        labels.removeLast()
        out.append(.end)
    }

    /// The handlers of a `try_table`: `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)`.
    private func parseCatchClauses() throws(TextError) -> [CatchClause] {
        var clauses: [CatchClause] = []
        while true {
            if takeParen("catch") {
                let tag = try expectIndex(\.tags)
                clauses.append(.catch(tag: tag, label: try expectLabel()))
            } else if takeParen("catch_ref") {
                let tag = try expectIndex(\.tags)
                clauses.append(.catchRef(tag: tag, label: try expectLabel()))
            } else if takeParen("catch_all") {
                clauses.append(.catchAll(label: try expectLabel()))
            } else if takeParen("catch_all_ref") {
                clauses.append(.catchAllRef(label: try expectLabel()))
            } else {
                return clauses
            }
            try expectRightParen()
        }
    }

    /// `end $l` or `else $l` must repeat the block's label, if they name one.
    private func checkClosingLabel(_ label: String?) throws(TextError) {
        guard current.kind == .identifier else { return }
        let name = try identifierName(current)
        guard name == label else {
            throw error("mismatching label: $\(name) closes a block labeled \(label.map { "$" + $0 } ?? "without a label")")
        }
        advance()
    }

    func parseFoldedInstruction(into out: inout [Instruction]) throws(TextError) {
        try enterNesting()
        defer { leaveNesting() }
        try expectLeftParen()
        let token = current
        let op = try takeOperator()
        if case .special(let special) = op {
            switch special {
            case .block, .loop:
                try parseBlock(special, folded: true, into: &out)
                return
            case .if:
                try parseFoldedIf(into: &out)
                return
            case .tryTable:
                try parseTryTable(folded: true, into: &out)
                return
            case .try:
                try parseFoldedTry(into: &out)
                try parseFoldedHandlers(into: &out)
                return
            default:
                break
            }
        }
        let instruction = try parseSimpleInstruction(op, at: token)
        while current.kind == .leftParen { try parseFoldedInstruction(into: &out) }
        try expectRightParen()
        out.append(instruction)
    }

    /// `(if label? blocktype folded* (then instr*) (else instr*)?)`, after `if`. The
    /// condition is evaluated outside the block, so its label is not yet in scope.
    private func parseFoldedIf(into out: inout [Instruction]) throws(TextError) {
        let label = try takeIdentifier()
        let type = try parseBlockType()
        while current.kind == .leftParen && !atParen("then") { try parseFoldedInstruction(into: &out) }
        noteFoldedIf(at: out.count)
        out.append(.if(type))
        labels.append(label)
        guard takeParen("then") else { throw unexpected("`(then ...)`") }
        try parseInstructions(into: &out)
        try expectRightParen()
        if takeParen("else") {
            out.append(.else)
            try parseInstructions(into: &out)
            try expectRightParen()
        }
        try expectRightParen()
        labels.removeLast()
        out.append(.end)
    }

    /// `(type x)? (param t*)* (result t*)*` with no parameter names. A lone result type (or
    /// none) is the compact value-type form; anything else is a type index.
    func parseBlockType() throws(TextError) -> BlockType {
        if atParen("type") {
            return .type(try parseTypeUse(allowParameterNames: false).index)
        }
        guard atParen("param") || atParen("result") else { return .empty }
        let (signature, _) = try parseSignature(allowParameterNames: false)
        if signature.parameters.isEmpty {
            if signature.results.isEmpty { return .empty }
            if signature.results.count == 1 { return .value(signature.results[0]) }
        }
        return .type(typeIndex(for: signature))
    }

    /// An instruction that is not a block: the mnemonic has been consumed; parses its immediates.
    private func parseSimpleInstruction(_ op: TextOperator, at token: Token) throws(TextError) -> Instruction {
        switch op {
        case .numeric(let n):
            return .numeric(n)
        case .memory(let m):
            let memory = try takeMemoryIndexBeforeMemArg()
            return .memory(m, try parseMemArg(naturalAlignment: m.naturalAlignment, memory: memory))
        case .memoryLane(let m):
            // `memidx? memarg lane`: a leading index is a memory only if another number follows.
            var memory: UInt32 = 0
            if current.kind == .identifier || (current.kind == .number && (peek().kind == .number || isMemArgField(peek()))) {
                memory = try expectIndex(\.memories)
            }
            let memArg = try parseMemArg(naturalAlignment: m.naturalAlignment, memory: memory)
            return .memoryLane(m, memArg, lane: try expectLaneIndex())
        case .lane(let l):
            return .lane(l, try expectLaneIndex())
        case .special(let s):
            return try parseSpecialInstruction(s, at: token)
        }
    }

    private func parseSpecialInstruction(_ op: SpecialOperator, at token: Token) throws(TextError) -> Instruction {
        switch op {
        case .block, .loop, .if, .else, .end, .then, .tryTable, .try, .catch, .catchAll, .delegate:
            throw error("unexpected token \(describe(token))", at: token)
        case .throw: return .throw(try expectIndex(\.tags))
        case .throwRef: return .throwRef
        case .rethrow: return .rethrow(try expectLabel())
        case .unreachable: return .unreachable
        case .nop: return .nop
        case .br: return .br(try expectLabel())
        case .brIf: return .brIf(try expectLabel())
        case .brTable:
            var targets: [UInt32] = [try expectLabel()]
            while current.kind == .identifier || current.kind == .number { targets.append(try expectLabel()) }
            let defaultTarget = targets.removeLast()
            return .brTable(BranchTable(targets: targets, defaultTarget: defaultTarget))
        case .return: return .return
        case .call: return .call(try expectIndex(\.functions))
        case .returnCall: return .returnCall(try expectIndex(\.functions))
        case .callRef: return .callRef(try expectIndex(\.types))
        case .returnCallRef: return .returnCallRef(try expectIndex(\.types))
        case .brOnNull: return .brOnNull(try expectLabel())
        case .brOnNonNull: return .brOnNonNull(try expectLabel())
        case .refAsNonNull: return .refAsNonNull
        case .callIndirect, .returnCallIndirect:
            let table = try takeIndex(\.tables) ?? 0
            let use = try parseTypeUse(allowParameterNames: false)
            return op == .callIndirect
                ? .callIndirect(typeIndex: use.index, tableIndex: table)
                : .returnCallIndirect(typeIndex: use.index, tableIndex: table)
        case .drop: return .drop
        case .select:
            guard atParen("result") else { return .select }
            var types: [ValueType] = []
            while takeParen("result") {
                while current.kind != .rightParen { types.append(try parseValueType()) }
                try expectRightParen()
            }
            return .typedSelect(types)
        case .localGet: return .localGet(try expectLocal())
        case .localSet: return .localSet(try expectLocal())
        case .localTee: return .localTee(try expectLocal())
        case .globalGet: return .globalGet(try expectIndex(\.globals))
        case .globalSet: return .globalSet(try expectIndex(\.globals))
        case .tableGet: return .tableGet(try takeIndex(\.tables) ?? 0)
        case .tableSet: return .tableSet(try takeIndex(\.tables) ?? 0)
        case .tableSize: return .tableSize(try takeIndex(\.tables) ?? 0)
        case .tableGrow: return .tableGrow(try takeIndex(\.tables) ?? 0)
        case .tableFill: return .tableFill(try takeIndex(\.tables) ?? 0)
        case .tableInit:
            // `table.init table? elem`: with two indices the first is the table.
            if isIndexToken(peek()) {
                let table = try expectIndex(\.tables)
                return .tableInit(elementIndex: try expectIndex(\.elements), tableIndex: table)
            }
            return .tableInit(elementIndex: try expectIndex(\.elements), tableIndex: 0)
        case .elemDrop: return .elemDrop(try expectIndex(\.elements))
        case .tableCopy:
            guard let destination = try takeIndex(\.tables) else { return .tableCopy(destination: 0, source: 0) }
            return .tableCopy(destination: destination, source: try expectIndex(\.tables))
        case .memorySize: return .memorySize(try takeIndex(\.memories) ?? 0)
        case .memoryGrow: return .memoryGrow(try takeIndex(\.memories) ?? 0)
        case .memoryFill: return .memoryFill(try takeIndex(\.memories) ?? 0)
        case .memoryCopy:
            guard let destination = try takeIndex(\.memories) else { return .memoryCopy(destination: 0, source: 0) }
            return .memoryCopy(destination: destination, source: try expectIndex(\.memories))
        case .memoryInit:
            module.needsDataCount = true
            if isIndexToken(peek()) {
                let memory = try expectIndex(\.memories)
                return .memoryInit(dataIndex: try expectIndex(\.data), memoryIndex: memory)
            }
            return .memoryInit(dataIndex: try expectIndex(\.data), memoryIndex: 0)
        case .dataDrop:
            module.needsDataCount = true
            return .dataDrop(try expectIndex(\.data))
        case .i32Const: return .i32Const(Int32(truncatingIfNeeded: try expectInteger(bits: 32)))
        case .i64Const: return .i64Const(Int64(truncatingIfNeeded: try expectInteger(bits: 64)))
        case .f32Const: return .f32Const(UInt32(truncatingIfNeeded: try expectFloat(.f32)))
        case .f64Const: return .f64Const(try expectFloat(.f64))
        case .v128Const: return .v128Const(try parseV128Literal())
        case .shuffle: return .shuffle(try parseShuffleLanes())
        case .refNull: return .refNull(try parseHeapType())
        case .refIsNull: return .refIsNull
        case .refFunc: return .refFunc(try expectIndex(\.functions))
        }
    }

    private func isIndexToken(_ token: Token) -> Bool {
        token.kind == .identifier || token.kind == .number
    }

    /// A label by name (its depth from the innermost block) or by depth.
    private func expectLabel() throws(TextError) -> UInt32 {
        let token = current
        if token.kind == .identifier {
            let name = try identifierName(token)
            var depth: UInt32 = 0
            for label in labels.reversed() {
                if label == name {
                    advance()
                    return depth
                }
                depth += 1
            }
            throw error("unknown label $\(name)", at: token)
        }
        guard token.kind == .number else { throw unexpected("a label") }
        return try expectU32(what: "a label")
    }

    private func expectLocal() throws(TextError) -> UInt32 {
        let token = current
        if token.kind == .identifier {
            let name = try identifierName(token)
            guard let index = localNames[name] else { throw error("unknown local $\(name)", at: token) }
            advance()
            return index
        }
        guard token.kind == .number else { throw unexpected("a local index") }
        return try expectU32(what: "a local index")
    }
}
