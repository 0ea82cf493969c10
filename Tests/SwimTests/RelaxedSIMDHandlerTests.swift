@testable import Swim
import Testing
import SwimTypes
import SwimWAT

/// Relaxed SIMD runs as the spec's deterministic profile prescribes (docs/relaxed-simd.md): each
/// test feeds the inputs on which the allowed results differ and expects the profile's one.
@Suite("Relaxed SIMD handlers")
struct RelaxedSIMDHandlerTests {
    // Slots: the result in 0-1, operands in 2-3, 4-5, 6-7.

    @Test func operatorsWithAnExistingResultShareItsHandler() throws {
        let shared: [(NumericOp, NumericOp)] = [
            (.i8x16RelaxedSwizzle, .i8x16Swizzle),
            (.i32x4RelaxedTruncF32x4S, .i32x4TruncSatF32x4S), (.i32x4RelaxedTruncF32x4U, .i32x4TruncSatF32x4U),
            (.i32x4RelaxedTruncF64x2SZero, .i32x4TruncSatF64x2SZero),
            (.i32x4RelaxedTruncF64x2UZero, .i32x4TruncSatF64x2UZero),
            (.i8x16RelaxedLaneselect, .v128Bitselect), (.i16x8RelaxedLaneselect, .v128Bitselect),
            (.i32x4RelaxedLaneselect, .v128Bitselect), (.i64x2RelaxedLaneselect, .v128Bitselect),
            (.f32x4RelaxedMin, .f32x4Min), (.f32x4RelaxedMax, .f32x4Max),
            (.f64x2RelaxedMin, .f64x2Min), (.f64x2RelaxedMax, .f64x2Max),
            (.i16x8RelaxedQ15mulrS, .i16x8Q15mulrSatS),
        ]
        for (relaxed, plain) in shared {
            let a = try #require(simdHandler(relaxed)), b = try #require(simdHandler(plain))
            #expect(handlerWord(a) == handlerWord(b), "\(relaxed.name)")
        }
    }

    @Test func swizzleZeroesOutOfRangeLanes() throws {
        let m = SIMDMachine()
        m.setVector(2, U8x16(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25))
        m.setVector(4, U8x16(0, 15, 16, 31, 128, 255, 3, 0x8F, 1, 2, 0, 0, 0, 0, 0, 17))
        try m.run(handler(for: .i8x16RelaxedSwizzle), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(10, 25, 0, 0, 0, 0, 13, 0, 11, 12, 10, 10, 10, 10, 10, 0))
    }

