import Testing
import SwimTypes
import SwimValidation

@Suite("SIMD")
struct SIMDTests {
    @Test func operatorsWithFixedSignatures() {
        expectValid(singleFunction([], [.v128], Code.v128Const, Code.v128Const, Code.op(.i8x16Eq)))
        expectValid(singleFunction([], [.v128], Code.i32Const(1), Code.op(.i8x16Splat)))
        expectInvalid(singleFunction([], [.v128], Code.i64Const(1), Code.op(.i8x16Splat)), "type mismatch")
        expectValid(singleFunction([], [.i32], Code.v128Const, Code.op(.v128AnyTrue)))
        expectValid(
            singleFunction([], [.v128], Code.v128Const, Code.v128Const, Code.v128Const, Code.op(.v128Bitselect)))
        expectInvalid(
            singleFunction([], [.v128], Code.v128Const, Code.v128Const, Code.op(.v128Bitselect)),
            "type mismatch")
    }

    @Test func laneIndicesMustBeBelowTheLaneCount() {
        expectValid(singleFunction([], [.i32], Code.v128Const, Code.lane(.i8x16ExtractLaneS, 15)))
        expectInvalid(
            singleFunction([], [.i32], Code.v128Const, Code.lane(.i8x16ExtractLaneS, 16)),
            "invalid lane index")
        expectValid(singleFunction([], [.f64], Code.v128Const, Code.lane(.f64x2ExtractLane, 1)))
        expectInvalid(singleFunction([], [.f64], Code.v128Const, Code.lane(.f64x2ExtractLane, 2)), "invalid lane index")
        expectValid(singleFunction([], [.v128], Code.v128Const, Code.i64Const(0), Code.lane(.i64x2ReplaceLane, 1)))
        expectInvalid(
            singleFunction([], [.v128], Code.v128Const, Code.i32Const(0), Code.lane(.i64x2ReplaceLane, 1)),
            "type mismatch")
        expectInvalid(
            singleFunction([], [.v128], Code.v128Const, Code.i32Const(0), Code.lane(.i32x4ReplaceLane, 4)),
            "invalid lane index")
    }

    @Test func shuffleLanesPickOneOfThirtyTwoBytes() {
        let good = [UInt8](0..<16).map { $0 * 2 }
        expectValid(singleFunction([], [.v128], Code.v128Const, Code.v128Const, Code.shuffle(good)))
        var bad = good
        bad[15] = 32
        expectInvalid(
            singleFunction([], [.v128], Code.v128Const, Code.v128Const, Code.shuffle(bad)),
            "invalid lane index")
        bad[15] = 255
        expectInvalid(
            singleFunction([], [.v128], Code.v128Const, Code.v128Const, Code.shuffle(bad)),
            "invalid lane index")
    }

    @Test func vectorMemoryAccesses() {
        var load = ModuleBuilder()
        load.memory()
        load.function(type: load.type([], [.v128]), Code.i32Const(0), Code.memory(.v128Load, align: 4))
        expectValid(load)

        var overAligned = ModuleBuilder()
        overAligned.memory()
        overAligned.function(
            type: overAligned.type([], [.v128]), Code.i32Const(0), Code.memory(.v128Load8Splat, align: 1))
        expectInvalid(overAligned, "alignment must not be larger than natural")

        var lane = ModuleBuilder()
        lane.memory()
        lane.function(
            type: lane.type([], [.v128]),
            Code.i32Const(0), Code.v128Const, Code.memoryLane(.v128Load32Lane, align: 2, lane: 3))
        expectValid(lane)

        var badLane = ModuleBuilder()
        badLane.memory()
        badLane.function(
            type: badLane.type([], [.v128]),
            Code.i32Const(0), Code.v128Const, Code.memoryLane(.v128Load32Lane, align: 2, lane: 4))
        expectInvalid(badLane, "invalid lane index")

        var badAlign = ModuleBuilder()
        badAlign.memory()
        badAlign.function(
            type: badAlign.type(),
            Code.i32Const(0), Code.v128Const, Code.memoryLane(.v128Store16Lane, align: 2, lane: 0))
        expectInvalid(badAlign, "alignment must not be larger than natural")

        var noMemory = ModuleBuilder()
        noMemory.function(
            type: noMemory.type(),
            Code.i32Const(0), Code.v128Const, Code.memoryLane(.v128Store16Lane, align: 1, lane: 0))
        expectInvalid(noMemory, "unknown memory 0")
    }
}
