import Testing
import SwimTypes
import SwimValidation

@Suite("Constant expressions, globals and segments")
struct ConstantAndSegmentTests {
    // MARK: Globals

    @Test func constantInitializersOfEveryKind() {
        var b = ModuleBuilder()
        b.importGlobal(.i32)
        b.function(type: b.type())
        b.global(.i32, .i32Const(1))
        b.global(.i64, .i64Const(1))
        b.global(.f32, .f32Const(0))
        b.global(.f64, .f64Const(0))
        b.global(.v128, .v128Const(V128(low: 0, high: 0)))
        b.global(.externref, .refNull(.extern))
        b.global(.funcref, .refFunc(0))
        b.global(.i32, .globalGet(0))
        expectValid(b)
    }

    @Test func initializerMustBeConstant() {
        var b = ModuleBuilder()
        b.global(.i32, .i32Const(0), .numeric(.i32Ctz))
        expectInvalid(b, "constant expression required")
        var nop = ModuleBuilder()
        nop.global(.i32, .nop)
        expectInvalid(nop, "constant expression required")
        var local = ModuleBuilder()
        local.global(.i32, .localGet(0))
        expectInvalid(local, "constant expression required")
    }

    @Test func initializerMustHaveTheGlobalsType() {
        var wrong = ModuleBuilder()
        wrong.global(.i32, .i64Const(0))
        expectInvalid(wrong, "type mismatch")
        var empty = ModuleBuilder()
        empty.global(.i32)
        expectInvalid(empty, "type mismatch")
        var two = ModuleBuilder()
        two.global(.i32, .i32Const(0), .i32Const(0))
        expectInvalid(two, "type mismatch")
        var reference = ModuleBuilder()
        reference.global(.funcref, .refNull(.extern))
        expectInvalid(reference, "type mismatch")
    }

    @Test func globalGetReadsOnlyImportedImmutableGlobals() {
        // In Wasm 2.0 only imported globals; Wasm 3.0 below.
        var defined = ModuleBuilder()
        defined.global(.i32, .i32Const(0))
        defined.global(.i32, .globalGet(0))
        expectInvalid(defined, "unknown global 0", features: .wasm2)

        var missing = ModuleBuilder()
        missing.global(.i32, .globalGet(0))
        expectInvalid(missing, "unknown global 0")

        var mutable = ModuleBuilder()
        mutable.importGlobal(.i32, mutable: true)
        mutable.global(.i32, .globalGet(0))
        expectInvalid(mutable, "constant expression required")

        var wrongType = ModuleBuilder()
        wrongType.importGlobal(.i64)
        wrongType.global(.i32, .globalGet(0))
        expectInvalid(wrongType, "type mismatch")
    }

    @Test func refFuncInInitializerMustNameAFunction() {
        var b = ModuleBuilder()
        b.importFunction(type: b.type())
        b.global(.funcref, .refFunc(7))
        expectInvalid(b, "unknown function 7")
    }

    @Test func wasm3GlobalsReadTheImmutableGlobalsDefinedBeforeThem() {
        var earlier = ModuleBuilder()
        earlier.importGlobal(.i32)
        earlier.global(.i32, .i32Const(1))
        earlier.global(.i32, .globalGet(0), .globalGet(1), .numeric(.i32Add))
        expectValid(earlier)
        expectInvalid(earlier, "unknown global 1", features: .wasm2)

        var itself = ModuleBuilder()
        itself.global(.i32, .globalGet(0))
        expectInvalid(itself, "unknown global 0")

        var later = ModuleBuilder()
        later.global(.i32, .globalGet(1))
        later.global(.i32, .i32Const(0))
        expectInvalid(later, "unknown global 1")

        var mutable = ModuleBuilder()
        mutable.global(.i32, mutable: true, .i32Const(0))
        mutable.global(.i32, .globalGet(0))
        expectInvalid(mutable, "constant expression required")

        // Element segments see every global, as data segments do.
        var element = ModuleBuilder()
        element.table()
        element.global(.funcref, .refNull(.func))
        element.element(.funcref, .active(table: 0, offset: offset(.i32Const(0))), expressions: [[.globalGet(0)]])
        expectValid(element)
        expectInvalid(element, "unknown global 0", features: .wasm2)

        // Table initializers see only the imported globals, as in the spec's context C'.
        var table = ModuleBuilder()
        table.global(.funcref, .refNull(.func))
        table.module.tables.append(TableDefinition(
            type: TableType(elementType: .funcref, limits: Limits(min: 1)),
            initializer: ConstExpression(instructions: [.globalGet(0)])))
        expectInvalid(table, "unknown global 0")
    }

