/// Float and conversion semantics that differ from Swift's own operators.

/// Wasm's `min`: NaN if either operand is NaN, and -0 is smaller than +0.
@inline(__always)
func wasmMin<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b }
    if a == b { return a.sign == .minus ? a : b }
    return a < b ? a : b
}

/// Wasm's `max`: NaN if either operand is NaN, and +0 is larger than -0.
@inline(__always)
func wasmMax<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b }
    if a == b { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

// Saturating truncation: NaN becomes 0, out-of-range values clamp.

@inline(__always)
func truncSatI32S<F: BinaryFloatingPoint>(_ a: F) -> UInt32 {
    if a.isNaN { return 0 }
    if a <= -2147483648.0 { return UInt32(bitPattern: Int32.min) }
    if a >= 2147483648.0 { return UInt32(bitPattern: Int32.max) }
    return UInt32(bitPattern: Int32(a))
}

@inline(__always)
func truncSatI32U<F: BinaryFloatingPoint>(_ a: F) -> UInt32 {
    if a.isNaN || a <= -1.0 { return 0 }
    if a >= 4294967296.0 { return .max }
    return UInt32(a)
}

@inline(__always)
func truncSatI64S<F: BinaryFloatingPoint>(_ a: F) -> UInt64 {
    if a.isNaN { return 0 }
    if a <= -9223372036854775808.0 { return UInt64(bitPattern: Int64.min) }
    if a >= 9223372036854775808.0 { return UInt64(bitPattern: Int64.max) }
    return UInt64(bitPattern: Int64(a))
}

@inline(__always)
func truncSatI64U<F: BinaryFloatingPoint>(_ a: F) -> UInt64 {
    if a.isNaN || a <= -1.0 { return 0 }
    if a >= 18446744073709551616.0 { return .max }
    return UInt64(a)
}