    @Test func truncationSaturatesAndMapsNaNToZero() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(.nan, 3e9, -3e9, -1.9))
        try m.run(handler(for: .i32x4RelaxedTruncF32x4S), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(0, .max, .min, -1))
        m.setVector(2, F32x4(.nan, 5e9, -1.5, 4294967040))
        try m.run(handler(for: .i32x4RelaxedTruncF32x4U), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, .max, 0, 4294967040))
        m.setVector(2, F64x2(-.infinity, 2147483647.9))
        try m.run(handler(for: .i32x4RelaxedTruncF64x2SZero), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(.min, .max, 0, 0))
        m.setVector(2, F64x2(.nan, 1e300))
        try m.run(handler(for: .i32x4RelaxedTruncF64x2UZero), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, .max, 0, 0))
    }

    @Test func multiplyAddRoundsTwice() throws {
        let m = SIMDMachine()
        // x * y rounds to -z, so x * y + z is 0 unfused; fused it would be 2^-37.
        let x: Float = 1 + 0x1p-22, y: Float = 1 + 0x1p-15, z: Float = -(1 + 0x1p-15 + 0x1p-22)
        m.setVector(2, F32x4(x, .greatestFiniteMagnitude, 0, 2))
        m.setVector(4, F32x4(y, 2, 1, 3))
        m.setVector(6, F32x4(z, -.greatestFiniteMagnitude, -0.0, 1))
        try m.run(handler(for: .f32x4RelaxedMadd), operands(0, 2, 4, 6))
        // FLT_MAX * 2 overflows before the sum (fused: FLT_MAX).
        #expect(laneBits(m.vector(0, as: F32x4.self)) == laneBits(F32x4(0, .infinity, 0, 7)))
        // nmadd is madd of -x: the same rounding, and 0 * 1 negated gives -0 + -0 = -0.
        m.setVector(2, F32x4(-x, -.greatestFiniteMagnitude, 0, 2))
        try m.run(handler(for: .f32x4RelaxedNmadd), operands(0, 2, 4, 6))
        #expect(laneBits(m.vector(0, as: F32x4.self)) == laneBits(F32x4(0, .infinity, -0.0, -5)))

        // The same in double precision: the product's 2^-53 is a tie, rounded to even (away).
        let dx: Double = 1 + 0x1p-30, dy: Double = 1 + 0x1p-23, dz: Double = -(1 + 0x1p-23 + 0x1p-30)
        m.setVector(2, F64x2(dx, .greatestFiniteMagnitude))
        m.setVector(4, F64x2(dy, 2))
        m.setVector(6, F64x2(dz, -.greatestFiniteMagnitude))
        try m.run(handler(for: .f64x2RelaxedMadd), operands(0, 2, 4, 6))
        #expect(laneBits(m.vector(0, as: F64x2.self)) == laneBits(F64x2(0, .infinity)))
        m.setVector(2, F64x2(-dx, -.greatestFiniteMagnitude))
        try m.run(handler(for: .f64x2RelaxedNmadd), operands(0, 2, 4, 6))
        #expect(laneBits(m.vector(0, as: F64x2.self)) == laneBits(F64x2(0, .infinity)))
    }

    @Test func laneselectIsBitselect() throws {
        let m = SIMDMachine()
        // Masks that mix set and clear bits select bit by bit; the top bit is not spread.
        m.setVector(2, U32x4(0xAAAA_AAAA, 0xFFFF_FFFF, 0x1234_5678, 0))
        m.setVector(4, U32x4(0x5555_5555, 0, 0x8765_4321, 0xFFFF_FFFF))
        m.setVector(6, U32x4(0x0000_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x7FFF_FFFF))
        for op in [NumericOp.i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect,
                   .i64x2RelaxedLaneselect] {
            try m.run(handler(for: op), operands(0, 2, 4, 6))
            #expect(m.vector(0, as: U32x4.self) == U32x4(0x5555_AAAA, 0x8000_0000, 0x1234_5678, 0x8000_0000), "\(op.name)")
        }
    }

    @Test func minAndMaxAreWasmMinAndMax() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(.nan, 1, -0.0, 0.0))
        m.setVector(4, F32x4(1, .nan, 0.0, -0.0))
        try m.run(handler(for: .f32x4RelaxedMin), operands(0, 2, 4))
        var r = m.vector(0, as: F32x4.self)
        #expect(r[0].isNaN && r[1].isNaN)
        #expect(laneBits(r)[2] == (-0.0 as Float).bitPattern && laneBits(r)[3] == (-0.0 as Float).bitPattern)
        try m.run(handler(for: .f32x4RelaxedMax), operands(0, 2, 4))
        r = m.vector(0, as: F32x4.self)
        #expect(r[0].isNaN && r[1].isNaN && laneBits(r)[2] == 0 && laneBits(r)[3] == 0)
        m.setVector(2, F64x2(-0.0, .nan))
        m.setVector(4, F64x2(0.0, -2))
        try m.run(handler(for: .f64x2RelaxedMin), operands(0, 2, 4))
        var d = m.vector(0, as: F64x2.self)
        #expect(laneBits(d)[0] == (-0.0 as Double).bitPattern && d[1].isNaN)
        try m.run(handler(for: .f64x2RelaxedMax), operands(0, 2, 4))
        d = m.vector(0, as: F64x2.self)
        #expect(laneBits(d)[0] == 0 && d[1].isNaN)
    }

    @Test func q15MultiplySaturates() throws {
        let m = SIMDMachine()
        m.setVector(2, I16x8(-32768, -32767, 32767, 16384, -16384, 0, 1, -1))
        m.setVector(4, I16x8(-32768, -32768, 32767, 16384, 16384, 5, 16384, 16384))
        try m.run(handler(for: .i16x8RelaxedQ15mulrS), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, 32767, 32766, 8192, -8192, 0, 1, 0))
    }

    @Test func dotProductTakesBothOperandsSignedAndSaturates() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(-128, -128, -128, -128, 127, 127, 0, 1, 2, 3, 4, 5, 6, 7, -1, -2))
        // The second operand's top bit counts as a sign even outside the 7-bit range.
        m.setVector(4, I8x16(-128, -128, -127, -127, 127, 127, 0, 1, 2, 3, 4, 5, 6, 7, -128, 1))
        try m.run(handler(for: .i16x8RelaxedDotI8x16I7x16S), operands(0, 2, 4))
        // -128 * -128 twice is 32768: saturated to 32767 (wrapping would give -32768).
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, 32512, 32258, 1, 13, 41, 85, 126))

        m.setVector(6, I32x4(1, -2, 3, .max))
        try m.run(handler(for: .i32x4RelaxedDotI8x16I7x16AddS), operands(0, 2, 4, 6))
        // Pairs of the 16-bit sums above, plus c (wrapping).
        #expect(m.vector(0, as: I32x4.self) == I32x4(65280, 32257, 57, Int32.max &+ 211))
    }
}

@Suite("Relaxed SIMD in modules")
struct RelaxedSIMDModuleTests {
    static let text = """
        (module (func (export "madd") (param f32 f32 f32) (result f32)
          (f32x4.extract_lane 0 (f32x4.relaxed_madd
            (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2))))))
        """

    @Test func runsByDefault() throws {
        let (_, instance) = try instantiate(Self.text)
        let madd = try #require(instance.function("madd"))
        #expect(try madd(Value(Float(2)), Value(Float(3)), Value(Float(1))) == [Value(Float(7))])
        // Unfused, as in the handler tests: FLT_MAX * 2 overflows first.
        let max = Float.greatestFiniteMagnitude
        #expect(try madd(Value(max), Value(Float(2)), Value(-max)) == [Value(Float.infinity)])
    }

    @Test func anEngineWithoutTheFeatureRejectsIt() throws {
        var configuration = Engine.Configuration()
        configuration.features.remove(.relaxedSimd)
        let engine = Engine(configuration: configuration)
        #expect(throws: MalformedError.self) { try Module(engine: engine, bytes: try wat2wasm(Self.text)) }
    }
}
