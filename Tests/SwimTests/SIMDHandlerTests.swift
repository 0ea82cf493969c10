@testable import Swim
import Testing
import SwimTypes

/// Runs one SIMD handler at a time (the SIMD handler tests share it) on a hand-built code buffer: [handler][operand words][halt].
final class SIMDMachine {
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
        // A closure, not `h_halt` itself: this Swift 6 target cannot form thin references to functions.
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

func handler(for op: NumericOp) -> Handler? { simdHandler(op) }

/// Float lanes compared by bit pattern (NaN payloads and the sign of zero matter).
func laneBits(_ v: F32x4) -> U32x4 { U32x4(v[0].bitPattern, v[1].bitPattern, v[2].bitPattern, v[3].bitPattern) }
func laneBits(_ v: F64x2) -> U64x2 { U64x2(v[0].bitPattern, v[1].bitPattern) }

@Suite("SIMD integer and bitwise handlers")
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
        try m.run(handler(for: .i8x16Add), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-128, 127, -56, 56, 0, 0, -2, -10, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16AddSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(127, -128, 127, -128, 0, 0, -2, -10, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16SubSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(126, -127, 0, 0, 2, 0, 0, 110, 0, 0, 0, 0, 0, 0, 0, 0))

        m.setVector(2, U8x16(250, 3, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(4, U8x16(10, 5, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16AddSatU), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(255, 8, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16SubSatU), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(240, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

        m.setVector(2, I16x8(32767, -32768, 1000, 7, 0, 0, 0, 0))
        m.setVector(4, I16x8(2, -2, 1000, -7, 0, 0, 0, 0))
        try m.run(handler(for: .i16x8Mul), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(-2, 0, 16960, -49, 0, 0, 0, 0))
        try m.run(handler(for: .i16x8AddSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, -32768, 2000, 0, 0, 0, 0, 0))

        m.setVector(2, I64x2(.max, 3))
        m.setVector(4, I64x2(.max, -5))
        try m.run(handler(for: .i64x2Mul), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(1, -15))
    }

    @Test func resultMayOverwriteAnOperand() throws {
        let m = SIMDMachine()
        m.setVector(2, I32x4(1, 2, 3, 4))
        m.setVector(4, I32x4(10, 20, 30, 40))
        try m.run(handler(for: .i32x4Add), operands(2, 2, 4))
        #expect(m.vector(2, as: I32x4.self) == I32x4(11, 22, 33, 44))
        try m.run(handler(for: .i32x4Sub), operands(4, 2, 4))
        #expect(m.vector(4, as: I32x4.self) == I32x4(1, 2, 3, 4))
    }

    @Test func absAndNegWrapAtTheMinimum() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(-128, -1, 5, 0, 127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16Abs), operands(0, 2))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-128, 1, 5, 0, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16Neg), operands(0, 2))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-128, 1, -5, 0, -127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(2, I64x2(.min, -9))
        try m.run(handler(for: .i64x2Abs), operands(0, 2))
        #expect(m.vector(0, as: I64x2.self) == I64x2(.min, 9))
    }

