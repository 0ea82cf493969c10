import Swim
import SwimWAT

/// An argument written in a script, as a value.
func value(of v: WastValue) -> Value {
    switch v {
    case .i32(let x): return .i32(x)
    case .i64(let x): return .i64(x)
    case .f32(let x): return .f32(x)
    case .f64(let x): return .f64(x)
    case .v128(let x): return .v128(x)
    case .refNull(let heapType):
        if case .extern = heapType { return .externref(nil) }
        if case .noextern = heapType { return .externref(nil) }
        if case .exn = heapType { return .exnref(nil) }
        if case .noexn = heapType { return .exnref(nil) }
        return .funcref(nil)
    case .refExtern(let n), .refHost(let n): return .externref(UInt64(n))
    }
}

/// nil when `results` match `expected`, else a description of the difference.
func compare(_ results: [Value], _ expected: [WastExpected]) -> String? {
    guard results.count == expected.count else {
        return "expected \(expected.count) results, got \(results.count): \(results)"
    }
    for (i, (r, e)) in zip(results, expected).enumerated() where !matches(r, e) {
        return "result \(i): expected \(e), got \(r)"
    }
    return nil
}

func matches(_ result: Value, _ expected: WastExpected) -> Bool {
    switch expected {
    case .value(let v):
        switch (result, v) {
        case (.i32(let a), .i32(let b)): return a == b
        case (.i64(let a), .i64(let b)): return a == b
        case (.f32(let a), .f32(let b)): return a == b
        case (.f64(let a), .f64(let b)): return a == b
        case (.v128(let a), .v128(let b)): return a == b
        case (.funcref(let f), .refNull): return f == nil
        case (.externref(let r), .refNull): return r == nil
        case (.exnref(let e), .refNull): return e == nil
        case (.externref(let r), .refExtern(let n)), (.externref(let r), .refHost(let n)): return r == UInt64(n)
        default: return false
        }
    case .f32NaN(let pattern):
        guard case .f32(let bits) = result else { return false }
        return isNaN(UInt64(bits), bits: 32, pattern)
    case .f64NaN(let pattern):
        guard case .f64(let bits) = result else { return false }
        return isNaN(bits, bits: 64, pattern)
    case .v128Lanes(let shape, let lanes):
        guard case .v128(let v) = result else { return false }
        for (i, lane) in lanes.enumerated() {
            let actual = laneBits(v, shape: shape, index: i)
            switch lane {
            case .bits(let b): if actual != b { return false }
            case .nan(let pattern): if !isNaN(actual, bits: shape.laneBits, pattern) { return false }
            }
        }
        return true
    case .refFunc:
        if case .funcref(let f) = result { return f != nil }
        return false
    case .refExtern:
        if case .externref(let r) = result { return r != nil }
        return false
    case .refNullAny:
        switch result {
        case .funcref(nil), .externref(nil), .exnref(nil): return true
        default: return false
        }
    case .ref(.exn):
        if case .exnref(let e) = result { return e != nil }
        return false
    case .ref:
        return false
    case .either(let alternatives):
        return alternatives.contains { matches(result, $0) }
    }
}

private func laneBits(_ v: V128, shape: WastLaneShape, index: Int) -> UInt64 {
    let width = shape.laneBits
    let bit = index * width
    let word = bit < 64 ? v.low : v.high
    let shifted = word >> UInt64(bit % 64)
    return width == 64 ? shifted : shifted & ((1 << UInt64(width)) - 1)
}

/// Canonical: exponent all ones, only the quiet bit of the payload set. Arithmetic: the quiet bit set.
private func isNaN(_ value: UInt64, bits: Int, _ pattern: NaNPattern) -> Bool {
    let mantissaBits: UInt64 = bits == 32 ? 23 : 52
    let exponentMask: UInt64 = bits == 32 ? 0xFF : 0x7FF
    let exponent = (value >> mantissaBits) & exponentMask
    let mantissa = value & ((1 << mantissaBits) - 1)
    let quiet: UInt64 = 1 << (mantissaBits - 1)
    guard exponent == exponentMask, mantissa != 0 else { return false }
    switch pattern {
    case .canonical: return mantissa == quiet
    case .arithmetic: return mantissa & quiet != 0
    }
}
