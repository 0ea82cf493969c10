/// Vector views of frame slots for the SIMD handlers.
///
/// A v128 occupies two 8-byte slots, lane 0 in the low bits of the first: the same
/// byte order as in memory, so a slot pair can be read as any 16-byte Swift SIMD type with
/// one unaligned load, and LLVM keeps it in a vector register.
///
/// Code generation notes (checked in the -O object code): Swift SIMD operators used on
/// concrete vector types lower to single vector instructions, but the same operators
/// inside a generic function resolve to the stdlib's generic lane loops, and comparisons
/// there stay scalar loops through memory. So the helpers here either are concrete, or
/// only do lane conversions (which LLVM vectorizes). Everything is `@inline(__always)`:
/// a helper left as a call invites LLVM to merge similar handlers into one function that
/// takes the helper as an extra argument, which then cannot tail-call the next handler.

typealias I8x16 = SIMD16<Int8>
typealias U8x16 = SIMD16<UInt8>
typealias I16x8 = SIMD8<Int16>
typealias U16x8 = SIMD8<UInt16>
typealias I32x4 = SIMD4<Int32>
typealias U32x4 = SIMD4<UInt32>
typealias I64x2 = SIMD2<Int64>
typealias U64x2 = SIMD2<UInt64>
typealias F32x4 = SIMD4<Float>
typealias F64x2 = SIMD2<Double>

extension UnsafeMutablePointer where Pointee == UInt64 {
    /// The v128 in slots `i` and `i + 1`, seen as lanes of `V` (a 16-byte SIMD type).
    @inline(__always) func vector<V: SIMD>(_ i: Int, as: V.Type) -> V {
        UnsafeRawPointer(self + i).loadUnaligned(as: V.self)
    }

    /// Writes a 16-byte vector to slots `i` and `i + 1`.
    @inline(__always) func setVector<V: SIMD>(_ i: Int, _ v: V) {
        UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: V.self)
    }
}

/// A lane mask as integer lanes: all ones where true, zero where false.
@inline(__always)
func laneMask<S: SIMD>(_ m: SIMDMask<S>) -> S where S.Scalar: FixedWidthInteger & SignedInteger, S.MaskStorage == S {
    S(repeating: 0).replacing(with: -1, where: m)
}

/// Whether all 128 bits are zero.
@inline(__always)
func isZero<V: SIMD>(_ v: V) -> Bool {
    let halves = unsafeBitCast(v, to: U64x2.self)
    return halves[0] | halves[1] == 0
}

/// Converts each lane: sign- or zero-extends (by the source lane type) or truncates.
@inline(__always)
func convertLanes<S: SIMD, R: SIMD>(_ v: S, to _: R.Type) -> R
where S.Scalar: FixedWidthInteger, R.Scalar: FixedWidthInteger {
    var r = R()
    for i in 0..<R.scalarCount { r[i] = R.Scalar(truncatingIfNeeded: v[i]) }
    return r
}

// Clamping each lane to [lo, hi], for the vector shapes that saturating arithmetic and
// narrowing compute in (concrete, so that the comparisons are vector compares).

@inline(__always)
func clamp(_ v: SIMD16<Int16>, _ lo: Int16, _ hi: Int16) -> SIMD16<Int16> {
    let low = SIMD16<Int16>(repeating: lo), high = SIMD16<Int16>(repeating: hi)
    return v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
}

@inline(__always)
func clamp(_ v: SIMD8<Int16>, _ lo: Int16, _ hi: Int16) -> SIMD8<Int16> {
    let low = SIMD8<Int16>(repeating: lo), high = SIMD8<Int16>(repeating: hi)
    return v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
}

@inline(__always)
func clamp(_ v: SIMD8<Int32>, _ lo: Int32, _ hi: Int32) -> SIMD8<Int32> {
    let low = SIMD8<Int32>(repeating: lo), high = SIMD8<Int32>(repeating: hi)
    return v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
}

@inline(__always)
func clamp(_ v: SIMD4<Int32>, _ lo: Int32, _ hi: Int32) -> SIMD4<Int32> {
    let low = SIMD4<Int32>(repeating: lo), high = SIMD4<Int32>(repeating: hi)
    return v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
}

// The `bitmask` instructions: bit i of the result is the sign bit of lane i. They work on
// the two 64-bit halves; a multiply gathers the sign bits of a half into adjacent bits.

/// The sign bits of the 8 bytes of `x`: bit 0 of each byte holds its sign after the
/// shift and mask, and the multiply moves byte k's bit to bit 56 + k.
@inline(__always)
func byteSignBits(_ x: UInt64) -> UInt32 {
    UInt32(truncatingIfNeeded: (((x &>> 7) & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) &>> 56)
}

/// The sign bits of the 4 16-bit lanes of `x` (the same gathering, by 16-bit steps).
@inline(__always)
func halfwordSignBits(_ x: UInt64) -> UInt32 {
    UInt32(truncatingIfNeeded: (((x &>> 15) & 0x0001_0001_0001_0001) &* 0x0001_0002_0004_0008) &>> 48)
}

@inline(__always)
func signBits8(_ v: U64x2) -> UInt32 { byteSignBits(v[0]) | byteSignBits(v[1]) &<< 8 }

@inline(__always)
func signBits16(_ v: U64x2) -> UInt32 { halfwordSignBits(v[0]) | halfwordSignBits(v[1]) &<< 4 }

@inline(__always)
func signBits32(_ v: U64x2) -> UInt32 {
    let bits = v[0] &>> 31 & 1 | v[0] &>> 62 & 2 | v[1] &>> 29 & 4 | v[1] &>> 60 & 8
    return UInt32(truncatingIfNeeded: bits)
}

@inline(__always)
func signBits64(_ v: U64x2) -> UInt32 {
    UInt32(truncatingIfNeeded: v[0] &>> 63 | v[1] &>> 62 & 2)
}