    @Test func shiftCountsAreMaskedByLaneWidth() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(1, -128, 64, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m[4] = 9  // 9 mod 8 = 1
        try m.run(handler(for: .i8x16Shl), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(2, 0, -128, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16ShrS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(0, -64, 32, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16ShrU), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(0, 64, 32, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

        m.setVector(2, I32x4(-16, 16, Int32.min, 1))
        m[4] = 0xFFFF_FFE2  // -30: mod 32 = 2
        try m.run(handler(for: .i32x4ShrS), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(-4, 4, -536_870_912, 0))
        m.setVector(2, U64x2(0x8000_0000_0000_0001, 3))
        m[4] = 64  // 64 mod 64 = 0
        try m.run(handler(for: .i64x2ShrU), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0x8000_0000_0000_0001, 3))
        m[4] = 65
        try m.run(handler(for: .i64x2Shl), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(2, 6))
    }

    @Test func integerComparisonsAreSignedOrUnsigned() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(-1, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(4, I8x16(1, -1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))
        try m.run(handler(for: .i8x16LtS), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1))
        try m.run(handler(for: .i8x16LtU), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1))
        try m.run(handler(for: .i8x16GeU), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(-1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0))

        m.setVector(2, I64x2(-1, 7))
        m.setVector(4, I64x2(1, 7))
        try m.run(handler(for: .i64x2LtS), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(-1, 0))
        try m.run(handler(for: .i64x2Ne), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(-1, 0))

        m.setVector(2, U32x4(0xFFFF_FFFF, 0, 3, 9))
        m.setVector(4, U32x4(0, 0xFFFF_FFFF, 3, 8))
        try m.run(handler(for: .i32x4MinU), operands(0, 2, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, 0, 3, 8))
        try m.run(handler(for: .i32x4MaxS), operands(0, 2, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(0, 0, 3, 9))
    }

    @Test func splatsTruncateTheScalar() throws {
        let m = SIMDMachine()
        m[4] = 0x1234_5678
        try m.run(handler(for: .i8x16Splat), operands(0, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(repeating: 0x78))
        try m.run(handler(for: .i16x8Splat), operands(0, 4))
        #expect(m.vector(0, as: U16x8.self) == U16x8(repeating: 0x5678))
        try m.run(handler(for: .i32x4Splat), operands(0, 4))
        #expect(m.vector(0, as: U32x4.self) == U32x4(repeating: 0x1234_5678))
        m[4] = 0xDEAD_BEEF_0BAD_F00D
        try m.run(handler(for: .i64x2Splat), operands(0, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(repeating: 0xDEAD_BEEF_0BAD_F00D))
    }

    @Test func narrowingSaturates() throws {
        let m = SIMDMachine()
        m.setVector(2, I16x8(300, -300, 127, -128, 255, -1, 0, 128))
        m.setVector(4, I16x8(1, 2, 3, 4, 5, 6, 7, -32768))
        try m.run(handler(for: .i8x16NarrowI16x8S), operands(0, 2, 4))
        #expect(m.vector(0, as: I8x16.self) == I8x16(127, -128, 127, -128, 127, -1, 0, 127, 1, 2, 3, 4, 5, 6, 7, -128))
        try m.run(handler(for: .i8x16NarrowI16x8U), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(255, 0, 127, 0, 255, 0, 0, 128, 1, 2, 3, 4, 5, 6, 7, 0))
        m.setVector(2, I32x4(70000, -70000, 65535, -1))
        m.setVector(4, I32x4(32768, -32769, 5, 0))
        try m.run(handler(for: .i16x8NarrowI32x4S), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, -32768, 32767, -1, 32767, -32768, 5, 0))
        try m.run(handler(for: .i16x8NarrowI32x4U), operands(0, 2, 4))
        #expect(m.vector(0, as: U16x8.self) == U16x8(65535, 0, 65535, 0, 32768, 0, 5, 0))
    }

    @Test func extendingOperators() throws {
        let m = SIMDMachine()
        m.setVector(2, I8x16(-1, 2, -3, 4, -5, 6, -7, 8, -128, 127, 0, 1, -2, 3, -4, 5))
        try m.run(handler(for: .i16x8ExtendLowI8x16S), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(-1, 2, -3, 4, -5, 6, -7, 8))
        try m.run(handler(for: .i16x8ExtendHighI8x16U), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(128, 127, 0, 1, 254, 3, 252, 5))
        try m.run(handler(for: .i16x8ExtaddPairwiseI8x16S), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(1, 1, 1, 1, -1, 1, 1, 1))
        try m.run(handler(for: .i16x8ExtaddPairwiseI8x16U), operands(0, 2))
        #expect(m.vector(0, as: I16x8.self) == I16x8(257, 257, 257, 257, 255, 1, 257, 257))

        m.setVector(2, I32x4(-2, 3, .max, .min))
        m.setVector(4, I32x4(5, -7, .max, .min))
        try m.run(handler(for: .i64x2ExtmulLowI32x4S), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(-10, -21))
        try m.run(handler(for: .i64x2ExtmulHighI32x4S), operands(0, 2, 4))
        #expect(m.vector(0, as: I64x2.self) == I64x2(4_611_686_014_132_420_609, 4_611_686_018_427_387_904))
        try m.run(handler(for: .i64x2ExtmulHighI32x4U), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(4_611_686_014_132_420_609, 4_611_686_018_427_387_904))
        try m.run(handler(for: .i64x2ExtendLowI32x4U), operands(0, 2))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xFFFF_FFFE, 3))

        m.setVector(2, U16x8(65535, 65535, 1, 2, 0, 0, 0, 0))
        try m.run(handler(for: .i32x4ExtaddPairwiseI16x8U), operands(0, 2))
        #expect(m.vector(0, as: U32x4.self) == U32x4(131070, 3, 0, 0))
        try m.run(handler(for: .i32x4ExtaddPairwiseI16x8S), operands(0, 2))
        #expect(m.vector(0, as: I32x4.self) == I32x4(-2, 3, 0, 0))
    }

