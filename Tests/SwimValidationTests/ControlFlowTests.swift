import Testing
import SwimTypes
import SwimValidation

@Suite("Control flow")
struct ControlFlowTests {
    @Test func blocksProduceTheirResults() {
        expectValid(singleFunction([], [.i32], Code.block(.value(.i32)), Code.i32Const(1), Code.end))
        expectInvalid(singleFunction([], [.i32], Code.block(.value(.i32)), Code.end), "type mismatch")
        expectInvalid(
            singleFunction([], [.i32], Code.block(.value(.i32)), Code.i64Const(1), Code.end), "type mismatch")
        expectInvalid(
            singleFunction([], [], Code.block(), Code.i32Const(1), Code.end), "type mismatch")
    }

    @Test func blocksCannotReachOutsideValues() {
        // The block starts with an empty stack of its own: the outer i32 is not visible.
        expectInvalid(
            singleFunction([], [.i32], Code.i32Const(1), Code.block(.value(.i32)), Code.end), "type mismatch")
    }

    @Test func multiValueBlockTypes() {
        var ok = ModuleBuilder()
        let swap = ok.type([.i32, .i64], [.i64, .i32])
        ok.function(
            type: ok.type([], [.i64, .i32]), locals: [LocalRun(count: 1, type: .i32)],
            Code.i32Const(1), Code.i64Const(2),
            Code.block(.type(swap)), Code.drop, Code.localSet(0), Code.i64Const(2), Code.localGet(0), Code.end)
        expectValid(ok)

        var missingParameters = ModuleBuilder()
        let t = missingParameters.type([.i32], [.i32])
        missingParameters.function(type: missingParameters.type([], [.i32]), Code.block(.type(t)), Code.end)
        expectInvalid(missingParameters, "type mismatch")

        expectInvalid(singleFunction([], [], Code.block(.type(9)), Code.end), "unknown type 9")
    }

    @Test func loopLabelsTakeTheParameters() {
        var b = ModuleBuilder()
        let t = b.type([.i32], [.f32])
        // br 0 in a loop carries the loop's parameter (i32), not its result.
        b.function(
            type: b.type([], [.f32]),
            Code.i32Const(0), Code.loop(.type(t)), Code.brIf(0), Code.f32Const, Code.end)
        expectInvalid(b, "type mismatch")

        var ok = ModuleBuilder()
        let u = ok.type([.i32], [.f32])
        ok.function(
            type: ok.type([], [.f32]),
            Code.i32Const(0), Code.loop(.type(u)), Code.i32Const(1), Code.brIf(0), Code.drop, Code.f32Const, Code.end)
        expectValid(ok)
    }

    @Test func ifAndElse() {
        expectValid(
            singleFunction(
                [], [.i32],
                Code.i32Const(1), Code.if(.value(.i32)), Code.i32Const(2), Code.else, Code.i32Const(3), Code.end))
        expectInvalid(
            singleFunction(
                [], [.i32],
                Code.i64Const(1), Code.if(.value(.i32)), Code.i32Const(2), Code.else, Code.i32Const(3), Code.end),
            "type mismatch")
        expectInvalid(
            singleFunction(
                [], [.i32],
                Code.i32Const(1), Code.if(.value(.i32)), Code.i32Const(2), Code.else, Code.i64Const(3), Code.end),
            "type mismatch")
        // Without else, the implicit empty branch must turn the parameters into the results.
        expectInvalid(
            singleFunction(
                [], [.i32],
                Code.i32Const(1), Code.if(.value(.i32)), Code.i32Const(2), Code.end), "type mismatch")
        var passThrough = ModuleBuilder()
        let t = passThrough.type([.i32], [.i32])
        passThrough.function(
            type: passThrough.type([], [.i32]),
            Code.i32Const(7), Code.i32Const(1), Code.if(.type(t)), Code.i32Const(1), Code.op(.i32Add), Code.end)
        expectValid(passThrough)
    }

    @Test func badlyNestedBodiesAreMalformed() {
        expectMalformed(singleFunction([], [], Code.else), "END opcode expected")
        expectMalformed(singleFunction([], [], Code.block(), Code.else, Code.end), "END opcode expected")
        expectMalformed(
            singleFunction([], [], Code.i32Const(1), Code.if(), Code.else, Code.else, Code.end), "END opcode expected")

        var missingEnd = ModuleBuilder()
        missingEnd.rawFunction(type: missingEnd.type(), Code.i32Const(1) + Code.drop)
        expectMalformed(missingEnd, "unexpected end")

        var trailing = ModuleBuilder()
        trailing.rawFunction(type: trailing.type(), Code.end + Code.nop)
        expectMalformed(trailing, "operators remaining")
    }

    @Test func decodeErrorsPropagateUnchanged() {
        var b = ModuleBuilder()
        b.rawFunction(type: b.type(), [0xFF] + Code.end)
        let error = expectMalformed(b, "")
        #expect(error?.offset == 0)
    }

    // MARK: Branches

