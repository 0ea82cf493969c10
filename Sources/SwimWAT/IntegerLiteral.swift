/// Integer literals of the text format: `sign? (num | 0x hexnum)`, where digits may be
/// separated by single underscores (`1_000`, `0xFF_FF`).
enum IntegerLiteral {
    enum Result: Equatable {
        /// `signed` is true when the literal was written with `+` or `-`.
        case value(negative: Bool, signed: Bool, magnitude: UInt64)
        /// Well-formed but larger than 2^64 - 1.
        case overflow
        case malformed
    }

    static func parse(_ s: ArraySlice<UInt8>) -> Result {
        var i = s.startIndex
        let end = s.endIndex
        guard i < end else { return .malformed }
        var negative = false
        var signed = false
        if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            negative = s[i] == UInt8(ascii: "-")
            signed = true
            i += 1
        }
        var radix: UInt64 = 10
        if i + 1 < end, s[i] == UInt8(ascii: "0"), s[i + 1] == UInt8(ascii: "x") {
            radix = 16
            i += 2
        }
        switch digits(s, from: i, to: end, radix: radix) {
        case .none: return .malformed
        case .some(nil): return .overflow
        case .some(.some(let m)): return .value(negative: negative, signed: signed, magnitude: m)
        }
    }

    /// Parses `digit ('_'? digit)*` over the whole range: nil if malformed, `.some(nil)` on overflow.
    static func digits(_ s: ArraySlice<UInt8>, from start: Int, to end: Int, radix: UInt64) -> UInt64?? {
        guard start < end else { return nil }
        var value: UInt64 = 0
        var overflow = false
        var previousWasDigit = false
        var i = start
        while i < end {
            let c = s[i]
            if c == UInt8(ascii: "_") {
                guard previousWasDigit else { return nil }
                previousWasDigit = false
                i += 1
                continue
            }
            guard let d = digitValue(c, radix: radix) else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { overflow = true }
            value = a
            previousWasDigit = true
            i += 1
        }
        guard previousWasDigit else { return nil }
        return overflow ? .some(nil) : .some(value)
    }

    @inline(__always)
    static func digitValue(_ c: UInt8, radix: UInt64) -> UInt8? {
        if radix == 16 { return Lexer.hexValue(c) }
        if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { return c - UInt8(ascii: "0") }
        return nil
    }

    /// The bit pattern of an `i<bits>` literal: a signed value in [-2^(bits-1), 0] or an
    /// unsigned value below 2^bits. Returns nil when malformed; throws on out of range.
    static func bitPattern(_ s: ArraySlice<UInt8>, bits: Int) -> BitPatternResult {
        switch parse(s) {
        case .malformed: return .malformed
        case .overflow: return .outOfRange
        case .value(let negative, _, let m):
            let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
            if negative {
                let limit: UInt64 = 1 << UInt64(bits - 1)
                guard m <= limit else { return .outOfRange }
                return .value((0 &- m) & mask)
            }
            guard m <= mask else { return .outOfRange }
            return .value(m)
        }
    }

    enum BitPatternResult: Equatable {
        case value(UInt64)
        case outOfRange
        case malformed
    }
}
