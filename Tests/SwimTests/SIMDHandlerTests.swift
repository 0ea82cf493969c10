@testable import Swim
import Testing
import WasmTypes

/// Runs one SIMD handler at a time on a hand-built code buffer: [handler][operand words][halt].
private final class SIMDMachine {
    static let frameSlots = 32
    let store = StoreStorage(engine: Engine())
    let frame = UnsafeMutablePointer<UInt64>.allocate(capacity: SIMDMachine.frameSlots)
    let memorySize: UInt64
    let memory: UnsafeMutableRawPointer
    let interruptFlag = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    init(memorySize: Int = 64) {
        self.memorySize = UInt64(memorySize)
        memory = UnsafeMutableRawPointer.allocate(byteCount: memorySize, alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: memorySize)
        frame.initialize(repeating: 0, count: SIMDMachine.frameSlots)
        interruptFlag.initialize(to: 0)
    }

    deinit {
        frame.deallocate()
        memory.deallocate()
        interruptFlag.deallocate()
    }

    subscript(slot: Int) -> UInt64 {
        get { frame[slot] }
        set { frame[slot] = newValue }
    }

    func vector<V: SIMD>(_ slot: Int, as type: V.Type) -> V { frame.vector(slot, as: type) }
    func setVector<V: SIMD>(_ slot: Int, _ v: V) { frame.setVector(slot, v) }

    func bytes(at offset: Int, count: Int) -> [UInt8] {
        (0..<count).map { memory.load(fromByteOffset: offset + $0, as: UInt8.self) }
    }

    /// Executes the handler once; returns the trap it raised (`.none` if it completed).
    /// Also checks that it continued right after its own words.
    @discardableResult
    func run(_ handler: Handler?, _ words: UInt64...) throws -> TrapReason {
        let handler = try #require(handler)
        let code = UnsafeMutablePointer<UInt64>.allocate(capacity: words.count + 2)
        defer { code.deallocate() }
        code[0] = handlerWord(handler)
        for (i, w) in words.enumerated() { code[i + 1] = w }
        let halt: Handler = { h_halt($0, $1, $2, $3, $4) }
        code[words.count + 1] = handlerWord(halt)
        var context = ExecutionContext(
            fp: frame, mem: memory, memorySize: memorySize, stackLimit: frame + SIMDMachine.frameSlots,
            interruptRequested: interruptFlag, store: Unmanaged.passUnretained(store))
        let after = withUnsafeMutablePointer(to: &context) { ctx in
            handler(UnsafePointer(code), frame, memory, memorySize, ctx)
        }
        // Debug builds return to the trampoline with the next pc; optimized ones run on to `halt`.
        if let after { #expect(after == UnsafePointer(code + words.count + 1)) }
        return context.trap
    }
}

private func simd(_ op: NumericOp) -> Handler? { simdHandler(op) }

/// Float lanes compared by bit pattern (NaN payloads and the sign of zero matter).
private func bits(_ v: F32x4) -> U32x4 { U32x4(v[0].bitPattern, v[1].bitPattern, v[2].bitPattern, v[3].bitPattern) }
private func bits(_ v: F64x2) -> U64x2 { U64x2(v[0].bitPattern, v[1].bitPattern) }

@Suite("SIMD handlers")
struct SIMDHandlerTests {
    // Slots: the result in 0-1, operands in 2-3, 4-5, 6-7.

    @Test func everySIMDOperatorHasAHandler() {
        for op in NumericOp.allCases {
            let isSIMD = op.rawValue >= 0xFD0000
            #expect((simdHandler(op) != nil) == isSIMD, "\(op.name)")
        }
        for op in MemoryOp.allCases {
            #expect((simdMemoryHandler(op) != nil) == (op.rawValue >= 0xFD0000), "\(op.name)")
        }
    }

