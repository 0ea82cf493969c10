import Testing
import SwimWAT

/// Each abbreviation of the text format must encode exactly like its expansion.
@Suite struct AbbreviationTests {
    func expectSame(_ abbreviated: String, _ expanded: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let a = compile(abbreviated, sourceLocation: sourceLocation)
        let b = compile(expanded, sourceLocation: sourceLocation)
        #expect(a != nil && a == b, "\(abbreviated) should encode like \(expanded)", sourceLocation: sourceLocation)
    }

    @Test func inlineExports() {
        expectSame(
            "(module (func $f (export \"a\") (export \"b\")))",
            "(module (func $f) (export \"a\" (func $f)) (export \"b\" (func $f)))")
        expectSame("(module (memory (export \"m\") 1))", "(module (memory $m 1) (export \"m\" (memory $m)))")
        expectSame("(module (table (export \"t\") 1 funcref))", "(module (table 1 funcref) (export \"t\" (table 0)))")
        expectSame(
            "(module (global (export \"g\") i32 (i32.const 0)))",
            "(module (global i32 (i32.const 0)) (export \"g\" (global 0)))")
    }

    @Test func inlineImports() {
        expectSame(
            "(module (func $f (import \"m\" \"f\") (param i32) (result i32)))",
            "(module (type (func (param i32) (result i32))) (import \"m\" \"f\" (func $f (type 0))))")
        expectSame("(module (table (import \"m\" \"t\") 1 2 externref))", "(module (import \"m\" \"t\" (table 1 2 externref)))")
        expectSame("(module (memory (import \"m\" \"mem\") 1))", "(module (import \"m\" \"mem\" (memory 1)))")
        expectSame("(module (global (import \"m\" \"g\") (mut i32)))", "(module (import \"m\" \"g\" (global (mut i32))))")
        // An inline import with an inline export.
        expectSame(
            "(module (func (export \"e\") (import \"m\" \"f\")))",
            "(module (import \"m\" \"f\" (func)) (export \"e\" (func 0)))")
    }

    @Test func importsComeFirstInTheIndexSpace() {
        // The imported function is index 0 although the definition comes first in the text.
        expectSame(
            "(module (import \"m\" \"f\" (func $imported)) (func $defined (call $imported) (call $defined)))",
            "(module (import \"m\" \"f\" (func)) (func (call 0) (call 1)))")
    }

    @Test func inlineTableElements() {
        expectSame(
            "(module (table $t funcref (elem $f $g)) (func $f) (func $g))",
            "(module (table $t 2 2 funcref) (elem (table $t) (i32.const 0) func $f $g) (func $f) (func $g))")
        expectSame(
            "(module (table funcref (elem (ref.func 0) (ref.null func))) (func))",
            "(module (table 2 2 funcref) (elem (table 0) (offset (i32.const 0)) funcref (item ref.func 0) (item ref.null func)) (func))")
    }

    @Test func inlineMemoryData() {
        expectSame(
            "(module (memory (data \"ab\" \"c\")))",
            "(module (memory 1 1) (data (memory 0) (offset (i32.const 0)) \"abc\"))")
        expectSame("(module (memory (data)))", "(module (memory 0 0) (data (i32.const 0)))")
    }

    @Test func offsetsAndElementLists() {
        expectSame("(module (table 1 funcref) (func $f) (elem (i32.const 0) $f))", "(module (table 1 funcref) (func $f) (elem (table 0) (offset (i32.const 0)) func $f))")
        expectSame("(module (memory 1) (data (i32.const 1) \"x\"))", "(module (memory 1) (data (memory 0) (offset (i32.const 1)) \"x\"))")
        expectSame(
            "(module (func $f) (elem funcref (ref.func $f)))",
            "(module (func $f) (elem funcref (item (ref.func $f))))")
    }

    @Test func typeUses() {
        // Inline signature alone, (type) alone and both together are the same function.
        expectSame(
            "(module (type $t (func (param i32) (result i64))) (func (param i32) (result i64) (i64.const 0)))",
            "(module (type $t (func (param i32) (result i64))) (func (type $t) (i64.const 0)))")
        expectSame(
            "(module (type $t (func (param i32) (result i64))) (func (type $t) (param $x i32) (result i64) (i64.const 0)))",
            "(module (type $t (func (param i32) (result i64))) (func (type 0) (i64.const 0)))")
        expectSame("(module (func (param i32 i64) (param f32)))", "(module (func (param i32) (param i64) (param f32)))")
        expectSame("(module (func (result i32 i64) unreachable))", "(module (func (result i32) (result i64) unreachable))")
    }

    @Test func foldedInstructions() {
        expectSame(
            "(module (func (result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3)))))",
            "(module (func (result i32) i32.const 1 i32.const 2 i32.const 3 i32.mul i32.add))")
        expectSame(
            "(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))))",
            "(module (func (result i32) i32.const 1 if (result i32) i32.const 2 else i32.const 3 end))")
        expectSame(
            "(module (func (block $l (loop (br_if $l (i32.const 0))))))",
            "(module (func block $l loop i32.const 0 br_if 1 end end))")
        expectSame(
            "(module (func (if (i32.const 0) (then))))",
            "(module (func i32.const 0 if end))")
    }

    @Test func foldedIfConditionIsOutsideTheLabel() {
        // `br 0` in the condition targets the function body, not the if.
        expectSame(
            "(module (func (block $outer (if $inner (br_if $outer (i32.const 1) (i32.const 1)) (then)))))",
            "(module (func block i32.const 1 i32.const 1 br_if 0 if end end))")
    }

    @Test func memoryArgumentDefaults() {
        expectSame("(module (memory 1) (func (drop (i64.load (i32.const 0)))))", "(module (memory 1) (func (drop (i64.load offset=0 align=8 (i32.const 0)))))")
        expectSame("(module (memory 1) (func (drop (i32.load offset=0x10 (i32.const 0)))))", "(module (memory 1) (func (drop (i32.load offset=16 (i32.const 0)))))")
    }

    @Test func callIndirectTableAndInlineType() {
        expectSame(
            "(module (table 1 funcref) (func (call_indirect (param i32) (i32.const 0) (i32.const 0))))",
            "(module (type (func)) (type (func (param i32))) (table 1 funcref) (func (type 0) (call_indirect 0 (type 1) (i32.const 0) (i32.const 0))))")
    }

    @Test func moduleWrapperIsOptional() {
        expectSame("(func) (memory 1)", "(module (func) (memory 1))")
        expectSame("(module $m (func))", "(module (func))")
    }

    @Test func binaryAndQuoteModules() {
        #expect(compile("(module binary \"\\00asm\" \"\\01\\00\\00\\00\")") == module(""))
        expectSame("(module quote \"(func (export \\\"f\\\"))\")", "(module (func (export \"f\")))")
    }

    @Test func identifierForms() {
        // `$"..."` names (Wasm 3.0) are the same as plain ones.
        expectSame("(module (func $\"my func\") (func (call $\"my func\")))", "(module (func $f) (func (call $f)))")
    }
}
