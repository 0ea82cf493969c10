@testable import Swim
import Testing
import SwimTypes

@Suite("SIMD lane, shuffle and memory handlers")
struct SIMDMemoryAndLaneHandlerTests {
    // Slots: the result in 0-1, operands in 2-3, 4-5, 6-7.

    @Test func swizzleAndShuffle() throws {
        let m = SIMDMachine()
        let a = U8x16(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25)
        let b = U8x16(30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45)
        m.setVector(2, a)
        m.setVector(4, U8x16(15, 0, 16, 255, 128, 1, 2, 3, 17, 4, 4, 4, 14, 13, 12, 31))
        try m.run(handler(for: .i8x16Swizzle), operands(0, 2, 4))
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
        #expect(try m.run(simdMemoryHandler(.v128Load64Splat), operands(0, 4) | UInt64(7) << 32) == .none)  // ends at 64
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
