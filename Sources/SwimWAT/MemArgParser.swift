import SwimTypes

/// The immediates of loads and stores: an optional memory index, `offset=` and `align=`,
/// and the lane index of SIMD lane instructions.
extension TextParser {
    /// A memory index written before a memarg (multi-memory): `i32.load $m offset=4`.
    func takeMemoryIndexBeforeMemArg() throws(TextError) -> UInt32 {
        try takeIndex(\.memories) ?? 0
    }

    /// `offset=N? align=N?`; the alignment must be a power of two and is stored as its log2.
    func parseMemArg(naturalAlignment: UInt32, memory: UInt32) throws(TextError) -> MemArg {
        var offset: UInt64 = 0
        var align = naturalAlignment
        if let value = try takeMemArgField("offset=", bits: features.contains(.memory64) ? 64 : 32) {
            offset = value
        }
        let alignToken = current
        if let value = try takeMemArgField("align=", bits: features.contains(.memory64) ? 64 : 32) {
            guard value != 0, value & (value - 1) == 0 else {
                throw error("alignment must be a power of two: \(describe(alignToken))", at: alignToken)
            }
            align = UInt32(value.trailingZeroBitCount)
        }
        return MemArg(align: align, offset: offset, memory: memory)
    }

    /// Whether `token` is an `offset=` or `align=` field.
    func isMemArgField(_ token: Token) -> Bool {
        guard token.kind == .keyword else { return false }
        let bytes = source[token.start..<token.end]
        return bytes.starts(with: "offset=".utf8) || bytes.starts(with: "align=".utf8)
    }

    /// Reads `prefix` + an unsigned literal from one keyword token, if the token has that prefix.
    func takeMemArgField(_ prefix: StaticString, bits: Int) throws(TextError) -> UInt64? {
        let token = current
        guard token.kind == .keyword, token.length > prefix.utf8CodeUnitCount else { return nil }
        let p = prefix.utf8Start
        for i in 0..<prefix.utf8CodeUnitCount where source[token.start + i] != p[i] { return nil }
        let digits = source[(token.start + prefix.utf8CodeUnitCount)..<token.end]
        switch IntegerLiteral.parse(digits) {
        case .value(_, false, let v):
            if bits < 64 && v >> UInt64(bits) != 0 { throw error("i\(bits) constant out of range: \(describe(token))", at: token) }
            advance()
            return v
        case .overflow:
            throw error("i\(bits) constant out of range: \(describe(token))", at: token)
        default:
            throw error("unknown operator \(describe(token)): malformed memory argument", at: token)
        }
    }

    func expectLaneIndex() throws(TextError) -> UInt8 {
        guard current.kind == .number else { throw unexpected("a lane index") }
        return UInt8(truncatingIfNeeded: try expectUnsigned(bits: 8, what: "a lane index"))
    }
}
