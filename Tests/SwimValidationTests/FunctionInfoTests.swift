import Testing
import SwimTypes
import SwimValidation

@Suite("Function info")
struct FunctionInfoTests {
    @Test func stackHeightSlotsAndControlDepth() throws {
        var b = ModuleBuilder()
        // Three values at most (1 i32 + 2 v128 = 5 slots), three frames (function, block, loop).
        b.function(
            type: b.type([], [.i32]),
            Code.i32Const(1),
            Code.block(), Code.loop(), Code.v128Const, Code.v128Const, Code.op(.i8x16Eq), Code.drop, Code.end, Code.end)
        // One value, one frame.
        b.function(type: b.type([], [.i64]), Code.i64Const(1))
        // No values at all.
        b.function(type: b.type())
        let info = try #require(expectValid(b))
        #expect(
            info.functions == [
                FunctionInfo(maxStackHeight: 3, maxStackSlots: 5, maxControlDepth: 3),
                FunctionInfo(maxStackHeight: 1, maxStackSlots: 1, maxControlDepth: 1),
                FunctionInfo(maxStackHeight: 0, maxStackSlots: 0, maxControlDepth: 1),
            ])
    }

    @Test func onlyDefinedFunctionsAreListed() throws {
        var b = ModuleBuilder()
        let type = b.type()
        b.importFunction(type: type)
        b.function(type: type, Code.call(0))
        let info = try #require(expectValid(b))
        #expect(info.functions.count == 1)
    }

    @Test func blockParametersCountTowardsTheHeight() throws {
        var b = ModuleBuilder()
        let pair = b.type([.i32, .i32], [.i32])
        b.function(
            type: b.type([], [.i32]),
            Code.i32Const(1), Code.i32Const(2), Code.block(.type(pair)), Code.op(.i32Add), Code.end)
        let info = try #require(expectValid(b))
        #expect(info.functions.first == FunctionInfo(maxStackHeight: 2, maxStackSlots: 2, maxControlDepth: 2))
    }

    @Test func stateDoesNotLeakFromOneFunctionToTheNext() {
        // The first function fails inside an unreachable nested block; a fresh module whose
        // second function is valid must still validate after many functions reuse the stacks.
        var b = ModuleBuilder()
        let type = b.type([], [.i32])
        for _ in 0..<50 {
            b.function(type: type, Code.block(.value(.i32)), Code.unreachable, Code.end)
            b.function(type: type, Code.i32Const(1), Code.block(), Code.end)
        }
        expectValid(b)
        b.function(type: type, Code.block(), Code.end)
        expectInvalid(b, "type mismatch")
    }
}