    @Test func integerArithmeticWrapsAndSaturates() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(127, -128, 100, -100, 1, 0, -1, 50, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(4, I8x16(1, -1, 100, -100, -1, 0, -1, -60, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16Add), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-128, 127, -56, 56, 0, 0, -2, -10, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16AddSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(127, -128, 127, -128, 0, 0, -2, -10, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16SubSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(126, -127, 0, 0, 2, 0, 0, 110, 0, 0, 0, 0, 0, 0, 0, 0))

        m.setVector(2, U8x16(250, 3, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(4, U8x16(10, 5, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16AddSatU), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(255, 8, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16SubSatU), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(240, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

        m.setVector(2, I16x8(32767, -32768, 1000, 7, 0, 0, 0, 0))
        m.setVector(4, I16x8(2, -2, 1000, -7, 0, 0, 0, 0))
        try m.run(simd(.i16x8Mul), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(-2, 0, 16960, -49, 0, 0, 0, 0))
        try m.run(simd(.i16x8AddSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, -32768, 2000, 0, 0, 0, 0, 0))

        m.setVector(2, I64x2(.max, 3))
        m.setVector(4, I64x2(.max, -5))
        try m.run(simd(.i64x2Mul), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(1, -15))
    }

    @Test func resultMayOverwriteAnOperand() throws {
        let m = SIMDMachine()
        m.setVector(2, I32x4(1, 2, 3, 4))
        m.setVector(4, I32x4(10, 20, 30, 40))
        try m.run(simd(.i32x4Add), operands(2, 2, 4))
        #expect(m.vector(2, as: I32x4.self) == I32x4(11, 22, 33, 44))
        try m.run(simd(.i32x4Sub), operands(4, 2, 4))
        #expect(m.vector(4, as: I32x4.self) == I32x4(1, 2, 3, 4))
    }

    @Test func absAndNegWrapAtTheMinimum() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(-128, -1, 5, 0, 127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16Abs), operands(0, 2))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-128, 1, 5, 0, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16Neg), operands(0, 2))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-128, 1, -5, 0, -127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(2, I64x2(.min, -9))
        try m.run(simd(.i64x2Abs), operands(0, 2))
        #expect(m.vector(0, as: I64x2.self) == I64x2(.min, 9))
    }

    @Test func shiftCountsAreMaskedByLaneWidth() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(1, -128, 64, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m[4] = 9  // 9 mod 8 = 1
        try m.run(simd(.i8x16Shl), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(2, 0, -128, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16ShrS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(0, -64, 32, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16ShrU), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(0, 64, 32, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

        m.setVector(2, I32x4(-16, 16, Int32.min, 1))
        m[4] = 0xFFFF_FFE2  // -30: mod 32 = 2
        try m.run(simd(.i32x4ShrS), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(-4, 4, -536_870_912, 0))
        m.setVector(2, U64x2(0x8000_0000_0000_0001, 3))
        m[4] = 64  // 64 mod 64 = 0
        try m.run(simd(.i64x2ShrU), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0x8000_0000_0000_0001, 3))
        m[4] = 65
        try m.run(simd(.i64x2Shl), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(2, 6))
    }

    @Test func integerComparisonsAreSignedOrUnsigned() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(-1, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(4, I8x16(1, -1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))
        try m.run(simd(.i8x16LtS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1))
        try m.run(simd(.i8x16LtU), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1))
        try m.run(simd(.i8x16GeU), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0))

        m.setVector(2, I64x2(-1, 7))
        m.setVector(4, I64x2(1, 7))
        try m.run(simd(.i64x2LtS), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(-1, 0))
        try m.run(simd(.i64x2Ne), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(-1, 0))

        m.setVector(2, U32x4(0xFFFF_FFFF, 0, 3, 9))
        m.setVector(4, U32x4(0, 0xFFFF_FFFF, 3, 8))
        try m.run(simd(.i32x4MinU), operands(0, 2, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, 0, 3, 8))
        try m.run(simd(.i32x4MaxS), operands(0, 2, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, 0, 3, 9))
    }

    @Test func floatComparisonsTreatNaNAsUnordered() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(.nan, 1, -0.0, 2))
        m.setVector(4, F32x4(.nan, 1, 0, 3))
        try m.run(simd(.f32x4Eq), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(0, -1, -1, 0))
        try m.run(simd(.f32x4Ne), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(-1, 0, 0, -1))
        try m.run(simd(.f32x4Lt), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(0, 0, 0, -1))
        m.setVector(2, F64x2(.nan, 2))
        m.setVector(4, F64x2(1, 2))
        try m.run(simd(.f64x2Ge), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(0, -1))
    }

