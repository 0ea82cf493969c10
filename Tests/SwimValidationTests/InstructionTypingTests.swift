import Testing
import SwimTypes
import SwimValidation

@Suite("Instruction typing")
struct InstructionTypingTests {
    @Test func resultsMustMatchTheFunctionType() {
        expectValid(singleFunction([], [.i32], Code.i32Const(0)))
        expectInvalid(singleFunction([], [.i32], Code.i64Const(0)), "type mismatch")
        expectInvalid(singleFunction([], [.i32]), "type mismatch")
        expectInvalid(singleFunction([], [], Code.i32Const(0)), "type mismatch")
        expectInvalid(singleFunction([], [.i32], Code.i32Const(0), Code.i32Const(0)), "type mismatch")
    }

    @Test func numericOperatorsCheckTheirOperands() {
        expectValid(singleFunction([], [.i32], Code.i32Const(1), Code.i32Const(2), Code.op(.i32Add)))
        expectInvalid(singleFunction([], [.i32], Code.i32Const(1), Code.i64Const(2), Code.op(.i32Add)), "type mismatch")
        expectInvalid(singleFunction([], [.i32], Code.i32Const(1), Code.op(.i32Add)), "type mismatch")
        expectValid(singleFunction([], [.f64], Code.i64Const(1), Code.op(.f64ConvertI64S)))
        expectInvalid(singleFunction([], [.f64], Code.i32Const(1), Code.op(.f64ConvertI64S)), "type mismatch")
        expectValid(singleFunction([], [.i32], Code.f32Const, Code.f32Const, Code.op(.f32Lt)))
    }

    @Test func errorsCarryTheOffsetOfTheFaultyInstruction() throws {
        var b = ModuleBuilder()
        b.function(type: b.type([], [.i32]), Code.i32Const(1), Code.i64Const(2), Code.op(.i32Add))
        let error = try #require(expectInvalid(b, "type mismatch"))
        // i32.const 1 (2 bytes) then i64.const 2 (2 bytes): i32.add is at offset 4.
        #expect(error.offset == 4)
    }

    @Test func dropAndSelect() {
        expectValid(singleFunction([], [], Code.i32Const(0), Code.drop))
        expectInvalid(singleFunction([], [], Code.drop), "type mismatch")
        expectValid(singleFunction([], [.i64], Code.i64Const(1), Code.i64Const(2), Code.i32Const(0), Code.select))
        expectInvalid(
            singleFunction([], [.i64], Code.i64Const(1), Code.i32Const(2), Code.i32Const(0), Code.select),
            "type mismatch")
        expectInvalid(
            singleFunction([], [.i64], Code.i64Const(1), Code.i64Const(2), Code.i64Const(0), Code.select),
            "type mismatch")
    }

    @Test func untypedSelectRejectsReferences() {
        let refs = singleFunction(
            [], [.funcref], Code.refNull(.funcref), Code.refNull(.funcref), Code.i32Const(0), Code.select)
        expectInvalid(refs, "type mismatch")
        let typed = singleFunction(
            [], [.funcref], Code.refNull(.funcref), Code.refNull(.funcref), Code.i32Const(0), Code.select([.funcref]))
        expectValid(typed)
        let vectors = singleFunction([], [.v128], Code.v128Const, Code.v128Const, Code.i32Const(0), Code.select)
        expectValid(vectors)
    }

    @Test func typedSelectHasExactlyOneType() {
        expectInvalid(
            singleFunction([], [], Code.nop, Code.nop, Code.i32Const(1), Code.select([])), "invalid result arity")
        expectInvalid(
            singleFunction(
                [], [.i32, .i32], Code.i32Const(0), Code.i32Const(0), Code.i32Const(0), Code.i32Const(0),
                Code.i32Const(1), Code.select([.i32, .i32])),
            "invalid result arity")
        expectInvalid(
            singleFunction([], [.i32], Code.i32Const(0), Code.i64Const(0), Code.i32Const(1), Code.select([.i32])),
            "type mismatch")
    }

    // MARK: Variables

    @Test func locals() {
        let locals = [LocalRun(count: 2, type: .i64), LocalRun(count: 1, type: .f32)]
        expectValid(
            singleFunction(
                [.i32], [.f32], locals: locals,
                Code.localGet(0), Code.drop, Code.localGet(2), Code.localSet(1), Code.localGet(3)))
        expectInvalid(singleFunction([.i32], [.i64], locals: locals, Code.localGet(0)), "type mismatch")
        expectInvalid(singleFunction([.i32], [], locals: locals, Code.localGet(4), Code.drop), "unknown local 4")
        expectInvalid(singleFunction([], [], Code.i32Const(0), Code.localSet(0)), "unknown local 0")
        expectInvalid(singleFunction([.i32], [], Code.i64Const(0), Code.localSet(0)), "type mismatch")
        expectValid(singleFunction([.i32], [.i32], Code.i32Const(0), Code.localTee(0)))
        expectInvalid(singleFunction([.i32], [.i32], Code.f32Const, Code.localTee(0)), "type mismatch")
    }

