import Testing
import SwimTypes
import SwimValidation

@Suite("Module-level rules")
struct ModuleRulesTests {
    @Test func emptyModuleIsValid() throws {
        let info = try #require(expectValid(ModuleBuilder()))
        #expect(info.functions.isEmpty)
    }

    @Test func functionTypeIndexMustExist() {
        var b = ModuleBuilder()
        b.type()
        b.module.functions.append(3)
        b.module.codes.append(FunctionBody(locals: [], localCount: 0, range: 0..<0))
        expectInvalid(b, "unknown type 3")
    }

    @Test func importedFunctionTypeMustExist() {
        var b = ModuleBuilder()
        b.type([], [.i32])
        b.importFunction(type: 1)
        expectInvalid(b, "unknown type")
        var ok = ModuleBuilder()
        ok.type([], [.i32])
        ok.importFunction(type: 0)
        expectValid(ok)
    }

    @Test func codeCountMustMatchFunctionCount() {
        var b = ModuleBuilder()
        b.type()
        b.module.functions.append(0)
        expectInvalid(b, "function and code section have inconsistent lengths")
    }

    @Test func severalResultsNeedMultiValue() {
        let b = singleFunction([], [.i32, .i32], Code.i32Const(1), Code.i32Const(2))
        expectValid(b)
        expectInvalid(b, "invalid result arity", features: WasmFeatures.wasm2.subtracting(.multiValue))
    }

    // MARK: Exports

    @Test func exportNamesAreUnique() {
        var b = ModuleBuilder()
        let f = b.function(type: b.type())
        b.export("a", .function(f))
        b.export("b", .function(f))
        expectValid(b)
        b.export("a", .function(f))
        expectInvalid(b, "duplicate export name")
    }

    @Test func exportNamesCompareAsBytesNotAsUnicode() {
        // "Å" precomposed and "A" + combining ring are equal Swift strings but distinct names.
        var b = ModuleBuilder()
        let f = b.function(type: b.type())
        b.export("\u{C5}", .function(f))
        b.export("A\u{30A}", .function(f))
        expectValid(b)
    }

    @Test func exportedEntitiesMustExist() {
        for (descriptor, message) in [
            (ExportDescriptor.function(0), "unknown function 0"), (.table(0), "unknown table 0"),
            (.memory(0), "unknown memory 0"), (.global(0), "unknown global 0"),
        ] {
            var b = ModuleBuilder()
            b.export("x", descriptor)
            expectInvalid(b, message)
        }
    }

    @Test func mutableGlobalsNeedTheirFeatureToCrossTheBoundary() {
        var imported = ModuleBuilder()
        imported.importGlobal(.i32, mutable: true)
        expectValid(imported)
        expectInvalid(imported, "mutable globals cannot be imported", features: .mvp)

        var exported = ModuleBuilder()
        exported.global(.i32, mutable: true, .i32Const(0))
        exported.export("g", .global(0))
        expectValid(exported)
        expectInvalid(exported, "mutable globals cannot be exported", features: .mvp)
    }

    // MARK: Start

    @Test func startFunctionMustTakeAndReturnNothing() {
        var ok = ModuleBuilder()
        ok.module.start = ok.function(type: ok.type())
        expectValid(ok)

        var withResult = ModuleBuilder()
        withResult.module.start = withResult.function(type: withResult.type([], [.i32]), Code.i32Const(0))
        expectInvalid(withResult, "start function")

        var withParameter = ModuleBuilder()
        withParameter.module.start = withParameter.function(type: withParameter.type([.i32], []))
        expectInvalid(withParameter, "start function")

        var missing = ModuleBuilder()
        missing.function(type: missing.type())
        missing.module.start = 1
        expectInvalid(missing, "unknown function")
    }

    // MARK: Memories and tables

    @Test func atMostOneMemoryWithoutMultiMemory() {
        var two = ModuleBuilder()
        two.memory(min: 0)
        two.memory(min: 0)
        expectInvalid(two, "multiple memories", features: .wasm2)
        expectValid(two, features: WasmFeatures.default.union(.multiMemory))

        var importedAndDefined = ModuleBuilder()
        importedAndDefined.importMemory()
        importedAndDefined.memory(min: 0)
        expectInvalid(importedAndDefined, "multiple memories", features: .wasm2)
    }

    @Test func memoryLimits() {
        for (min, max, valid) in [
            (UInt64(0), UInt64?.none, true), (1, 1, true), (65536, 65536, true), (0, 65536, true),
            (65537, nil, false), (0, 65537, false), (1, 0, false),
        ] {
            var b = ModuleBuilder()
            b.memory(min: min, max: max)
            if valid {
                expectValid(b)
            } else if min > 65536 || (max ?? 0) > 65536 {
                expectInvalid(b, "memory size must be at most 65536 pages (4GiB)")
            } else {
                expectInvalid(b, "size minimum must not be greater than maximum")
            }
        }
        var imported = ModuleBuilder()
        imported.importMemory(min: 2, max: 1)
        expectInvalid(imported, "size minimum must not be greater than maximum")
    }

    @Test func memory64NeedsItsFeatureAndAllowsLargerLimits() {
        var b = ModuleBuilder()
        b.memory(min: 70000, is64: true)
        expectInvalid(b, "64-bit memory requires the memory64 feature", features: .wasm2)
        expectValid(b, features: WasmFeatures.default.union(.memory64))
    }

    @Test func tableLimits() {
        var ok = ModuleBuilder()
        ok.table(min: 0, max: 0xFFFF_FFFF)
        expectValid(ok)
        var inverted = ModuleBuilder()
        inverted.table(min: 1, max: 0)
        expectInvalid(inverted, "size minimum must not be greater than maximum")
        var tooLarge = ModuleBuilder()
        tooLarge.table(min: 0x1_0000_0000)
        expectInvalid(tooLarge, "table size must be at most 2^32-1")
    }

    @Test func severalTablesNeedReferenceTypes() {
        var b = ModuleBuilder()
        b.table()
        b.table(.externref)
        expectValid(b)
        expectInvalid(b, "multiple tables", features: .mvp)
    }
}