    @Test func q15DotAndAverage() throws {
        let m = SIMDMachine()
        m.setVector(2, I16x8(-32768, 16384, 3, -3, 32767, 1, 0, -32768))
        m.setVector(4, I16x8(-32768, 16384, 16384, 16384, 32767, 1, 0, 32767))
        try m.run(handler(for: .i16x8Q15mulrSatS), operands(0, 2, 4))
        #expect(m.vector(0, as: I16x8.self) == I16x8(32767, 8192, 2, -1, 32766, 0, 0, -32767))
        // (-32768)^2 * 2 wraps to Int32.min.
        m.setVector(2, I16x8(-32768, -32768, 1, 2, 3, 4, 0, 0))
        m.setVector(4, I16x8(-32768, -32768, 5, 6, -7, 8, 0, 0))
        try m.run(handler(for: .i32x4DotI16x8S), operands(0, 2, 4))
        #expect(m.vector(0, as: I32x4.self) == I32x4(.min, 17, 11, 0))

        m.setVector(2, U8x16(255, 0, 1, 1, 254, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(4, U8x16(255, 0, 2, 1, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i8x16AvgrU), operands(0, 2, 4))
        #expect(m.vector(0, as: U8x16.self) == U8x16(255, 0, 2, 1, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        m.setVector(2, U16x8(65535, 3, 0, 0, 0, 0, 0, 0))
        m.setVector(4, U16x8(65534, 4, 0, 0, 0, 0, 0, 0))
        try m.run(handler(for: .i16x8AvgrU), operands(0, 2, 4))
        #expect(m.vector(0, as: U16x8.self) == U16x8(65535, 4, 0, 0, 0, 0, 0, 0))
    }

    @Test func popcountAndBooleanReductions() throws {
        let m = SIMDMachine()
        m.setVector(2, U8x16(0, 1, 3, 255, 128, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7))
        try m.run(handler(for: .i8x16Popcnt), operands(0, 2))
        #expect(m.vector(0, as: U8x16.self) == U8x16(0, 1, 2, 8, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3))

        m[0] = 0xFFFF_FFFF_FFFF_FFFF  // the i32 result must overwrite all 64 bits
        try m.run(handler(for: .v128AnyTrue), operands(0, 2))
        #expect(m[0] == 1)
        try m.run(handler(for: .i8x16AllTrue), operands(0, 2))
        #expect(m[0] == 0)
        m.setVector(2, U64x2(0, 0))
        try m.run(handler(for: .v128AnyTrue), operands(0, 2))
        #expect(m[0] == 0)
        m.setVector(2, U64x2(0, 1 << 63))
        try m.run(handler(for: .v128AnyTrue), operands(0, 2))
        #expect(m[0] == 1)
        m.setVector(2, I32x4(1, -1, 0x100, Int32.min))
        try m.run(handler(for: .i32x4AllTrue), operands(0, 2))
        #expect(m[0] == 1)
        try m.run(handler(for: .i16x8AllTrue), operands(0, 2))
        #expect(m[0] == 0)

        try m.run(handler(for: .i32x4Bitmask), operands(0, 2))
        #expect(m[0] == 0b1010)
        try m.run(handler(for: .i8x16Bitmask), operands(0, 2))
        #expect(m[0] == 0b1000_0000_1111_0000)
        m.setVector(2, I64x2(-1, -1))
        try m.run(handler(for: .i64x2Bitmask), operands(0, 2))
        #expect(m[0] == 0b11)
        try m.run(handler(for: .i16x8Bitmask), operands(0, 2))
        #expect(m[0] == 0xFF)
    }

    @Test func bitwiseOperators() throws {
        let m = SIMDMachine()
        m.setVector(2, U64x2(0xFF00_FF00_FF00_FF00, 0x1234))
        m.setVector(4, U64x2(0x0F0F_0F0F_0F0F_0F0F, 0xFFFF))
        m.setVector(6, U64x2(0xFFFF_0000_FFFF_0000, 0xF0F0))
        try m.run(handler(for: .v128Bitselect), operands(0, 2, 4, 6))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xFF00_0F0F_FF00_0F0F, 0x1F3F))
        try m.run(handler(for: .v128Andnot), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xF000_F000_F000_F000, 0))
        try m.run(handler(for: .v128Not), operands(0, 2))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0x00FF_00FF_00FF_00FF, ~0x1234))
        try m.run(handler(for: .v128Xor), operands(0, 2, 4))
        #expect(m.vector(0, as: U64x2.self) == U64x2(0xF00F_F00F_F00F_F00F, 0xEDCB))
    }
}
