/// A minimal arbitrary-precision unsigned integer, enough for exact decimal-to-binary
/// rounding of float literals: multiply by small values, shift, compare, subtract.
///
/// Limbs are 32-bit, least significant first, with no leading zero limbs.
struct BigUInt {
    private(set) var limbs: [UInt32]

    init(_ value: UInt64 = 0) {
        limbs = []
        if value != 0 {
            limbs.append(UInt32(truncatingIfNeeded: value))
            if value >> 32 != 0 { limbs.append(UInt32(truncatingIfNeeded: value >> 32)) }
        }
    }

    var isZero: Bool { limbs.isEmpty }

    /// The number of significant bits (0 for zero).
    var bitLength: Int {
        guard let top = limbs.last else { return 0 }
        return (limbs.count - 1) * 32 + (32 - top.leadingZeroBitCount)
    }

    /// self = self * factor + addend.
    mutating func multiply(by factor: UInt32, adding addend: UInt32 = 0) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(truncatingIfNeeded: carry)) }
        normalize()
    }

    /// self = self * 10^exponent.
    mutating func multiply(byPowerOfTen exponent: Int) {
        var remaining = exponent
        while remaining >= 9 {
            multiply(by: 1_000_000_000)
            remaining -= 9
        }
        var factor: UInt32 = 1
        while remaining > 0 {
            factor *= 10
            remaining -= 1
        }
        if factor != 1 { multiply(by: factor) }
    }

    mutating func shiftLeft(by bits: Int) {
        guard bits > 0, !isZero else { return }
        let limbShift = bits / 32
        let bitShift = bits % 32
        var result = [UInt32](repeating: 0, count: limbShift)
        result.reserveCapacity(limbShift + limbs.count + 1)
        if bitShift == 0 {
            result.append(contentsOf: limbs)
        } else {
            var carry: UInt32 = 0
            for limb in limbs {
                result.append(limb << UInt32(bitShift) | carry)
                carry = limb >> UInt32(32 - bitShift)
            }
            if carry != 0 { result.append(carry) }
        }
        limbs = result
    }

    /// Shifts right by one bit (exact when the low bit is zero).
    mutating func shiftRightOne() {
        var carry: UInt32 = 0
        var i = limbs.count - 1
        while i >= 0 {
            let limb = limbs[i]
            limbs[i] = limb >> 1 | carry << 31
            carry = limb & 1
            i -= 1
        }
        normalize()
    }

    /// self -= other; requires self >= other.
    mutating func subtract(_ other: BigUInt) {
        var borrow: Int64 = 0
        for i in limbs.indices {
            var d = Int64(limbs[i]) - borrow
            if i < other.limbs.count { d -= Int64(other.limbs[i]) }
            if d < 0 {
                d += 1 << 32
                borrow = 1
            } else {
                borrow = 0
            }
            limbs[i] = UInt32(truncatingIfNeeded: d)
        }
        normalize()
    }

    static func compare(_ a: BigUInt, _ b: BigUInt) -> Int {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count ? -1 : 1 }
        var i = a.limbs.count - 1
        while i >= 0 {
            if a.limbs[i] != b.limbs[i] { return a.limbs[i] < b.limbs[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    /// floor(dividend / divisor) when the quotient is known to be below 2^bits (bits <= 64),
    /// and whether the division left a remainder.
    static func divide(_ dividend: BigUInt, by divisor: BigUInt, quotientBits bits: Int) -> (quotient: UInt64, inexact: Bool) {
        var remainder = dividend
        var shifted = divisor
        shifted.shiftLeft(by: bits - 1)
        var quotient: UInt64 = 0
        var bit = bits - 1
        while bit >= 0 {
            if compare(remainder, shifted) >= 0 {
                remainder.subtract(shifted)
                quotient |= 1 << UInt64(bit)
            }
            if bit > 0 { shifted.shiftRightOne() }
            bit -= 1
        }
        return (quotient, !remainder.isZero)
    }
}
