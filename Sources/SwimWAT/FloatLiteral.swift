/// Float literals of the text format, converted to IEEE 754 bit patterns with exact
/// round-to-nearest-even: decimal (`1.5e-3`), hexadecimal (`0x1.8p+3`), `inf`, `nan` and
/// `nan:0x...`, each with an optional sign and `_` digit separators.
///
/// Decimal literals are converted exactly: the value is held as a fraction of big integers
/// and the significand is found by long division, so halfway cases and subnormals round
/// as IEEE 754 requires. A literal that rounds to infinity is out of range.
enum FloatLiteral {
    /// The parameters of a binary interchange format.
    struct Format: Sendable {
        /// Significand bits, the hidden bit included (24 or 53).
        var precision: Int
        /// The exponent of the smallest normal number (-126 or -1022).
        var minExponent: Int
        /// The exponent of the largest finite number (127 or 1023).
        var maxExponent: Int
        var bias: Int { maxExponent }
        var exponentFieldMax: UInt64 { UInt64(2 * maxExponent + 1) }
        var signBit: UInt64 { 1 << UInt64(precision - 1 + exponentBits) }
        var exponentBits: Int { maxExponent == 127 ? 8 : 11 }
        var payloadMask: UInt64 { (1 << UInt64(precision - 1)) - 1 }
        var infinityBits: UInt64 { exponentFieldMax << UInt64(precision - 1) }
        var canonicalNaNBits: UInt64 { infinityBits | 1 << UInt64(precision - 2) }

        static let f32 = Format(precision: 24, minExponent: -126, maxExponent: 127)
        static let f64 = Format(precision: 53, minExponent: -1022, maxExponent: 1023)
    }

    enum Result: Equatable {
        case value(UInt64)
        case outOfRange
        case malformed
    }

