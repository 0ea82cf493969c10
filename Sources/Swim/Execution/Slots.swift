/// Typed access to frame slots and to immediates.
///
/// Every value lives in 8-byte slots (a v128 takes two). Writers always store the
/// full 64 bits (zero-extended for i32/f32) so that a later 64-bit copy of the slot
/// never waits on a partial store.
extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always) func i32(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: self[i]) }
    @inline(__always) func i64(_ i: Int) -> UInt64 { self[i] }
    @inline(__always) func f32(_ i: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: self[i])) }
    @inline(__always) func f64(_ i: Int) -> Double { Double(bitPattern: self[i]) }

    @inline(__always) func setI32(_ i: Int, _ v: UInt32) { self[i] = UInt64(v) }
    @inline(__always) func setI64(_ i: Int, _ v: UInt64) { self[i] = v }
    @inline(__always) func setF32(_ i: Int, _ v: Float) { self[i] = UInt64(v.bitPattern) }
    @inline(__always) func setF64(_ i: Int, _ v: Double) { self[i] = v.bitPattern }
    @inline(__always) func setBool(_ i: Int, _ v: Bool) { self[i] = v ? 1 : 0 }

    @inline(__always) func v128(_ i: Int) -> SIMD2<UInt64> { SIMD2(self[i], self[i + 1]) }
    @inline(__always) func setV128(_ i: Int, _ v: SIMD2<UInt64>) {
        self[i] = v[0]
        self[i + 1] = v[1]
    }
}

/// The operand fields of an instruction's first immediate word: four 16-bit slot
/// indices (s0 in the low bits), or a slot and a 32-bit immediate in the high half.
/// Each field is loaded straight from memory: one `movzwl` instead of a load, shifts and masks.
struct Operands {
    let base: UnsafeRawPointer

    @inline(__always) init(_ pc: Pc) { base = UnsafeRawPointer(pc + 1) }

    @inline(__always) var s0: Int { Int(base.load(as: UInt16.self)) }
    @inline(__always) var s1: Int { Int(base.load(fromByteOffset: 2, as: UInt16.self)) }
    @inline(__always) var s2: Int { Int(base.load(fromByteOffset: 4, as: UInt16.self)) }
    @inline(__always) var s3: Int { Int(base.load(fromByteOffset: 6, as: UInt16.self)) }
    /// The upper 32 bits (an immediate or a memory offset).
    @inline(__always) var hi32: UInt32 { base.load(fromByteOffset: 4, as: UInt32.self) }
    /// The upper 32 bits as a signed branch offset in words.
    @inline(__always) var offset32: Int { Int(base.load(fromByteOffset: 4, as: Int32.self)) }
    /// The upper 48 bits as a signed branch offset in words.
    @inline(__always) var offset48: Int { Int(base.load(as: Int64.self) &>> 16) }
    /// The whole word.
    @inline(__always) var word: UInt64 { base.load(as: UInt64.self) }
}

/// Packs slot indices (each < 65536) into an operand word.
@inline(__always)
func operands(_ a: Int, _ b: Int = 0, _ c: Int = 0, _ d: Int = 0) -> UInt64 {
    UInt64(truncatingIfNeeded: a) | UInt64(truncatingIfNeeded: b) << 16 | UInt64(truncatingIfNeeded: c) << 32
        | UInt64(truncatingIfNeeded: d) << 48
}
