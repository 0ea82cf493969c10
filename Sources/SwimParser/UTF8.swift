/// Decodes `bytes[range]` as strict UTF-8 (RFC 3629): no overlong forms, no surrogates,
/// nothing above U+10FFFF. Returns nil when the bytes are not well-formed.
func decodeUTF8(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
    guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
    guard isWellFormedUTF8(bytes, range) else { return nil }
    return String(decoding: bytes[range], as: UTF8.self)
}

/// Whether `bytes[range]` is strict UTF-8 (RFC 3629): no overlong forms, no surrogates,
/// nothing above U+10FFFF. `range` must lie within `bytes`.
public func isWellFormedUTF8(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
        let lead = bytes[i]
        if lead < 0x80 {
            i += 1
            continue
        }
        // The length of the sequence and the allowed range of its second byte
        // (the Unicode standard's table 3-7 of well-formed byte sequences).
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: return false
        }
        guard end - i >= length else { return false }
        let second = bytes[i + 1]
        guard second >= secondLow, second <= secondHigh else { return false }
        var k = 2
        while k < length {
            guard bytes[i + k] & 0xC0 == 0x80 else { return false }
            k += 1
        }
        i += length
    }
    return true
}