    @Test func floatMinMaxFollowWasmNotIEEE() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(-0.0, 0.0, .nan, 1))
        m.setVector(4, F32x4(0.0, -0.0, 1, .nan))
        try m.run(simd(.f32x4Min), operands(0, 2, 4))
        var r = m.vector(0, as: F32x4.self)
        #expect(bits(r)[0] == (-0.0 as Float).bitPattern && bits(r)[1] == (-0.0 as Float).bitPattern)
        #expect(r[2].isNaN && r[3].isNaN)
        try m.run(simd(.f32x4Max), operands(0, 2, 4))
        r = m.vector(0, as: F32x4.self)
        #expect(bits(r)[0] == 0 && bits(r)[1] == 0)
        #expect(r[2].isNaN && r[3].isNaN)

        // pmin = b < a ? b : a, pmax = a < b ? b : a: no NaN propagation, first operand on ties.
        try m.run(simd(.f32x4Pmin), operands(0, 2, 4))
        r = m.vector(0, as: F32x4.self)
        #expect(bits(r) == U32x4((-0.0 as Float).bitPattern, 0, Float.nan.bitPattern, Float(1).bitPattern))
        try m.run(simd(.f32x4Pmax), operands(0, 2, 4))
        r = m.vector(0, as: F32x4.self)
        #expect(bits(r) == U32x4((-0.0 as Float).bitPattern, 0, Float.nan.bitPattern, Float(1).bitPattern))

        m.setVector(2, F64x2(-0.0, .nan))
        m.setVector(4, F64x2(0.0, 5))
        try m.run(simd(.f64x2Min), operands(0, 2, 4))
        let d = m.vector(0, as: F64x2.self)
        #expect(bits(d)[0] == (-0.0 as Double).bitPattern && d[1].isNaN)
        try m.run(simd(.f64x2Pmax), operands(0, 2, 4))
        #expect(bits(m.vector(0, as: F64x2.self)) == U64x2((-0.0 as Double).bitPattern, Double.nan.bitPattern))
    }

    @Test func roundingOperators() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(0.5, 1.5, 2.5, -0.5))
        try m.run(simd(.f32x4Nearest), operands(0, 2))
        #expect(bits(m.vector(0, as: F32x4.self)) == bits(F32x4(0, 2, 2, -0.0)))
        m.setVector(2, F32x4(-1.5, 1.2, -0.2, 3.7))
        try m.run(simd(.f32x4Ceil), operands(0, 2))
        #expect(bits(m.vector(0, as: F32x4.self)) == bits(F32x4(-1, 2, -0.0, 4)))
        try m.run(simd(.f32x4Floor), operands(0, 2))
        #expect(bits(m.vector(0, as: F32x4.self)) == bits(F32x4(-2, 1, -1, 3)))
        try m.run(simd(.f32x4Trunc), operands(0, 2))
        #expect(bits(m.vector(0, as: F32x4.self)) == bits(F32x4(-1, 1, -0.0, 3)))
        m.setVector(2, F64x2(-2.5, 4503599627370497.0))
        try m.run(simd(.f64x2Nearest), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(-2, 4503599627370497.0))
        m.setVector(2, F64x2(4, -1))
        try m.run(simd(.f64x2Sqrt), operands(0, 2))
        let s = m.vector(0, as: F64x2.self)
        #expect(s[0] == 2 && s[1].isNaN)
    }

    @Test func absNegAndSplatKeepNaNPayloads() throws {
        let m = SIMDMachine()
        let signalling: UInt32 = 0x7FA0_0001
        m.setVector(2, U32x4(signalling, 0x8000_0000, 0xFFC0_0000, 0x3F80_0000))
        try m.run(simd(.f32x4Abs), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(signalling, 0, 0x7FC0_0000, 0x3F80_0000))
        try m.run(simd(.f32x4Neg), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0xFFA0_0001, 0, 0x7FC0_0000, 0xBF80_0000))
        m[4] = UInt64(signalling)
        try m.run(simd(.f32x4Splat), operands(0, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(repeating: signalling))
        m[4] = 0xFFF0_0000_0000_0001
        try m.run(simd(.f64x2Splat), operands(0, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(repeating: 0xFFF0_0000_0000_0001))
        try m.run(simd(.f64x2Neg), operands(0, 0))
        #expect(m.vector(0, as: U64x2.self) == U64x2(repeating: 0x7FF0_0000_0000_0001))
    }

    @Test func splatsTruncateTheScalar() throws {
        let m = SIMDMachine()
        m[4] = 0x1234_5678
        try m.run(simd(.i8x16Splat), operands(0, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(repeating: 0x78))
        try m.run(simd(.i16x8Splat), operands(0, 4))
        #expect(m.vector(0, as: U16x8.self) == U16x8(repeating: 0x5678))
        try m.run(simd(.i32x4Splat), operands(0, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(repeating: 0x1234_5678))
        m[4] = 0xDEAD_BEEF_0BAD_F00D
        try m.run(simd(.i64x2Splat), operands(0, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(repeating: 0xDEAD_BEEF_0BAD_F00D))
    }

    @Test func saturatingTruncation() throws {
        let m = SIMDMachine()
        m.setVector(2, F32x4(.nan, 3e9, -3e9, -1.9))
        try m.run(simd(.i32x4TruncSatF32x4S), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(0, .max, .min, -1))
        m.setVector(2, F32x4(.nan, 5e9, -0.9, 4294967040))
        try m.run(simd(.i32x4TruncSatF32x4U), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, .max, 0, 4294967040))
        m.setVector(2, F64x2(-2147483648.9, 2147483647.9))
        try m.run(simd(.i32x4TruncSatF64x2SZero), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(.min, .max, 0, 0))
        m.setVector(2, F64x2(-1, 4294967295.5))
        try m.run(simd(.i32x4TruncSatF64x2UZero), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, .max, 0, 0))
    }

    @Test func conversions() throws {
        let m = SIMDMachine()
        m.setVector(2, U32x4(0xFFFF_FFFF, 0x8000_0000, 16_777_217, 1))
        try m.run(simd(.f32x4ConvertI32x4U), operands(0, 2))
        #expect(m.vector(0, as: F32x4.self) == F32x4(4294967296, 2147483648, 16777216, 1))
        try m.run(simd(.f32x4ConvertI32x4S), operands(0, 2))
        #expect(m.vector(0, as: F32x4.self) == F32x4(-1, -2147483648, 16777216, 1))
        try m.run(simd(.f64x2ConvertLowI32x4U), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(4294967295, 2147483648))
        try m.run(simd(.f64x2ConvertLowI32x4S), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(-1, -2147483648))

        m.setVector(2, F64x2(1e300, 0.1))
        try m.run(simd(.f32x4DemoteF64x2Zero), operands(0, 2))
        #expect(m.vector(0, as: F32x4.self) == F32x4(.infinity, 0.1, 0, 0))
        m.setVector(2, F32x4(0.1, -.infinity, 7, 8))
        try m.run(simd(.f64x2PromoteLowF32x4), operands(0, 2))
        #expect(m.vector(0, as: F64x2.self) == F64x2(Double(Float(0.1)), -.infinity))
    }

    @Test func narrowingSaturates() throws {
        let m = SIMDMachine()
        m.setVector(2, I16x8(300, -300, 127, -128, 255, -1, 0, 128))
        m.setVector(4, I16x8(1, 2, 3, 4, 5, 6, 7, -32768))
        try m.run(simd(.i8x16NarrowI16x8S), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(127, -128, 127, -128, 127, -1, 0, 127, 1, 2, 3, 4, 5, 6, 7, -128))
        try m.run(simd(.i8x16NarrowI16x8U), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(255, 0, 127, 0, 255, 0, 0, 128, 1, 2, 3, 4, 5, 6, 7, 0))
        m.setVector(2, I32x4(70000, -70000, 65535, -1))
        m.setVector(4, I32x4(32768, -32769, 5, 0))
        try m.run(simd(.i16x8NarrowI32x4S), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, -32768, 32767, -1, 32767, -32768, 5, 0))
        try m.run(simd(.i16x8NarrowI32x4U), operands(0, 2, 4))
        #expect(m.vector(0, as: U16x8.self) == U16x8(65535, 0, 65535, 0, 32768, 0, 5, 0))
    }

    @Test func extendingOperators() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(-1, 2, -3, 4, -5, 6, -7, 8, -128, 127, 0, 1, -2, 3, -4, 5))
        try m.run(simd(.i16x8ExtendLowI8x16S), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(-1, 2, -3, 4, -5, 6, -7, 8))
        try m.run(simd(.i16x8ExtendHighI8x16U), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(128, 127, 0, 1, 254, 3, 252, 5))
        try m.run(simd(.i16x8ExtaddPairwiseI8x16S), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(1, 1, 1, 1, -1, 1, 1, 1))
        try m.run(simd(.i16x8ExtaddPairwiseI8x16U), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(257, 257, 257, 257, 255, 1, 257, 257))

        m.setVector(2, I32x4(-2, 3, .max, .min))
        m.setVector(4, I32x4(5, -7, .max, .min))
        try m.run(simd(.i64x2ExtmulLowI32x4S), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(-10, -21))
        try m.run(simd(.i64x2ExtmulHighI32x4S), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(4_611_686_014_132_420_609, 4_611_686_018_427_387_904))
        try m.run(simd(.i64x2ExtmulHighI32x4U), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(4_611_686_014_132_420_609, 4_611_686_018_427_387_904))
        try m.run(simd(.i64x2ExtendLowI32x4U), operands(0, 2))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xFFFF_FFFE, 3))

        m.setVector(2, U16x8(65535, 65535, 1, 2, 0, 0, 0, 0))
        try m.run(simd(.i32x4ExtaddPairwiseI16x8U), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(131070, 3, 0, 0))
        try m.run(simd(.i32x4ExtaddPairwiseI16x8S), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(-2, 3, 0, 0))
    }

    @Test func q15DotAndAverage() throws {
        let m = SIMDMachine()
        m.setVector(2, I16x8(-32768, 16384, 3, -3, 32767, 1, 0, -32768))
        m.setVector(4, I16x8(-32768, 16384, 16384, 16384, 32767, 1, 0, 32767))
        try m.run(simd(.i16x8Q15mulrSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, 8192, 2, -1, 32766, 0, 0, -32767))
        try m.run(simd(.i32x4DotI16x8S), operands(0, 2, 4))
        // (-32768)^2 * 2 wraps to Int32.min.
        m.setVector(2, I16x8(-32768, -32768, 1, 2, 3, 4, 0, 0))
        m.setVector(4, I16x8(-32768, -32768, 5, 6, -7, 8, 0, 0))
        try m.run(simd(.i32x4DotI16x8S), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(.min, 17, 11, 0))

        m.setVector(2, U8x16(255, 0, 1, 1, 254, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(4, U8x16(255, 0, 2, 1, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i8x16AvgrU), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(255, 0, 2, 1, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(2, U16x8(65535, 3, 0, 0, 0, 0, 0, 0))
        m.setVector(4, U16x8(65534, 4, 0, 0, 0, 0, 0, 0))
        try m.run(simd(.i16x8AvgrU), operands(0, 2, 4))
        #expect(m.vector(0, as: U16x8.self) == U16x8(65535, 4, 0, 0, 0, 0, 0, 0))
    }

    @Test func popcountAndBooleanReductions() throws {
        let m = SIMDMachine()
        m.setVector(2, U8x16(0, 1, 3, 255, 128, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7))
        try m.run(simd(.i8x16Popcnt), operands(0, 2))
        #expect(m.vector(0, as: U8x16.self) == U8x16(0, 1, 2, 8, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3))

        m[0] = 0xFFFF_FFFF_FFFF_FFFF  // the i32 result must overwrite all 64 bits
        try m.run(simd(.v128AnyTrue), operands(0, 2))
        #expect(m[0] == 1)
        try m.run(simd(.i8x16AllTrue), operands(0, 2))
        #expect(m[0] == 0)
        m.setVector(2, U64x2(0, 0))
        try m.run(simd(.v128AnyTrue), operands(0, 2))
        #expect(m[0] == 0)
        m.setVector(2, U64x2(0, 1 << 63))
        try m.run(simd(.v128AnyTrue), operands(0, 2))
        #expect(m[0] == 1)
        m.setVector(2, I32x4(1, -1, 0x100, Int32.min))
        try m.run(simd(.i32x4AllTrue), operands(0, 2))
        #expect(m[0] == 1)
        try m.run(simd(.i16x8AllTrue), operands(0, 2))
        #expect(m[0] == 0)

        try m.run(simd(.i32x4Bitmask), operands(0, 2))
        #expect(m[0] == 0b1010)
        try m.run(simd(.i8x16Bitmask), operands(0, 2))
        #expect(m[0] == 0b1000_0000_1111_0000)
        m.setVector(2, I64x2(-1, -1))
        try m.run(simd(.i64x2Bitmask), operands(0, 2))
        #expect(m[0] == 0b11)
        try m.run(simd(.i16x8Bitmask), operands(0, 2))
        #expect(m[0] == 0xFF)
    }

    @Test func bitwiseOperators() throws {
        let m = SIMDMachine()
        m.setVector(2, U64x2(0xFF00_FF00_FF00_FF00, 0x1234))
        m.setVector(4, U64x2(0x0F0F_0F0F_0F0F_0F0F, 0xFFFF))
        m.setVector(6, U64x2(0xFFFF_0000_FFFF_0000, 0xF0F0))
        try m.run(simd(.v128Bitselect), operands(0, 2, 4, 6))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xFF00_0F0F_FF00_0F0F, 0x1F3F))
        try m.run(simd(.v128Andnot), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xF000_F000_F000_F000, 0))
        try m.run(simd(.v128Not), operands(0, 2))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0x00FF_00FF_00FF_00FF, ~0x1234))
        try m.run(simd(.v128Xor), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xF00F_F00F_F00F_F00F, 0xEDCB))
    }

    @Test func swizzleAndShuffle() throws {
        let m = SIMDMachine()
        let a = U8x16(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25)
        let b = U8x16(30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45)
        m.setVector(2, a)
        m.setVector(4, U8x16(15, 0, 16, 255, 128, 1, 2, 3, 17, 4, 4, 4, 14, 13, 12, 31))
        try m.run(simd(.i8x16Swizzle), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(25, 10, 0, 0, 0, 11, 12, 13, 0, 14, 14, 14, 24, 23, 22, 0))

        m.setVector(4, b)
        let lanes: [UInt8] = [0, 31, 16, 15, 1, 17, 2, 18, 3, 19, 30, 29, 5, 5, 20, 4]
        let low = lanes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        let high = lanes[8..<16].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        let shuffle: Handler = { h_i8x16Shuffle($0, $1, $2, $3, $4) }
        try m.run(shuffle, operands(2, 2, 4), low, high)  // the result replaces operand a
        #expect(m.vector(2, as: U8x16.self) == U8x16(10, 45, 30, 25, 11, 31, 12, 32, 13, 33, 44, 43, 15, 15, 34, 14))
    }

    @Test func laneExtractionAndReplacement() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, -3))
        m[0] = 0xFFFF_FFFF_FFFF_FFFF
        try m.run(laneHandler(.i8x16ExtractLaneS), operands(0, 2, 15))
        #expect(m[0] == 0xFFFF_FFFD)
        try m.run(laneHandler(.i8x16ExtractLaneU), operands(0, 2, 15))
        #expect(m[0] == 0xFD)
        m.setVector(2, I16x8(0, 1, 2, 3, 4, 5, -2, 7))
        try m.run(laneHandler(.i16x8ExtractLaneS), operands(0, 2, 6))
        #expect(m[0] == 0xFFFF_FFFE)
        try m.run(laneHandler(.i16x8ExtractLaneU), operands(0, 2, 6))
        #expect(m[0] == 0xFFFE)
        m.setVector(2, U32x4(0x7FA0_0001, 2, 3, 0x8000_0000))
        try m.run(laneHandler(.f32x4ExtractLane), operands(0, 2, 0))
        #expect(m[0] == 0x7FA0_0001)
        try m.run(laneHandler(.i32x4ExtractLane), operands(0, 2, 3))
        #expect(m[0] == 0x8000_0000)
        m.setVector(2, U64x2(5, 0xFFF0_0000_0000_0001))
        try m.run(laneHandler(.f64x2ExtractLane), operands(0, 2, 1))
        #expect(m[0] == 0xFFF0_0000_0000_0001)

        m.setVector(2, U8x16(repeating: 1))
        m[6] = 0x1FF
        try m.run(laneHandler(.i8x16ReplaceLane), operands(0, 2, 6, 9))
        var expected = U8x16(repeating: 1)
        expected[9] = 0xFF
        #expect(m.vector(0, as: U8x16.self) == expected)
        m[6] = 0x7FA0_0001
        try m.run(laneHandler(.f32x4ReplaceLane), operands(2, 2, 6, 2))  // in place
        #expect(m.vector(2, as: U32x4.self) == U32x4(0x0101_0101, 0x0101_0101, 0x7FA0_0001, 0x0101_0101))
        m[6] = 0xDEAD_BEEF_0000_0001
        try m.run(laneHandler(.i64x2ReplaceLane), operands(0, 2, 6, 1))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0x0101_0101_0101_0101, 0xDEAD_BEEF_0000_0001))
        m[6] = 0xABCD_1234
        try m.run(laneHandler(.i16x8ReplaceLane), operands(0, 2, 6, 0))
        #expect(m.vector(0, as: U16x8.self)[0] == 0x1234)
    }

    @Test func vectorLoadsAndStores() throws {
        let m = SIMDMachine(memorySize: 64)
        for i in 0..<64 { m.memory.storeBytes(of: UInt8(truncatingIfNeeded: 0xF0 &+ i), toByteOffset: i, as: UInt8.self) }
        m[4] = 8  // the address
        try m.run(simdMemoryHandler(.v128Load), operands(0, 4) | UInt64(2) << 32)
        #expect(m.vector(0, as: U8x16.self) == U8x16(0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9))
        try m.run(simdMemoryHandler(.v128Load8x8S), operands(0, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(-8, -7, -6, -5, -4, -3, -2, -1))
        try m.run(simdMemoryHandler(.v128Load8x8U), operands(0, 4))
        #expect(m.vector(0, as: U16x8.self) == U16x8(0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF))
        try m.run(simdMemoryHandler(.v128Load16x4S), operands(0, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(-1544, -1030, -516, -2))
        try m.run(simdMemoryHandler(.v128Load32x2U), operands(0, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xFBFA_F9F8, 0xFFFE_FDFC))
        try m.run(simdMemoryHandler(.v128Load16Splat), operands(0, 4) | UInt64(1) << 32)
        #expect(m.vector(0, as: U16x8.self) == U16x8(repeating: 0xFAF9))
        try m.run(simdMemoryHandler(.v128Load32Zero), operands(0, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0xFBFA_F9F8, 0, 0, 0))
        try m.run(simdMemoryHandler(.v128Load64Zero), operands(0, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xFFFE_FDFC_FBFA_F9F8, 0))
        try m.run(simdMemoryHandler(.v128Load8Splat), operands(0, 4) | UInt64(55) << 32)
        #expect(m.vector(0, as: U8x16.self) == U8x16(repeating: 0x2F))

        m.setVector(2, U8x16(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16))
        m[4] = 40
        try m.run(simdMemoryHandler(.v128Store), operands(2, 4) | UInt64(8) << 32)  // ends exactly at 64
        #expect(m.bytes(at: 48, count: 16) == Array(1...16))

        // Bounds: the access must fit entirely below the memory size.
        m[4] = 49
        #expect(try m.run(simdMemoryHandler(.v128Load), operands(0, 4)) == .outOfBoundsMemoryAccess)
        #expect(try m.run(simdMemoryHandler(.v128Store), operands(2, 4)) == .outOfBoundsMemoryAccess)
        #expect(try m.run(simdMemoryHandler(.v128Load8x8S), operands(0, 4) | UInt64(8) << 32) == .outOfBoundsMemoryAccess)
        #expect(try m.run(simdMemoryHandler(.v128Load64Splat), operands(0, 4) | UInt64(8) << 32) == .outOfBoundsMemoryAccess)
        #expect(try m.run(simdMemoryHandler(.v128Load32Zero), operands(0, 4) | UInt64(11) << 32) == .none)
        m[4] = 0xFFFF_FFFF
        #expect(try m.run(simdMemoryHandler(.v128Load), operands(0, 4) | UInt64(0xFFFF_FFFF) << 32) == .outOfBoundsMemoryAccess)
    }

    @Test func singleLaneLoadsAndStores() throws {
        let m = SIMDMachine(memorySize: 32)
        for i in 0..<32 { m.memory.storeBytes(of: UInt8(i), toByteOffset: i, as: UInt8.self) }
        m.setVector(2, U64x2(0xAAAA_AAAA_AAAA_AAAA, 0xBBBB_BBBB_BBBB_BBBB))
        m[4] = 4  // the address
        try m.run(memoryLaneHandler(.v128Load16Lane), operands(0, 4, 2, 5), 2)
        #expect(m.vector(0, as: U16x8.self) == U16x8(0xAAAA, 0xAAAA, 0xAAAA, 0xAAAA, 0xBBBB, 0x0706, 0xBBBB, 0xBBBB))
        try m.run(memoryLaneHandler(.v128Load64Lane), operands(2, 4, 2, 0), 0)  // in place
        #expect(m.vector(2, as: U64x2.self) == U64x2(0x0B0A_0908_0706_0504, 0xBBBB_BBBB_BBBB_BBBB))
        try m.run(memoryLaneHandler(.v128Load8Lane), operands(0, 4, 2, 15), 27)
        #expect(m.vector(0, as: U8x16.self)[15] == 31)

        try m.run(memoryLaneHandler(.v128Store32Lane), operands(4, 2, 3), 20)
        #expect(m.bytes(at: 24, count: 4) == [0xBB, 0xBB, 0xBB, 0xBB])
        try m.run(memoryLaneHandler(.v128Store8Lane), operands(4, 2, 1), 0)
        #expect(m.bytes(at: 3, count: 3) == [3, 5, 5])

        // Bounds, including offsets too large for 32 bits (no wrap-around).
        #expect(try m.run(memoryLaneHandler(.v128Store64Lane), operands(4, 2, 0), 21) == .outOfBoundsMemoryAccess)
        #expect(try m.run(memoryLaneHandler(.v128Store64Lane), operands(4, 2, 0), 20) == .none)
        #expect(try m.run(memoryLaneHandler(.v128Load32Lane), operands(0, 4, 2, 0), UInt64.max) == .outOfBoundsMemoryAccess)
        #expect(try m.run(memoryLaneHandler(.v128Load32Lane), operands(0, 4, 2, 0), UInt64.max - 3) == .outOfBoundsMemoryAccess)
        m[4] = 0xFFFF_FFFF
        #expect(try m.run(memoryLaneHandler(.v128Load8Lane), operands(0, 4, 2, 0), 0) == .outOfBoundsMemoryAccess)
    }
}