    static func parse(_ s: ArraySlice<UInt8>, format: Format) -> Result {
        var i = s.startIndex
        let end = s.endIndex
        guard i < end else { return .malformed }
        var negative = false
        if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            negative = s[i] == UInt8(ascii: "-")
            i += 1
        }
        let sign = negative ? format.signBit : 0
        let body = s[i..<end]
        if body.elementsEqual("inf".utf8) { return .value(sign | format.infinityBits) }
        if body.elementsEqual("nan".utf8) { return .value(sign | format.canonicalNaNBits) }
        if body.starts(with: "nan:0x".utf8) {
            switch IntegerLiteral.digits(s, from: i + 6, to: end, radix: 16) {
            case .none: return .malformed
            case .some(nil): return .outOfRange
            case .some(.some(let payload)):
                guard payload >= 1, payload <= format.payloadMask else { return .outOfRange }
                return .value(sign | format.infinityBits | payload)
            }
        }
        guard let parts = scan(s, from: i, to: end) else { return .malformed }
        guard let magnitude = round(parts, format: format) else { return .outOfRange }
        return .value(sign | magnitude)
    }

    /// The digits and exponent of a finite literal, before rounding.
    struct Parts {
        /// Significant digit values (integer part then fraction), most significant first.
        var digits: [UInt8] = []
        var hexadecimal = false
        /// Digits after the point.
        var fractionDigits = 0
        /// The written exponent (decimal for `e`, binary for `p`), saturated.
        var exponent = 0
    }

    /// Parses `num ('.' frac?)? (e sign? num)?` or its hexadecimal form, without the sign.
    static func scan(_ s: ArraySlice<UInt8>, from start: Int, to end: Int) -> Parts? {
        var parts = Parts()
        var i = start
        if i + 1 < end, s[i] == UInt8(ascii: "0"), s[i + 1] == UInt8(ascii: "x") {
            parts.hexadecimal = true
            i += 2
        }
        let radix: UInt64 = parts.hexadecimal ? 16 : 10
        // Integer part: required.
        guard let afterInteger = digitRun(s, from: i, to: end, radix: radix, into: &parts.digits), afterInteger > i else { return nil }
        i = afterInteger
        if i < end, s[i] == UInt8(ascii: ".") {
            i += 1
            let before = parts.digits.count
            if i < end, IntegerLiteral.digitValue(s[i], radix: radix) != nil {
                guard let afterFraction = digitRun(s, from: i, to: end, radix: radix, into: &parts.digits) else { return nil }
                i = afterFraction
            }
            parts.fractionDigits = parts.digits.count - before
        }
        if i < end {
            let marker = s[i]
            let isExponent = parts.hexadecimal
                ? (marker == UInt8(ascii: "p") || marker == UInt8(ascii: "P"))
                : (marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E"))
            guard isExponent else { return nil }
            i += 1
            var exponentNegative = false
            if i < end, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                exponentNegative = s[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponentDigits: [UInt8] = []
            guard let afterExponent = digitRun(s, from: i, to: end, radix: 10, into: &exponentDigits), afterExponent == end,
                !exponentDigits.isEmpty
            else { return nil }
            var e = 0
            for d in exponentDigits {
                e = min(e * 10 + Int(d), 1_000_000_000)
            }
            parts.exponent = exponentNegative ? -e : e
            i = end
        }
        guard i == end else { return nil }
        return parts
    }

    /// Appends the digits of `digit ('_'? digit)*` starting at `start`; returns the offset
    /// after the run, or nil when an underscore is misplaced.
    private static func digitRun(_ s: ArraySlice<UInt8>, from start: Int, to end: Int, radix: UInt64, into digits: inout [UInt8]) -> Int? {
        var i = start
        var previousWasDigit = false
        while i < end {
            let c = s[i]
            if c == UInt8(ascii: "_") {
                guard previousWasDigit else { return nil }
                previousWasDigit = false
                i += 1
                continue
            }
            guard let d = IntegerLiteral.digitValue(c, radix: radix) else { break }
            digits.append(d)
            previousWasDigit = true
            i += 1
        }
        if i > start && !previousWasDigit { return nil }  // trailing underscore
        return i
    }

    /// Rounds the literal's exact value to the format; nil when it rounds to infinity.
    /// Returns the magnitude's bit pattern (no sign).
    static func round(_ parts: Parts, format: Format) -> UInt64? {
        // The value is mantissa * 10^power10 * 2^power2.
        var digits = parts.digits[...]
        while let first = digits.first, first == 0 { digits.removeFirst() }
        var power10 = 0
        var power2 = 0
        if parts.hexadecimal {
            power2 = parts.exponent - 4 * parts.fractionDigits
        } else {
            // Trailing zeros only make the integers bigger.
            while let last = digits.last, last == 0 {
                digits.removeLast()
                power10 += 1
            }
            power10 += parts.exponent - parts.fractionDigits
        }
        guard !digits.isEmpty else { return 0 }

        // Beyond a few hundred digits only whether the rest is zero matters (no halfway
        // point of f64 has more than 767 significant decimal digits): keep a sticky digit.
        let keep = parts.hexadecimal ? 40 : 800
        if digits.count > keep {
            let dropped = digits.count - keep
            let sticky = digits[(digits.startIndex + keep)...].contains { $0 != 0 }
            var shortened = Array(digits.prefix(keep))
            if sticky { shortened.append(1) }
            let scaled = dropped - (sticky ? 1 : 0)
            if parts.hexadecimal { power2 += 4 * scaled } else { power10 += scaled }
            digits = shortened[...]
        }

        if let exact = fastPath(digits, hexadecimal: parts.hexadecimal, power10: power10, power2: power2, format: format) {
            return exact
        }

        var mantissa = BigUInt()
        for d in digits { mantissa.multiply(by: parts.hexadecimal ? 16 : 10, adding: UInt32(d)) }

        // Cheap range checks first, so that `1e1000000000` costs nothing.
        let estimate = Double(mantissa.bitLength) + Double(power2) + Double(power10) * 3.321928094887362
        if estimate > Double(format.maxExponent + 4) { return nil }
        if estimate < Double(format.minExponent - format.precision - 4) { return 0 }

        var numerator = mantissa
        var denominator = BigUInt(1)
        if power10 > 0 { numerator.multiply(byPowerOfTen: power10) } else { denominator.multiply(byPowerOfTen: -power10) }
        if power2 > 0 { numerator.shiftLeft(by: power2) } else { denominator.shiftLeft(by: -power2) }

        // floor(log2(value)) is e or e - 1; scale so the quotient has precision + 2 or + 3 bits.
        let p = format.precision
        let e = numerator.bitLength - denominator.bitLength
        let shift = e - p - 2
        if shift > 0 { denominator.shiftLeft(by: shift) } else { numerator.shiftLeft(by: -shift) }
        let (quotient, inexact) = BigUInt.divide(numerator, by: denominator, quotientBits: p + 3)
        return finishRounding(quotient: quotient, inexact: inexact, shift: shift, format: format)
    }

    /// Exact shortcuts for the common literals, avoiding big integers:
    /// - a hexadecimal significand that fits in 64 bits (scaling by 2 is exact);
    /// - a short decimal significand with a small power of ten, where one IEEE operation on
    ///   exact operands rounds once, correctly.
    private static func fastPath(_ digits: ArraySlice<UInt8>, hexadecimal: Bool, power10: Int, power2: Int, format: Format) -> UInt64?? {
        if hexadecimal {
            guard digits.count <= 16 else { return nil }
            var m: UInt64 = 0
            for d in digits { m = m << 4 | UInt64(d) }
            let exponent = 63 - m.leadingZeroBitCount + power2
            if exponent > format.maxExponent + 1 { return .some(nil) }
            if exponent < format.minExponent - format.precision - 2 { return .some(0) }
            // Same scaling as the general path: a quotient of precision + 3 bits.
            let shift = exponent - format.precision - 2
            let bitShift = shift - power2  // shift the significand right by this much
            let quotient: UInt64
            let inexact: Bool
            if bitShift >= 0 {
                quotient = bitShift >= 64 ? 0 : m >> UInt64(bitShift)
                inexact = bitShift >= 64 ? m != 0 : m & ((1 << UInt64(bitShift)) - 1) != 0
            } else {
                quotient = m << UInt64(-bitShift)
                inexact = false
            }
            return .some(finishRounding(quotient: quotient, inexact: inexact, shift: shift, format: format))
        }
        guard digits.count <= 15 else { return nil }
        var m: UInt64 = 0
        for d in digits { m = m * 10 + UInt64(d) }
        if format.precision == 53 {
            // m < 10^15 < 2^53 and 10^k for k <= 22 are exact doubles.
            guard power10 >= -22 && power10 <= 22 else { return nil }
            let scale = exactPowerOfTen(abs(power10))
            let value = power10 >= 0 ? Double(m) * scale : Double(m) / scale
            return .some(value.bitPattern)
        }
        if power10 >= 0 {
            // Exact in double (m < 2^53, product below 2^53 checked), then one rounding to f32.
            guard power10 <= 22 else { return nil }
            let value = Double(m) * exactPowerOfTen(power10)
            guard value < 9007199254740992 else { return nil }
            return .some(UInt64(Float(value).bitPattern))
        }
        // m and 10^k (k <= 10) are exact floats: one rounding.
        guard m < 1 << 24 && power10 >= -10 else { return nil }
        let value = Float(m) / Float(exactPowerOfTen(-power10))
        return .some(UInt64(value.bitPattern))
    }

    private static func exactPowerOfTen(_ k: Int) -> Double {
        var result = 1.0
        var i = 0
        while i < k {
            result *= 10
            i += 1
        }
        return result
    }

    /// Rounds `(quotient + fraction) * 2^shift`, where `inexact` says whether the fraction
    /// is non-zero, to the format; nil when it rounds to infinity.
    private static func finishRounding(quotient: UInt64, inexact: Bool, shift: Int, format: Format) -> UInt64? {
        let p = format.precision
        // value = (quotient + fraction) * 2^shift; round to a multiple of 2^ulp.
        let quotientBits = 64 - quotient.leadingZeroBitCount
        let exponent = quotientBits - 1 + shift
        let ulp = max(exponent - (p - 1), format.minExponent - (p - 1))
        let drop = ulp - shift
        guard drop >= 1 else { return nil }  // cannot happen: the quotient has spare bits
        var significand: UInt64
        if drop >= 64 {
            significand = 0  // quotient < 2^57 <= half an ulp: rounds to zero
        } else {
            significand = quotient >> UInt64(drop)
            let remainder = quotient & ((1 << UInt64(drop)) - 1)
            let half: UInt64 = 1 << UInt64(drop - 1)
            if remainder > half || (remainder == half && (inexact || significand & 1 == 1)) {
                significand += 1
            }
        }
        var unit = ulp
        if significand == 1 << UInt64(p) {
            significand >>= 1
            unit += 1
        }
        if significand < 1 << UInt64(p - 1) { return significand }  // subnormal or zero
        let biased = unit + (p - 1) + format.bias
        guard biased < Int(format.exponentFieldMax) else { return nil }
        return UInt64(biased) << UInt64(p - 1) | (significand & format.payloadMask)
    }
}