    @Test func branches() {
        expectValid(singleFunction([], [.i32], Code.block(.value(.i32)), Code.i32Const(1), Code.br(0), Code.end))
        expectInvalid(singleFunction([], [.i32], Code.block(.value(.i32)), Code.br(0), Code.end), "type mismatch")
        expectInvalid(singleFunction([], [], Code.br(1)), "unknown label 1")
        // br to the function frame is a return.
        expectValid(singleFunction([], [.i64], Code.i64Const(1), Code.br(0)))
        expectValid(
            singleFunction(
                [], [.i32],
                Code.block(.value(.i32)), Code.i32Const(1), Code.i32Const(0), Code.brIf(0), Code.end))
        expectInvalid(
            singleFunction(
                [], [.i32],
                Code.block(.value(.i32)), Code.i32Const(1), Code.i64Const(0), Code.brIf(0), Code.end), "type mismatch")
        expectInvalid(singleFunction([], [], Code.i32Const(0), Code.brIf(3)), "unknown label 3")
    }

    @Test func brTable() {
        expectValid(
            singleFunction(
                [], [.i32],
                Code.block(.value(.i32)), Code.block(.value(.i32)), Code.i32Const(5), Code.i32Const(0),
                Code.brTable([0, 1], 1), Code.end, Code.end))
        // Targets of different arities.
        expectInvalid(
            singleFunction(
                [], [.i32],
                Code.block(.value(.i32)), Code.block(), Code.i32Const(5), Code.i32Const(0),
                Code.brTable([0], 1), Code.end, Code.i32Const(1), Code.end), "type mismatch")
        // Same arity, different types.
        expectInvalid(
            singleFunction(
                [], [.i32],
                Code.block(.value(.i32)), Code.block(.value(.i64)), Code.i32Const(5), Code.i32Const(0),
                Code.brTable([0], 1), Code.end, Code.drop, Code.i32Const(1), Code.end), "type mismatch")
        expectInvalid(singleFunction([], [], Code.i32Const(0), Code.brTable([2], 0)), "unknown label 2")
        expectInvalid(
            singleFunction([], [], Code.block(), Code.i64Const(0), Code.brTable([0], 0), Code.end),
            "type mismatch")
    }

    @Test func brTableInUnreachableCodeChecksEachTargetAgainstTheUnknownStack() {
        // After unreachable, the operand is unknown and fits both an i32 and an i64 label
        // as long as the arities agree.
        expectValid(
            singleFunction(
                [], [.i32],
                Code.block(.value(.i32)), Code.block(.value(.i64)), Code.unreachable,
                Code.brTable([0], 1), Code.end, Code.drop, Code.i32Const(1), Code.end))
        // A known operand on top must fit every target.
        expectInvalid(
            singleFunction(
                [], [.i32],
                Code.block(.value(.i32)), Code.block(.value(.i64)), Code.unreachable, Code.i64Const(0),
                Code.i32Const(0),
                Code.brTable([0], 1), Code.end, Code.drop, Code.i32Const(1), Code.end), "type mismatch")
    }

    @Test func returnChecksTheFunctionResults() {
        expectValid(singleFunction([], [.i32], Code.i32Const(0), Code.return))
        expectInvalid(singleFunction([], [.i32], Code.i64Const(0), Code.return), "type mismatch")
        expectValid(singleFunction([], [.i32], Code.block(), Code.i32Const(0), Code.return, Code.end, Code.i32Const(1)))
    }

    // MARK: Unreachable code

    @Test func unreachableCodeIsPolymorphic() {
        expectValid(singleFunction([], [.i32], Code.unreachable))
        expectValid(singleFunction([], [.i32], Code.unreachable, Code.op(.i32Add)))
        expectValid(singleFunction([], [], Code.unreachable, Code.op(.i32Add), Code.drop))
        expectValid(singleFunction([], [.f64], Code.unreachable, Code.select, Code.op(.f64Neg)))
        expectInvalid(
            singleFunction([], [], Code.unreachable, Code.i64Const(0), Code.op(.i32Add), Code.drop),
            "type mismatch")
        expectInvalid(singleFunction([], [.i32], Code.unreachable, Code.i64Const(0)), "type mismatch")
        expectInvalid(singleFunction([], [.i32], Code.return, Code.i32Const(0), Code.i32Const(0)), "type mismatch")
        // select after unreachable still rejects a known reference operand.
        expectInvalid(
            singleFunction([], [], Code.unreachable, Code.refNull(.funcref), Code.i32Const(0), Code.select, Code.drop),
            "type mismatch")
    }

    @Test func unreachabilityEndsWithTheBlock() {
        // The block's end restores a reachable, empty outer stack.
        expectInvalid(singleFunction([], [], Code.block(), Code.unreachable, Code.end, Code.drop), "type mismatch")
        expectValid(singleFunction([], [.i32], Code.block(.value(.i32)), Code.unreachable, Code.end))
        // Inside a nested block the outer frame's polymorphism does not apply.
        expectInvalid(singleFunction([], [], Code.unreachable, Code.block(), Code.drop, Code.end), "type mismatch")
    }
}
