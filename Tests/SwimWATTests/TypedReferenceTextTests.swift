import Testing
import SwimParser
import SwimTypes
import SwimWAT

/// Typed function references in the text format, checked against hand-assembled binaries.
@Suite struct TypedReferenceTextTests {
    @Test func referenceTypesAndInstructions() {
        let text = """
            (module (type $t (func))
              (func (param (ref null $t)) (result (ref $t))
                (block $l (br_on_null $l (local.get 0)) (return))
                (call_ref $t (ref.as_non_null (local.get 0)))
                (return_call_ref $t (local.get 0)))
              (func (param (ref extern)) (drop (block (result (ref extern)) (br_on_non_null 0 (local.get 0)) (unreachable)))))
            """
        #expect(compile(text) == module(
            """
            01 10 03 60 00 00 60 01 63 00 01 64 00 60 01 64 6f 00
            03 03 02 01 02
            0a 22 02
               13 00 02 40 20 00 d5 00 0f 0b 20 00 d4 14 00 20 00 15 00 0b
               0c 00 02 64 6f 20 00 d6 00 00 0b 1a 0b
            """))
    }

    @Test func theOperatorsNeedTheirProposals() {
        let wasm2 = WasmFeatures.wasm2
        for text in ["(func (call_ref 0))", "(func (ref.as_non_null))", "(func (br_on_null 0))", "(func (br_on_non_null 0))"] {
            #expect(compileError(text, features: wasm2)?.message.contains("unknown operator") == true, "\(text)")
        }
        let noTailCalls = WasmFeatures.default.subtracting(.tailCall)
        #expect(compileError("(func (return_call_ref 0))", features: noTailCalls)?.message.contains("unknown operator") == true)
    }

    @Test func tablesWithAnInitialValue() {
        #expect(compile("(module (func $f) (table 2 (ref func) (ref.func $f)))") == module(
            """
            01 04 01 60 00 00
            03 02 01 00
            04 0a 01 40 00 64 70 00 02 d2 00 0b
            0a 04 01 02 00 0b
            """))
    }

    /// `(table reftype (elem $f))`: the items take the table's type, which the binary form of
    /// function indices (always `(ref func)`) cannot carry, so they become `ref.func` expressions.
    @Test func inlineElementsOfATypedTable() throws {
        let wasm = try wat2wasm("(module (type $t (func)) (func $f (type $t)) (table $tab (ref null $t) (elem $f)))")
        let decoded = try parseModule(bytes: wasm)
        let typed = RefType(nullable: true, heapType: .index(0))
        #expect(decoded.tables.map(\.type) == [TableType(elementType: typed, limits: Limits(min: 1, max: 1))])
        try #require(decoded.elements.count == 1)
        #expect(decoded.elements[0].type == typed)
        guard case .expressions(let items) = decoded.elements[0].items else {
            Issue.record("expected expressions, got \(decoded.elements[0].items)")
            return
        }
        #expect(items.map(\.instructions) == [[.refFunc(0)]])
    }
}
