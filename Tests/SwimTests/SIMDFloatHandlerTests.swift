@testable import Swim
import Testing
import SwimTypes

@Suite("SIMD float handlers")
struct SIMDFloatHandlerTests {
    // Slots: the result in 0-1, operands in 2-3, 4-5, 6-7.

    @Test func floatComparisonsTreatNaNAsUnordered() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(.nan, 1, -0.0, 2))
        m.setVector(4, F32x4(.nan, 1, 0, 3))
        try m.run(handler(for: .f32x4Eq), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(0, -1, -1, 0))
        try m.run(handler(for: .f32x4Ne), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(-1, 0, 0, -1))
        try m.run(handler(for: .f32x4Lt), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(0, 0, 0, -1))
        m.setVector(2, F64x2(.nan, 2))
        m.setVector(4, F64x2(1, 2))
        try m.run(handler(for: .f64x2Ge), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(0, -1))
    }

    @Test func floatMinMaxFollowWasmNotIEEE() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(-0.0, 0.0, .nan, 1))
        m.setVector(4, F32x4(0.0, -0.0, 1, .nan))
        try m.run(handler(for: .f32x4Min), operands(0, 2, 4))
        var r = m.vector(0, as: F32x4.self)
        #expect(laneBits(r)[0] == (-0.0 as Float).bitPattern && laneBits(r)[1] == (-0.0 as Float).bitPattern)
        #expect(r[2].isNaN && r[3].isNaN)
        try m.run(handler(for: .f32x4Max), operands(0, 2, 4))
        r = m.vector(0, as: F32x4.self)
        #expect(laneBits(r)[0] == 0 && laneBits(r)[1] == 0)
        #expect(r[2].isNaN && r[3].isNaN)

        // pmin = b < a ? b : a, pmax = a < b ? b : a: no NaN propagation, first operand on ties.
        try m.run(handler(for: .f32x4Pmin), operands(0, 2, 4))
        r = m.vector(0, as: F32x4.self)
        #expect(laneBits(r) == U32x4((-0.0 as Float).bitPattern, 0, Float.nan.bitPattern, Float(1).bitPattern))
        try m.run(handler(for: .f32x4Pmax), operands(0, 2, 4))
        r = m.vector(0, as: F32x4.self)
        #expect(laneBits(r) == U32x4((-0.0 as Float).bitPattern, 0, Float.nan.bitPattern, Float(1).bitPattern))

        m.setVector(2, F64x2(-0.0, .nan))
        m.setVector(4, F64x2(0.0, 5))
        try m.run(handler(for: .f64x2Min), operands(0, 2, 4))
        let d = m.vector(0, as: F64x2.self)
        #expect(laneBits(d)[0] == (-0.0 as Double).bitPattern && d[1].isNaN)
        try m.run(handler(for: .f64x2Pmax), operands(0, 2, 4))
        #expect(laneBits(m.vector(0, as: F64x2.self)) == U64x2((-0.0 as Double).bitPattern, Double.nan.bitPattern))
    }

    @Test func roundingOperators() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(0.5, 1.5, 2.5, -0.5))
        try m.run(handler(for: .f32x4Nearest), operands(0, 2))
        #expect(laneBits(m.vector(0, as: F32x4.self)) == laneBits(F32x4(0, 2, 2, -0.0)))
        m.setVector(2, F32x4(-1.5, 1.2, -0.2, 3.7))
        try m.run(handler(for: .f32x4Ceil), operands(0, 2))
        #expect(laneBits(m.vector(0, as: F32x4.self)) == laneBits(F32x4(-1, 2, -0.0, 4)))
        try m.run(handler(for: .f32x4Floor), operands(0, 2))
        #expect(laneBits(m.vector(0, as: F32x4.self)) == laneBits(F32x4(-2, 1, -1, 3)))
        try m.run(handler(for: .f32x4Trunc), operands(0, 2))
        #expect(laneBits(m.vector(0, as: F32x4.self)) == laneBits(F32x4(-1, 1, -0.0, 3)))
        m.setVector(2, F64x2(-2.5, 4503599627370497.0))
        try m.run(handler(for: .f64x2Nearest), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(-2, 4503599627370497.0))
        m.setVector(2, F64x2(4, -1))
        try m.run(handler(for: .f64x2Sqrt), operands(0, 2))
        let s = m.vector(0, as: F64x2.self)
        #expect(s[0] == 2 && s[1].isNaN)
    }

    @Test func absNegAndSplatKeepNaNPayloads() throws {
        let m = SIMDMachine()
        let signalling: UInt32 = 0x7FA0_0001
        m.setVector(2, U32x4(signalling, 0x8000_0000, 0xFFC0_0000, 0x3F80_0000))
        try m.run(handler(for: .f32x4Abs), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(signalling, 0, 0x7FC0_0000, 0x3F80_0000))
        try m.run(handler(for: .f32x4Neg), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0xFFA0_0001, 0, 0x7FC0_0000, 0xBF80_0000))
        m[4] = UInt64(signalling)
        try m.run(handler(for: .f32x4Splat), operands(0, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(repeating: signalling))
        m[4] = 0xFFF0_0000_0000_0001
        try m.run(handler(for: .f64x2Splat), operands(0, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(repeating: 0xFFF0_0000_0000_0001))
        try m.run(handler(for: .f64x2Neg), operands(0, 0))
        #expect(m.vector(0, as: U64x2.self) == U64x2(repeating: 0x7FF0_0000_0000_0001))
    }

    @Test func saturatingTruncation() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(.nan, 3e9, -3e9, -1.9))
        try m.run(handler(for: .i32x4TruncSatF32x4S), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(0, .max, .min, -1))
        m.setVector(2, F32x4(.nan, 5e9, -0.9, 4294967040))
        try m.run(handler(for: .i32x4TruncSatF32x4U), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, .max, 0, 4294967040))
        m.setVector(2, F64x2(-2147483648.9, 2147483647.9))
        try m.run(handler(for: .i32x4TruncSatF64x2SZero), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(.min, .max, 0, 0))
        m.setVector(2, F64x2(-1, 4294967295.5))
        try m.run(handler(for: .i32x4TruncSatF64x2UZero), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, .max, 0, 0))
    }

    @Test func conversions() throws {
        let m = SIMDMachine()
        m.setVector(2, U32x4(0xFFFF_FFFF, 0x8000_0000, 16_777_217, 1))
        try m.run(handler(for: .f32x4ConvertI32x4U), operands(0, 2))
        #expect(m.vector(0, as: F32x4.self) == F32x4(4294967296, 2147483648, 16777216, 1))
        try m.run(handler(for: .f32x4ConvertI32x4S), operands(0, 2))
        #expect(m.vector(0, as: F32x4.self) == F32x4(-1, -2147483648, 16777216, 1))
        try m.run(handler(for: .f64x2ConvertLowI32x4U), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(4294967295, 2147483648))
        try m.run(handler(for: .f64x2ConvertLowI32x4S), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(-1, -2147483648))

        m.setVector(2, F64x2(1e300, 0.1))
        try m.run(handler(for: .f32x4DemoteF64x2Zero), operands(0, 2))
        #expect(m.vector(0, as: F32x4.self) == F32x4(.infinity, 0.1, 0, 0))
        m.setVector(2, F32x4(0.1, -.infinity, 7, 8))
        try m.run(handler(for: .f64x2PromoteLowF32x4), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(Double(Float(0.1)), -.infinity))
    }
}