    @Test func extendedConstantsNeedTheirFeature() {
        var b = ModuleBuilder()
        b.global(.i32, .i32Const(1), .i32Const(2), .numeric(.i32Add))
        expectInvalid(b, "constant expression required", features: .wasm2)
        expectValid(b)
        var mismatch = ModuleBuilder()
        mismatch.global(.i32, .i32Const(1), .i64Const(2), .numeric(.i32Add))
        expectInvalid(mismatch, "type mismatch")
    }

    // MARK: Element segments

    @Test func activeElementSegments() {
        var b = ModuleBuilder()
        let f = b.function(type: b.type())
        b.table()
        b.element(.active(table: 0, offset: offset(.i32Const(0))), functions: [f])
        b.element(
            .funcref, .active(table: 0, offset: offset(.i32Const(0))), expressions: [[.refFunc(f)], [.refNull(.func)]])
        expectValid(b)
    }

    @Test func activeSegmentNeedsATable() {
        var b = ModuleBuilder()
        let f = b.function(type: b.type())
        b.element(.active(table: 0, offset: offset(.i32Const(0))), functions: [f])
        expectInvalid(b, "unknown table 0")
    }

    @Test func segmentOffsetMustBeAnI32Constant() {
        for (instructions, message) in [
            ([Instruction.i64Const(0)], "type mismatch"), ([.refNull(.func)], "type mismatch"),
            ([], "type mismatch"), ([.i32Const(0), .i32Const(0)], "type mismatch"),
            ([.numeric(.i32Ctz)], "constant expression required"), ([.nop], "constant expression required"),
        ] {
            var b = ModuleBuilder()
            b.table()
            b.element(.active(table: 0, offset: ConstExpression(instructions: instructions)), functions: [])
            expectInvalid(b, message)
        }
    }

    @Test func segmentTypeMustMatchTheTable() {
        var b = ModuleBuilder()
        b.table(.externref)
        b.function(type: b.type())
        b.element(.active(table: 0, offset: offset(.i32Const(0))), functions: [0])
        expectInvalid(b, "type mismatch")
    }

    @Test func segmentItemsMustHaveTheSegmentType() {
        var b = ModuleBuilder()
        b.table()
        b.element(.funcref, .active(table: 0, offset: offset(.i32Const(0))), expressions: [[.refNull(.extern)]])
        expectInvalid(b, "type mismatch")
        var call = ModuleBuilder()
        call.element(.funcref, .passive, expressions: [[.call(0)]])
        expectInvalid(call, "constant expression required")
    }

    @Test func segmentFunctionsMustExist() {
        var b = ModuleBuilder()
        b.element(.declarative, functions: [2])
        expectInvalid(b, "unknown function 2")
    }

    @Test func passiveAndDeclarativeSegmentsNeedNoTable() {
        var b = ModuleBuilder()
        let f = b.function(type: b.type())
        b.element(.passive, functions: [f])
        b.element(.declarative, functions: [f])
        b.element(.externref, .passive, expressions: [[.refNull(.extern)]])
        expectValid(b)
    }

    // MARK: Data segments

    @Test func activeDataSegments() {
        var b = ModuleBuilder()
        b.memory()
        b.data(.active(memory: 0, offset: offset(.i32Const(8))))
        b.data(.passive)
        expectValid(b)
    }

    @Test func activeDataSegmentNeedsAMemory() {
        var b = ModuleBuilder()
        b.data(.active(memory: 0, offset: offset(.i32Const(0))))
        expectInvalid(b, "unknown memory 0")
    }

    @Test func dataOffsetMustBeAConstantOfTheAddressType() {
        var b = ModuleBuilder()
        b.memory()
        b.data(.active(memory: 0, offset: offset(.i64Const(0))))
        expectInvalid(b, "type mismatch")

        var global = ModuleBuilder()
        global.importGlobal(.i32)
        global.memory()
        global.data(.active(memory: 0, offset: offset(.globalGet(0))))
        expectValid(global)

        // A defined global: Wasm 3.0 only (segments see every global), and not a mutable one.
        var defined = ModuleBuilder()
        defined.memory()
        defined.global(.i32, .i32Const(0))
        defined.data(.active(memory: 0, offset: offset(.globalGet(0), .i32Const(4), .numeric(.i32Mul))))
        expectValid(defined)
        expectInvalid(defined, "unknown global 0", features: .wasm2)
        var mutable = ModuleBuilder()
        mutable.memory()
        mutable.global(.i32, mutable: true, .i32Const(0))
        mutable.data(.active(memory: 0, offset: offset(.globalGet(0))))
        expectInvalid(mutable, "constant expression required")

        var memory64 = ModuleBuilder()
        memory64.memory(is64: true)
        memory64.data(.active(memory: 0, offset: offset(.i64Const(0))))
        expectValid(memory64, features: WasmFeatures.default.union(.memory64))
    }
}