    @Test func localsBeyondTheExpandedRangeAreFoundInTheirRuns() {
        let locals = [
            LocalRun(count: 70_000, type: .i32), LocalRun(count: 5, type: .f64), LocalRun(count: 100_000, type: .i64),
        ]
        expectValid(singleFunction([], [.f64], locals: locals, Code.localGet(70_004)))
        expectValid(singleFunction([], [.i32], locals: locals, Code.localGet(69_999)))
        expectValid(singleFunction([], [.i64], locals: locals, Code.localGet(170_004)))
        expectInvalid(singleFunction([], [.i64], locals: locals, Code.localGet(70_000)), "type mismatch")
        expectInvalid(singleFunction([], [.i64], locals: locals, Code.localGet(170_005)), "unknown local 170005")
    }

    @Test func tooManyLocalsAreRejectedNotExpanded() {
        let locals = [LocalRun(count: UInt32.max, type: .i32), LocalRun(count: 2, type: .i32)]
        expectInvalid(singleFunction([], [], locals: locals), "too many locals")
    }

    @Test func globals() {
        var b = ModuleBuilder()
        b.importGlobal(.i32)
        b.global(.f32, mutable: true, .f32Const(0))
        b.function(type: b.type([], [.i32]), Code.f32Const, Code.globalSet(1), Code.globalGet(0))
        expectValid(b)

        var immutable = ModuleBuilder()
        immutable.importGlobal(.i32)
        immutable.function(type: immutable.type(), Code.i32Const(1), Code.globalSet(0))
        expectInvalid(immutable, "global is immutable")

        var wrongType = ModuleBuilder()
        wrongType.global(.f32, mutable: true, .f32Const(0))
        wrongType.function(type: wrongType.type(), Code.i32Const(1), Code.globalSet(0))
        expectInvalid(wrongType, "type mismatch")

        expectInvalid(singleFunction([], [.i32], Code.globalGet(0)), "unknown global 0")
        expectInvalid(singleFunction([], [], Code.i32Const(0), Code.globalSet(0)), "unknown global 0")
    }

    // MARK: Calls

    @Test func calls() {
        var b = ModuleBuilder()
        let binary = b.type([.i32, .i64], [.f32])
        b.importFunction(type: binary)
        b.function(type: b.type([], [.f32]), Code.i32Const(1), Code.i64Const(2), Code.call(0))
        expectValid(b)

        var swapped = ModuleBuilder()
        swapped.importFunction(type: swapped.type([.i32, .i64], [.f32]))
        swapped.function(type: swapped.type([], [.f32]), Code.i64Const(2), Code.i32Const(1), Code.call(0))
        expectInvalid(swapped, "type mismatch")

        expectInvalid(singleFunction([], [], Code.call(1)), "unknown function 1")
    }

    @Test func callIndirect() {
        var b = ModuleBuilder()
        let type = b.type([.i32], [.i32])
        b.table()
        b.function(type: type, Code.localGet(0), Code.i32Const(0), Code.callIndirect(type: type))
        expectValid(b)

        var noTable = ModuleBuilder()
        let t = noTable.type([], [])
        noTable.function(type: t, Code.i32Const(0), Code.callIndirect(type: t))
        expectInvalid(noTable, "unknown table 0")

        var externTable = ModuleBuilder()
        let u = externTable.type([], [])
        externTable.table(.externref)
        externTable.function(type: u, Code.i32Const(0), Code.callIndirect(type: u))
        expectInvalid(externTable, "type mismatch")

        var unknownType = ModuleBuilder()
        unknownType.table()
        unknownType.function(type: unknownType.type(), Code.i32Const(0), Code.callIndirect(type: 5))
        expectInvalid(unknownType, "unknown type 5")

        var missingIndex = ModuleBuilder()
        let v = missingIndex.type([], [])
        missingIndex.table()
        missingIndex.function(type: v, Code.callIndirect(type: v))
        expectInvalid(missingIndex, "type mismatch")
    }

    // MARK: References

    @Test func refFuncNeedsADeclaration() {
        var undeclared = ModuleBuilder()
        let type = undeclared.type()
        undeclared.function(type: type, Code.refFunc(0), Code.drop)
        expectInvalid(undeclared, "undeclared function reference")

        var asStart = undeclared
        asStart.module.start = 0
        expectInvalid(asStart, "undeclared function reference")

        var exported = undeclared
        exported.export("f", .function(0))
        expectValid(exported)

        var declared = undeclared
        declared.element(.declarative, functions: [0])
        expectValid(declared)

        var inGlobal = undeclared
        inGlobal.global(.funcref, .refFunc(0))
        expectValid(inGlobal)

        var unknown = ModuleBuilder()
        unknown.function(type: unknown.type(), Code.refFunc(3), Code.drop)
        expectInvalid(unknown, "unknown function 3")
    }

    @Test func refNullAndIsNull() {
        expectValid(singleFunction([], [.i32], Code.refNull(.externref), Code.refIsNull))
        expectValid(singleFunction([], [.funcref], Code.refNull(.funcref)))
        expectInvalid(singleFunction([], [.funcref], Code.refNull(.externref)), "type mismatch")
        expectInvalid(singleFunction([], [.i32], Code.i32Const(0), Code.refIsNull), "type mismatch")
        expectValid(singleFunction([], [.i32], Code.unreachable, Code.refIsNull))
    }
}
