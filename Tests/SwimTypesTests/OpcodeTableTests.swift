import Testing
import SwimTypes

@Suite struct OpcodeTableTests {
    @Test func mnemonicsAreUniqueAcrossOperatorTables() {
        let names = NumericOp.allCases.map(\.name) + MemoryOp.allCases.map(\.name)
            + MemoryLaneOp.allCases.map(\.name) + LaneOp.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(NumericOp.allCases.count == 354)  // 334 up to Wasm 2.0, and 20 relaxed SIMD
    }

    @Test func encodingsRoundTrip() {
        for op in NumericOp.allCases { #expect(NumericOp(rawValue: op.rawValue) == op) }
        #expect(NumericOp(rawValue: 0x6A) == .i32Add)
        #expect(NumericOp(rawValue: 0xFC0007) == .i64TruncSatF64U)
        #expect(NumericOp(rawValue: 0xFD00AE) == .i32x4Add)
        #expect(NumericOp(rawValue: 0xFD009A) == nil)  // a hole in the SIMD opcode space
        #expect(MemoryOp(rawValue: 0xFD000B) == .v128Store)
    }

    @Test func signaturesMatchTheSpec() {
        #expect(NumericOp.i32Add.signature == OperatorSignature(.i32, .i32, result: .i32))
        #expect(NumericOp.i64Eqz.signature == OperatorSignature(.i64, result: .i32))
        #expect(NumericOp.f32DemoteF64.signature == OperatorSignature(.f64, result: .f32))
        #expect(NumericOp.i8x16Shl.signature == OperatorSignature(.v128, .i32, result: .v128))
        #expect(NumericOp.v128Bitselect.signature.operandCount == 3)
        #expect(NumericOp.i64x2Bitmask.signature.result == .i32)
        #expect(MemoryOp.i64Load32S.accessSize == 4 && MemoryOp.i64Load32S.naturalAlignment == 2)
        #expect(MemoryOp.v128Load64Zero.valueType == .v128 && MemoryOp.v128Load64Zero.accessSize == 8)
        #expect(LaneOp.i16x8ReplaceLane.laneCount == 8 && LaneOp.i16x8ReplaceLane.isReplace)
    }

    @Test func v128BytesAreInMemoryOrder() {
        let bytes: [UInt8] = Array(0..<16)
        let v = V128(bytes: bytes)
        #expect(v.low == 0x0706_0504_0302_0100)
        #expect(v.high == 0x0F0E_0D0C_0B0A_0908)
        #expect(v.bytes == bytes)
    }
}
