import Testing
import SwimParser
import SwimTypes
import SwimWAT

/// GC's types in the text format: `rec`, `sub`, struct and array types with field names, the
/// abstract heap types, and implicit type uses.
@Suite struct GCTypeTextTests {
    @Test func recursionGroupsAndSubtypes() {
        let text = """
            (module
              (rec (type $a (sub (struct (field $x i8) (field $y (mut i16))))) (type $b (sub final $a (struct (field i8 (mut i16) anyref)))))
              (type (array (mut (ref null $b))))
              (type (sub (func (param nullref) (result (ref none))))))
            """
        #expect(compile(text) == module(
            """
            01 22 03
               4e 02 50 00 5f 02 78 00 77 01
                     4f 01 00 5f 03 78 00 77 01 6e 00
               5e 63 01 01
               50 00 60 01 71 01 64 71
            """))
    }

    @Test func abstractHeapTypesAndTheirShorthands() throws {
        let bytes = try #require(compile("""
            (module (func (param anyref eqref i31ref structref arrayref nullref nullfuncref nullexternref)
                          (param (ref any) (ref eq) (ref i31) (ref struct) (ref array) (ref none) (ref nofunc) (ref noextern))))
            """))
        let parameters = try parseModule(bytes: bytes).functionType(0).parameters
        let heaps: [HeapType] = [.any, .eq, .i31, .struct, .array, .none, .nofunc, .noextern]
        #expect(parameters == heaps.map { .ref(RefType(nullable: true, heapType: $0)) }
            + heaps.map { .ref(RefType(nullable: false, heapType: $0)) })
        let noGC = WasmFeatures.default.subtracting(.gc)
        #expect(compileError("(module (func (param anyref)))", features: noGC) != nil)
        #expect(compileError("(module (type (struct)))", features: noGC) != nil)
        #expect(compileError("(module (rec (type (func))))", features: noGC) != nil)
        #expect(compileError("(module (type (sub (func))))", features: noGC) != nil)
    }

    @Test func fieldNamesMustBeUnique() {
        #expect(compileError("(module (type (struct (field $x i32) (field $x i32))))")?.message.contains("duplicate field") == true)
        // The same field name in two types is fine.
        #expect(compile("(module (type (struct (field $x i32))) (type (struct (field $x i64))))") != nil)
    }

    @Test func implicitTypeUsesPickOnlyLoneFinalFunctionTypes() throws {
        // A function type in a bigger group, or open to subtypes, is not what `(func)` means.
        for types in ["(rec (type (func)) (type (struct)))", "(type (sub (func)))"] {
            let bytes = try #require(compile("(module \(types) (func))"))
            let module = try parseModule(bytes: bytes)
            #expect(module.functions == [UInt32(module.types.count - 1)], "\(types)")
        }
        let bytes = try #require(compile("(module (rec (type (func))) (func))"))
        #expect(try parseModule(bytes: bytes).functions == [0])
    }
}
