import SwimTypes

/// Element and data segments in all their text forms.
extension TextParser {
    /// `(elem $id? elemlist)` (passive), `(elem $id? declare elemlist)`,
    /// `(elem $id? (table x)? offset elemlist)` (active), where an active segment without a
    /// table may list bare function indices: `(elem (i32.const 0) $f $g)`.
    func parseElementSegment() throws(TextError) {
        _ = try takeIdentifier()
        if isKeyword(current, "declare") {
            advance()
            let (type, items) = try parseElementList(allowBareIndices: false)
            try expectRightParen()
            module.elements.append(ElementSegment(type: type, mode: .declarative, items: items))
            return
        }
        guard current.kind == .leftParen && !atParen("ref") else {
            let (type, items) = try parseElementList(allowBareIndices: false)
            try expectRightParen()
            module.elements.append(ElementSegment(type: type, mode: .passive, items: items))
            return
        }
        var table: UInt32 = 0
        if takeParen("table") {
            table = try expectIndex(\.tables)
            try expectRightParen()
        }
        let offset = try parseOffset()
        let (type, items) = try parseElementList(allowBareIndices: true)
        try expectRightParen()
        module.elements.append(ElementSegment(type: type, mode: .active(table: table, offset: offset), items: items))
    }

    /// `func x*`, `reftype elemexpr*`, or (after an offset) bare function indices.
    private func parseElementList(allowBareIndices: Bool) throws(TextError) -> (RefType, ElementSegment.Items) {
        if isKeyword(current, "func") {
            advance()
            return (.funcref, try parseFunctionIndices())
        }
        if atReferenceType {
            let type = try parseRefType()
            return (type, try parseElementExpressions())
        }
        guard allowBareIndices else { throw unexpected("`func` or a reference type") }
        return (.funcref, try parseFunctionIndices())
    }

    /// The items of an inline `(table reftype (elem ...))`: indices or expressions.
    func parseElementItems() throws(TextError) -> ElementSegment.Items {
        if current.kind == .leftParen { return try parseElementExpressions() }
        return try parseFunctionIndices()
    }

    private func parseFunctionIndices() throws(TextError) -> ElementSegment.Items {
        var indices: [UInt32] = []
        while current.kind != .rightParen { indices.append(try expectIndex(\.functions)) }
        return .functions(indices)
    }

    /// `(item instr*)` or a single folded instruction, repeated.
    private func parseElementExpressions() throws(TextError) -> ElementSegment.Items {
        var expressions: [ConstExpression] = []
        while current.kind != .rightParen {
            if takeParen("item") {
                expressions.append(try parseConstExpression())
                try expectRightParen()
            } else {
                guard current.kind == .leftParen else { throw unexpected("an element expression") }
                var instructions: [Instruction] = []
                try parseFoldedInstruction(into: &instructions)
                expressions.append(ConstExpression(instructions: instructions))
            }
        }
        return .expressions(expressions)
    }

    /// `(data $id? string*)` (passive) or `(data $id? (memory x)? offset string*)` (active).
    func parseDataSegment() throws(TextError) {
        _ = try takeIdentifier()
        guard current.kind == .leftParen else {
            let bytes = try takeStrings()
            try expectRightParen()
            module.data.append(DataDefinition(mode: .passive, bytes: bytes))
            return
        }
        var memory: UInt32 = 0
        if takeParen("memory") {
            memory = try expectIndex(\.memories)
            try expectRightParen()
        }
        let offset = try parseOffset()
        let bytes = try takeStrings()
        try expectRightParen()
        module.data.append(DataDefinition(mode: .active(memory: memory, offset: offset), bytes: bytes))
    }
}
