/// SIMD operations whose wasm semantics no single Swift operator gives.
/// Concrete types throughout, for the reason given in SIMDSupport.swift.

/// Bits set in each byte.
@inline(__always)
func popcount(_ v: U8x16) -> U8x16 {
    // Bit-slice counting within each byte: pairs, then nibbles, then the byte.
    let pairs = v &- ((v &>> 1) & 0x55)
    let nibbles = (pairs & 0x33) &+ ((pairs &>> 2) & 0x33)
    return (nibbles &+ (nibbles &>> 4)) & 0x0F
}

/// `i8x16.swizzle`: lane i of the result is `a[s[i]]`, or 0 when `s[i]` is 16 or more.
@inline(__always)
func swizzle(_ a: U8x16, _ s: U8x16) -> U8x16 {
    var r = U8x16()
    for i in 0..<16 {
        let index = s[i]
        r[i] = index < 16 ? a[Int(index)] : 0
    }
    return r
}

/// `i8x16.shuffle`: lane i of the result is byte `lanes[i]` of a‖b. The validator
/// guarantees indices below 32; the mask keeps the lookup in range regardless.
@inline(__always)
func shuffleLanes(_ a: U8x16, _ b: U8x16, _ lanes: U8x16) -> U8x16 {
    let ab = SIMD32<UInt8>(lowHalf: a, highHalf: b)
    var r = U8x16()
    for i in 0..<16 { r[i] = ab[Int(lanes[i] & 31)] }
    return r
}

/// `avgr_u`: (a + b + 1) / 2 without overflow, computed in twice the lane width.
@inline(__always)
func roundingAverage(_ a: U8x16, _ b: U8x16) -> U8x16 {
    let sum = convertLanes(a, to: SIMD16<UInt16>.self) &+ convertLanes(b, to: SIMD16<UInt16>.self) &+ 1
    return convertLanes(sum &>> 1, to: U8x16.self)
}

@inline(__always)
func roundingAverage(_ a: U16x8, _ b: U16x8) -> U16x8 {
    let sum = convertLanes(a, to: SIMD8<UInt32>.self) &+ convertLanes(b, to: SIMD8<UInt32>.self) &+ 1
    return convertLanes(sum &>> 1, to: U16x8.self)
}

/// `i16x8.q15mulr_sat_s`: (a * b + 2^14) >> 15, saturated (only -32768 * -32768 overflows).
@inline(__always)
func q15MulRoundSaturate(_ a: I16x8, _ b: I16x8) -> I16x8 {
    let product = convertLanes(a, to: SIMD8<Int32>.self) &* convertLanes(b, to: SIMD8<Int32>.self)
    return convertLanes(clamp((product &+ 0x4000) &>> 15, -32768, 32767), to: I16x8.self)
}

/// `i32x4.dot_i16x8_s`: sums of products of adjacent signed lanes, wrapping.
@inline(__always)
func dotProduct(_ a: I16x8, _ b: I16x8) -> I32x4 {
    let even = convertLanes(a.evenHalf, to: I32x4.self) &* convertLanes(b.evenHalf, to: I32x4.self)
    let odd = convertLanes(a.oddHalf, to: I32x4.self) &* convertLanes(b.oddHalf, to: I32x4.self)
    return even &+ odd
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s` as the deterministic profile defines it: products of
/// adjacent signed lanes, each pair's sum saturated to 16 bits.
@inline(__always)
func relaxedDotProduct(_ a: I8x16, _ b: I8x16) -> I16x8 {
    let even = convertLanes(a.evenHalf, to: SIMD8<Int32>.self) &* convertLanes(b.evenHalf, to: SIMD8<Int32>.self)
    let odd = convertLanes(a.oddHalf, to: SIMD8<Int32>.self) &* convertLanes(b.oddHalf, to: SIMD8<Int32>.self)
    return convertLanes(clamp(even &+ odd, -32768, 32767), to: I16x8.self)
}

// Wasm `min` and `max`: NaN if either lane is NaN (a + b yields a quiet NaN), and -0 is
// smaller than +0. Equal lanes combine their bits, which only matters for ±0: OR keeps
// the minus sign, AND drops it.

@inline(__always)
func wasmMinLanes(_ a: F32x4, _ b: F32x4) -> F32x4 {
    let zeros = unsafeBitCast(unsafeBitCast(a, to: U32x4.self) | unsafeBitCast(b, to: U32x4.self), to: F32x4.self)
    return a.replacing(with: b, where: b .< a).replacing(with: zeros, where: a .== b)
        .replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

@inline(__always)
func wasmMaxLanes(_ a: F32x4, _ b: F32x4) -> F32x4 {
    let zeros = unsafeBitCast(unsafeBitCast(a, to: U32x4.self) & unsafeBitCast(b, to: U32x4.self), to: F32x4.self)
    return a.replacing(with: b, where: a .< b).replacing(with: zeros, where: a .== b)
        .replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

@inline(__always)
func wasmMinLanes(_ a: F64x2, _ b: F64x2) -> F64x2 {
    let zeros = unsafeBitCast(unsafeBitCast(a, to: U64x2.self) | unsafeBitCast(b, to: U64x2.self), to: F64x2.self)
    return a.replacing(with: b, where: b .< a).replacing(with: zeros, where: a .== b)
        .replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

@inline(__always)
func wasmMaxLanes(_ a: F64x2, _ b: F64x2) -> F64x2 {
    let zeros = unsafeBitCast(unsafeBitCast(a, to: U64x2.self) & unsafeBitCast(b, to: U64x2.self), to: F64x2.self)
    return a.replacing(with: b, where: a .< b).replacing(with: zeros, where: a .== b)
        .replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

/// `i32x4.trunc_sat_f32x4_s/u`.
@inline(__always)
func truncateSaturating(_ a: F32x4, signed: Bool) -> U32x4 {
    var r = U32x4()
    for i in 0..<4 {
        r[i] = signed ? truncSatI32S(a[i]) : truncSatI32U(a[i])
    }
    return r
}

/// `i32x4.trunc_sat_f64x2_s/u_zero`: the two results in the low lanes, zeros above.
@inline(__always)
func truncateSaturatingZero(_ a: F64x2, signed: Bool) -> U32x4 {
    signed
        ? U32x4(truncSatI32S(a[0]), truncSatI32S(a[1]), 0, 0)
        : U32x4(truncSatI32U(a[0]), truncSatI32U(a[1]), 0, 0)
}
