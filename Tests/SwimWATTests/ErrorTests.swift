import Testing
import SwimWAT

/// Malformed text: every error is thrown (never a crash), names the problem and points at it.
@Suite struct ErrorTests {
    func expectError(_ text: String, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = compileError(text, sourceLocation: sourceLocation) else { return }
        #expect(error.message.contains(fragment), "\(error) should mention \"\(fragment)\"", sourceLocation: sourceLocation)
    }

    @Test func unknownIdentifiers() {
        expectError("(func (call $missing))", containing: "unknown func $missing")
        expectError("(func (drop (global.get $g)))", containing: "unknown global $g")
        expectError("(func (local.get $x))", containing: "unknown local $x")
        expectError("(func (drop (table.size $t)))", containing: "unknown table $t")
        expectError("(func (drop (memory.size $m)))", containing: "unknown memory $m")
        expectError("(func (type $t))", containing: "unknown type $t")
        expectError("(func (elem.drop $e))", containing: "unknown elem $e")
        expectError("(func (data.drop $d))", containing: "unknown data $d")
        expectError("(func (br $l))", containing: "unknown label $l")
        expectError("(export \"f\" (func $f))", containing: "unknown func $f")
        expectError("(start $s)", containing: "unknown func $s")
    }

    @Test func labelsAreScopedToTheirBlock() {
        expectError("(func (block $l) (br $l))", containing: "unknown label $l")
        expectError("(func (block $a (block $l0 (i32.const 0) (br_table $l0 $l))))", containing: "unknown label $l")
    }

    @Test func duplicateIdentifiers() {
        expectError("(func $f) (func $f)", containing: "duplicate func $f")
        expectError("(import \"\" \"\" (func $f)) (func $f)", containing: "duplicate func $f")
        expectError("(global $g i32 (i32.const 0)) (global $g i32 (i32.const 0))", containing: "duplicate global $g")
        expectError("(memory $m 1) (memory $m 1)", containing: "duplicate memory $m")
        expectError("(table $t 1 funcref) (table $t 1 funcref)", containing: "duplicate table $t")
        expectError("(type $t (func)) (type $t (func))", containing: "duplicate type $t")
        expectError("(elem $e func) (elem $e func)", containing: "duplicate elem $e")
        expectError("(data $d \"\") (data $d \"\")", containing: "duplicate data $d")
        expectError("(func (param $x i32) (local $x i32))", containing: "duplicate local $x")
        expectError("(func (param $x i32) (param $x i32))", containing: "duplicate local $x")
    }

    @Test func mismatchedParentheses() {
        expectError("(module (func)", containing: "unclosed")
        expectError("(module (func)))", containing: "unexpected `)`")
        expectError("(module (func (block)", containing: "unclosed")
        expectError("(; never closed", containing: "unterminated block comment")
    }

    @Test func unknownOperatorsAndTokens() {
        expectError("(func (i32.bogus))", containing: "unknown operator `i32.bogus`")
        expectError("(func (drop (get_local 0)))", containing: "unknown operator `get_local`")
        expectError("(func (drop (i32.const0)))", containing: "unknown operator")
        expectError("(func br 0drop)", containing: "unknown operator")
        expectError("(data $l\"a\")", containing: "unknown operator")
        expectError("(func (nop) (local i32))", containing: "unexpected token")
        expectError("(func (result i32) (param i32) (i32.const 0))", containing: "unexpected token")
        expectError("(bogus)", containing: "unknown module field `bogus`")
    }

    @Test func tailCallsNeedTheFeature() {
        #expect(compileError("(func (return_call 0))", features: .wasm2)?.message.contains("unknown operator") == true)
        #expect((try? wat2wasm("(func (return_call 0))")) != nil)
    }

    @Test func mismatchingLabels() {
        expectError("(func block end $l)", containing: "mismatching label")
        expectError("(func block $a end $l)", containing: "mismatching label")
        expectError("(func i32.const 0 if $a else $l end)", containing: "mismatching label")
    }

    @Test func inlineFunctionTypeMustMatch() {
        expectError("(type $sig (func)) (func (type $sig) (result i32) (i32.const 0))", containing: "inline function type")
        expectError(
            "(type $sig (func (param i32) (result i32))) (func (block (type $sig) (result i32) (i32.const 0)))",
            containing: "inline function type")
        expectError(
            "(type $sig (func)) (table 0 funcref) (func (call_indirect (type $sig) (result i32) (i32.const 0)))",
            containing: "inline function type")
        // Block parameters cannot be named.
        expectError("(func (block (param $x i32)))", containing: "unexpected token")
    }

    @Test func fieldOrderRules() {
        expectError("(func) (import \"\" \"\" (func))", containing: "import after function")
        expectError("(global i64 (i64.const 0)) (import \"\" \"\" (memory 1))", containing: "import after global")
        expectError("(func $a) (start $a) (start $a)", containing: "multiple start sections")
    }

    @Test func simdLaneErrors() {
        expectError("(func (drop (i8x16.shuffle 0 1 2)))", containing: "16 lane indices")
        expectError("(func (drop (i8x16.extract_lane_s (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))", containing: "lane index")
        expectError("(func (drop (i32x4.extract_lane +1 (v128.const i32x4 0 0 0 0))))", containing: "unexpected token")
        expectError("(func (drop (v128.const i32x4 0 0 0)))", containing: "4 lanes")
    }

    @Test func errorPositionsAreLinesAndColumns() {
        let error = compileError("(module\n  (func\n    (call $nowhere)))")
        #expect(error?.line == 3)
        #expect(error?.column == 11)
        #expect(error?.description == "3:11: unknown func $nowhere")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let depth = 100_000
        let text = "(func " + String(repeating: "(block ", count: depth) + String(repeating: ")", count: depth) + ")"
        expectError(text, containing: "nesting too deep")
        let plain = "(func " + String(repeating: "block ", count: depth) + String(repeating: "end ", count: depth) + ")"
        expectError(plain, containing: "nesting too deep")
        // Nesting up to the limit works, and fits on the stack.
        let allowed = 2_990
        #expect(compile("(func " + String(repeating: "(block ", count: allowed) + String(repeating: ")", count: allowed) + ")") != nil)
        #expect(compile("(func " + String(repeating: "block ", count: allowed) + String(repeating: "end ", count: allowed) + ")") != nil)
    }

    @Test func garbageNeverCrashes() {
        // Truncations of a valid module at every position either compile or throw.
        let text = """
            (module (type $t (func (param i32) (result i32))) (import "m" "f" (func $i (type $t)))
              (memory 1) (table 2 funcref) (global $g (mut f64) (f64.const -0x1.8p3))
              (func $f (export "f") (param $x i32) (result i32) (local $y v128)
                (block $b (result i32) (br_if $b (local.get $x) (i32.eqz (local.get $x))) (call $i)))
              (elem (i32.const 0) $f $i) (data (i32.const 8) "\\00\\ff") (start 0))
            """
        let characters = Array(text)
        for end in 0...characters.count {
            _ = try? wat2wasm(String(characters[0..<end]))
        }
        for garbage in ["(", ")", "\"", "$", "(;", ";;", "(@", "0x", "nan:0x", "(module binary \"\\", "(func (i32.const -))"] {
            _ = try? wat2wasm(garbage)
        }
    }
}
