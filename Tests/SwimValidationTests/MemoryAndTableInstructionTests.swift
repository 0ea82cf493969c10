import Testing
import SwimTypes
import SwimValidation

/// A module with one memory (or none) and one function of type `[] -> results`.
private func withMemory(_ results: [ValueType] = [], memory: Bool = true, _ code: [UInt8]...) -> ModuleBuilder {
    var b = ModuleBuilder()
    if memory { b.memory() }
    b.rawFunction(type: b.type([], results), code.flatMap { $0 } + Code.end)
    return b
}

/// A module with the given tables, one passive segment per given type, and one function.
private func withTables(
    _ tables: [RefType], segments: [RefType] = [], _ results: [ValueType] = [], _ code: [UInt8]...
) -> ModuleBuilder {
    var b = ModuleBuilder()
    for t in tables { b.table(t) }
    for s in segments { b.element(s, .passive, expressions: []) }
    b.rawFunction(type: b.type([], results), code.flatMap { $0 } + Code.end)
    return b
}

@Suite("Memory instructions")
struct MemoryInstructionTests {
    @Test func loadsAndStores() {
        expectValid(withMemory([.i64], Code.i32Const(0), Code.memory(.i64Load32U, align: 2)))
        expectValid(withMemory([], Code.i32Const(0), Code.f64Const, Code.memory(.f64Store, align: 3)))
        expectInvalid(
            withMemory([], Code.i32Const(0), Code.f32Const, Code.memory(.f64Store, align: 3)), "type mismatch")
        expectInvalid(withMemory([.i32], Code.i64Const(0), Code.memory(.i32Load, align: 2)), "type mismatch")
    }

    @Test func memoryInstructionsNeedAMemory() {
        expectInvalid(
            withMemory([.i32], memory: false, Code.i32Const(0), Code.memory(.i32Load, align: 2)),
            "unknown memory 0")
        expectInvalid(withMemory([.i32], memory: false, Code.memorySize), "unknown memory 0")
        expectInvalid(withMemory([.i32], memory: false, Code.i32Const(1), Code.memoryGrow), "unknown memory 0")
        expectInvalid(
            withMemory(
                [], memory: false, Code.i32Const(0), Code.i32Const(0), Code.i32Const(0),
                Code.memoryFill), "unknown memory 0")
        expectInvalid(
            withMemory(
                [], memory: false, Code.i32Const(0), Code.i32Const(0), Code.i32Const(0),
                Code.memoryCopy), "unknown memory 0")
    }

    @Test func alignmentMustNotExceedTheNaturalAlignment() {
        expectValid(withMemory([.i32], Code.i32Const(0), Code.memory(.i32Load8U, align: 0)))
        expectInvalid(
            withMemory([.i32], Code.i32Const(0), Code.memory(.i32Load8U, align: 1)),
            "alignment must not be larger than natural")
        expectInvalid(
            withMemory([.i64], Code.i32Const(0), Code.memory(.i64Load, align: 4)),
            "alignment must not be larger than natural")
        expectInvalid(
            withMemory([], Code.i32Const(0), Code.i32Const(0), Code.memory(.i32Store16, align: 2)),
            "alignment must not be larger than natural")
    }

    @Test func sizeAndGrow() {
        expectValid(withMemory([.i32], Code.memorySize))
        expectValid(withMemory([.i32], Code.i32Const(1), Code.memoryGrow))
        expectInvalid(withMemory([.i32], Code.i64Const(1), Code.memoryGrow), "type mismatch")
    }

    @Test func bulkMemory() {
        let three = Code.i32Const(0) + Code.i32Const(0) + Code.i32Const(0)
        expectValid(withMemory([], three, Code.memoryFill))
        expectValid(withMemory([], three, Code.memoryCopy))
        expectInvalid(withMemory([], Code.i32Const(0), Code.i32Const(0), Code.memoryFill), "type mismatch")
        expectInvalid(
            withMemory([], Code.i32Const(0), Code.i64Const(0), Code.i32Const(0), Code.memoryCopy),
            "type mismatch")

        var initialized = withMemory([], three, Code.memoryInit(0), Code.dataDrop(0))
        initialized.data()
        expectValid(initialized)
        var unknownSegment = withMemory([], three, Code.memoryInit(1))
        unknownSegment.data()
        expectInvalid(unknownSegment, "unknown data segment 1")
        var unknownDrop = withMemory([], Code.dataDrop(0))
        unknownDrop.module.dataCount = 0
        expectInvalid(unknownDrop, "unknown data segment 0")
        var noMemory = withMemory([], memory: false, three, Code.memoryInit(0))
        noMemory.data()
        expectInvalid(noMemory, "unknown memory 0")
    }

    @Test func memory64UsesI64Addresses() {
        let features = WasmFeatures.default.union(.memory64)
        var b = ModuleBuilder()
        b.memory(is64: true)
        b.function(
            type: b.type([], [.i64]),
            Code.i64Const(0), Code.memory(.i32Load, align: 2), Code.drop, Code.memorySize)
        expectValid(b, features: features)
        var narrow = ModuleBuilder()
        narrow.memory(is64: true)
        narrow.function(type: narrow.type([], [.i32]), Code.i32Const(0), Code.memory(.i32Load, align: 2))
        expectInvalid(narrow, "type mismatch", features: features)
    }
}

@Suite("Table instructions")
struct TableInstructionTests {
    @Test func getSetSizeGrowFill() {
        expectValid(withTables([.funcref], [.funcref], Code.i32Const(0), Code.tableGet(0)))
        expectValid(withTables([.funcref, .externref], [.externref], Code.i32Const(0), Code.tableGet(1)))
        expectInvalid(
            withTables([.funcref, .externref], [.funcref], Code.i32Const(0), Code.tableGet(1)), "type mismatch")
        expectValid(withTables([.externref], [], Code.i32Const(0), Code.refNull(.externref), Code.tableSet(0)))
        expectInvalid(
            withTables([.externref], [], Code.i32Const(0), Code.refNull(.funcref), Code.tableSet(0)),
            "type mismatch")
        expectValid(withTables([.funcref], [.i32], Code.tableSize(0)))
        expectValid(withTables([.funcref], [.i32], Code.refNull(.funcref), Code.i32Const(1), Code.tableGrow(0)))
        expectInvalid(
            withTables([.funcref], [.i32], Code.i32Const(1), Code.refNull(.funcref), Code.tableGrow(0)),
            "type mismatch")
        expectValid(
            withTables(
                [.funcref], [], Code.i32Const(0), Code.refNull(.funcref), Code.i32Const(1),
                Code.tableFill(0)))
    }

    @Test func tableInstructionsNeedTheTable() {
        expectInvalid(withTables([], [.funcref], Code.i32Const(0), Code.tableGet(0)), "unknown table 0")
        expectInvalid(withTables([.funcref], [.i32], Code.tableSize(1)), "unknown table 1")
        expectInvalid(
            withTables([.funcref], [], Code.i32Const(0), Code.refNull(.funcref), Code.tableSet(2)),
            "unknown table 2")
    }

    @Test func tableCopyNeedsCompatibleElementTypes() {
        let three = Code.i32Const(0) + Code.i32Const(0) + Code.i32Const(0)
        expectValid(withTables([.funcref, .funcref], [], three, Code.tableCopy(0, 1)))
        expectInvalid(withTables([.funcref, .externref], [], three, Code.tableCopy(0, 1)), "type mismatch")
        expectInvalid(withTables([.funcref], [], three, Code.tableCopy(0, 1)), "unknown table 1")
    }

    @Test func tableInitAndElemDrop() {
        let three = Code.i32Const(0) + Code.i32Const(0) + Code.i32Const(0)
        expectValid(withTables([.funcref], segments: [.funcref], [], three, Code.tableInit(0), Code.elemDrop(0)))
        expectInvalid(withTables([.funcref], segments: [.externref], [], three, Code.tableInit(0)), "type mismatch")
        expectInvalid(
            withTables([.funcref], segments: [.funcref], [], three, Code.tableInit(1)),
            "unknown elem segment 1")
        expectInvalid(withTables([.funcref], segments: [], [], Code.elemDrop(4)), "unknown elem segment 4")
        expectInvalid(
            withTables([.funcref], segments: [.funcref], [], Code.i32Const(0), Code.tableInit(0)),
            "type mismatch")
    }
}
