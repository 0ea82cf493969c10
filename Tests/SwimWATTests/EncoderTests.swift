import Testing
import SwimTypes
import SwimWAT

/// Whole modules checked byte for byte against hand-assembled binaries.
@Suite struct EncoderTests {
    @Test func emptyModule() {
        #expect(compile("(module)") == module(""))
        #expect(compile("") == module(""))
        #expect(compile("(module $name)") == module(""))
    }

    @Test func exportedAddFunction() {
        let expected = module(
            """
            01 06 01 60 01 7f 01 7f
            03 02 01 00
            07 05 01 01 66 00 00
            0a 09 01 07 00 20 00 41 01 6a 0b
            """)
        #expect(compile("(module (func (export \"f\") (param i32) (result i32) local.get 0 i32.const 1 i32.add))") == expected)
        // The folded form and a named parameter encode the same.
        #expect(compile("(module (func $add (export \"f\") (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 1))))") == expected)
    }

    @Test func memoryAndActiveData() {
        #expect(compile("(module (memory 1 2) (data (i32.const 16) \"hi\"))") == module(
            """
            05 04 01 01 01 02
            0b 08 01 00 41 10 0b 02 68 69
            """))
    }

    @Test func passiveDataAndMemoryInitEmitDataCount() {
        let expected = module(
            """
            01 04 01 60 00 00
            03 02 01 00
            05 03 01 00 01
            0c 01 01
            0a 11 01 0f 00 41 00 41 00 41 01 fc 08 00 00 fc 09 00 0b
            0b 04 01 01 01 7a
            """)
        let text = """
            (module (memory 1) (data $d "z")
              (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)))
            """
        #expect(compile(text) == expected)
    }

    @Test func mutableGlobalWithInlineExport() {
        #expect(compile("(module (global $g (export \"g\") (mut i64) (i64.const -1)))") == module(
            """
            06 06 01 7e 01 42 7f 0b
            07 05 01 01 67 03 00
            """))
    }

    @Test func imports() {
        let text = """
            (module
              (import "m" "f" (func (param i32)))
              (import "m" "t" (table 1 funcref))
              (import "m" "mem" (memory 1))
              (import "m" "g" (global (mut f32))))
            """
        #expect(compile(text) == module(
            """
            01 05 01 60 01 7f 00
            02 1f 04
               01 6d 01 66 00 00
               01 6d 01 74 01 70 00 01
               01 6d 03 6d 65 6d 02 00 01
               01 6d 01 67 03 7d 01
            """))
    }

    @Test func tableWithInlineElementsAndStart() {
        #expect(compile("(module (table funcref (elem $f $f)) (func $f) (start $f))") == module(
            """
            01 04 01 60 00 00
            03 02 01 00
            04 05 01 70 01 02 02
            08 01 00
            09 08 01 00 41 00 0b 02 00 00
            0a 04 01 02 00 0b
            """))
    }

    @Test func elementSegmentEncodings() {
        // Passive function list (flag 1), declarative (flag 3), expressions (flag 5),
        // active on table 1 (flag 2) and an externref expression list on table 0 (flag 6).
        let text = """
            (module
              (table 1 funcref) (table $t 1 funcref) (table $e 1 externref)
              (func $f)
              (elem func $f)
              (elem declare func $f)
              (elem funcref (ref.func $f) (ref.null func))
              (elem (table $t) (i32.const 0) func $f)
              (elem (table $e) (offset (i32.const 0)) externref (item ref.null extern)))
            """
        #expect(compile(text) == module(
            """
            01 04 01 60 00 00
            03 02 01 00
            04 0a 03 70 00 01 70 00 01 6f 00 01
            09 24 05
               01 00 01 00
               03 00 01 00
               05 70 02 d2 00 0b d0 70 0b
               02 01 41 00 0b 00 01 00
               06 02 41 00 0b 6f 01 d0 6f 0b
            0a 04 01 02 00 0b
            """))
    }

    @Test func typeUseInferenceReusesAndAppends() {
        // The explicit type is reused even though it is declared after its first use;
        // `[] -> [i64]` is appended after all explicit types.
        let text = """
            (module
              (func (param i32))
              (func (result i64) (i64.const 0))
              (type (func (param i32)))
              (func (param i32)))
            """
        let encoded = compile(text)
        let expectedPrefix = module(
            """
            01 09 02 60 01 7f 00 60 00 01 7e
            03 04 03 00 01 00
            """)
        #expect(encoded.map { Array($0.prefix(expectedPrefix.count)) } == expectedPrefix)
    }

    @Test func blockTypesAndLabels() {
        #expect(compile("(func (block (result i32) i32.const 1) drop)") == singleFunctionModule(body: "02 7f 41 01 0b 1a 0b"))
        #expect(compile("(func (block $a (loop $b (br $a) (br $b) (br_if $a (i32.const 0)))))")
            == singleFunctionModule(body: "02 40 03 40 0c 01 0c 00 41 00 0d 01 0b 0b 0b"))
        #expect(compile("(func block $a block $b br_table $a $b 0 end end)")
            == singleFunctionModule(body: "02 40 02 40 0e 02 01 00 00 0b 0b 0b"))
        // A block with parameters uses a type index: [i32] -> [i32] is appended as type 1.
        let multi = compile("(func (i32.const 1) (block (param i32) (result i32)) drop)")
        #expect(multi == module(
            """
            01 09 02 60 00 00 60 01 7f 01 7f
            03 02 01 00
            0a 0a 01 08 00 41 01 02 01 0b 1a 0b
            """))
    }

    @Test func foldedIfElse() {
        #expect(compile("(func (if (i32.const 1) (then nop) (else unreachable)))")
            == singleFunctionModule(body: "41 01 04 40 01 05 00 0b 0b"))
        #expect(compile("(func i32.const 1 if $l nop else $l nop end $l)")
            == singleFunctionModule(body: "41 01 04 40 01 05 01 0b 0b"))
    }

    @Test func callIndirectAndTypedSelect() {
        let text = """
            (module (type $t (func (param i32))) (table 1 funcref)
              (func (param i32) (call_indirect (type $t) (i32.const 0) (i32.const 0))
                (drop (select (result i32) (i32.const 1) (i32.const 2) (local.get 0)))))
            """
        #expect(compile(text) == module(
            """
            01 05 01 60 01 7f 00
            03 02 01 00
            04 04 01 70 00 01
            0a 15 01 13 00 41 00 41 00 11 00 00 41 01 41 02 20 00 1c 01 7f 1a 0b
            """))
    }

    @Test func memoryInstructions() {
        let text = """
            (module (memory 1)
              (func (drop (i32.load offset=8 align=2 (i32.const 0)))
                (i64.store8 (i32.const 0) (i64.const 0))
                (drop (memory.grow (memory.size)))))
            """
        #expect(compile(text) == module(
            """
            01 04 01 60 00 00
            03 02 01 00
            05 03 01 00 01
            0a 16 01 14 00 41 00 28 01 08 1a 41 00 42 00 3c 00 00 3f 00 40 00 1a 0b
            """))
    }

    @Test func localsAreGroupedIntoRuns() {
        #expect(compile("(func (local i32 i32) (local $x i64) (local i32))")
            == singleFunctionModule(body: "0b", locals: "03 02 7f 01 7e 01 7f"))
    }

    @Test func simdInstructions() {
        #expect(compile("(func (drop (v128.const i32x4 1 2 3 0xffffffff)))")
            == singleFunctionModule(body: "fd 0c 01 00 00 00 02 00 00 00 03 00 00 00 ff ff ff ff 1a 0b"))
        #expect(compile("(func (drop (v128.const f32x4 1 -0 inf nan)))")
            == singleFunctionModule(body: "fd 0c 00 00 80 3f 00 00 00 80 00 00 80 7f 00 00 c0 7f 1a 0b"))
        #expect(compile("(func (drop (v128.const i8x16 -1 255 0 1 2 3 4 5 6 7 8 9 10 11 12 -128)))")
            == singleFunctionModule(body: "fd 0c ff ff 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 80 1a 0b"))
        #expect(compile("(func (param v128) (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0))))")
            .map { Array($0.suffix(20)) } == bytes("fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 1f 1a 0b"))
        let laneText = """
            (module (memory 1) (func (param v128) (result v128)
              (v128.load8_lane offset=4 align=1 3 (i32.const 0) (local.get 0))
              (i32x4.extract_lane 2) drop (local.get 0) (i32x4.add (local.get 0))))
            """
        let lanes = compile(laneText)
        #expect(lanes.map { Array($0.suffix(21)) } == bytes("41 00 20 00 fd 54 00 04 03 fd 1b 02 1a 20 00 20 00 fd ae 01 0b"))
    }

    @Test func relaxedSIMDInstructions() {
        // Sub-opcodes 0x100 and up take two LEB128 bytes: 0x105 is 85 02, 0x113 is 93 02.
        let madd = "(func (param v128) (drop (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))"
        #expect(compile(madd).map { Array($0.suffix(11)) } == bytes("20 00 20 00 20 00 fd 85 02 1a 0b"))
        let dot = "(func (param v128) (drop (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 0) (local.get 0))))"
        #expect(compile(dot).map { Array($0.suffix(11)) } == bytes("20 00 20 00 20 00 fd 93 02 1a 0b"))
        // Without the feature the mnemonics are unknown.
        let error = compileError(madd, features: WasmFeatures.default.subtracting(.relaxedSimd))
        #expect(error?.description.contains("unknown operator") == true)
        #expect(error?.description.contains("relaxed SIMD is not enabled") == true)
    }

    @Test func integerConstantsUseSignedLEB() {
        #expect(compile("(func (drop (i32.const -1)) (drop (i32.const 0xFFFF_FFFF)) (drop (i32.const 2147483648)))")
            == singleFunctionModule(body: "41 7f 1a 41 7f 1a 41 80 80 80 80 78 1a 0b"))
        #expect(compile("(func (drop (i64.const -9223372036854775808)) (drop (i64.const 0x7fffffffffffffff)))")
            == singleFunctionModule(body: "42 80 80 80 80 80 80 80 80 80 7f 1a 42 ff ff ff ff ff ff ff ff ff 00 1a 0b"))
    }

    @Test func floatConstantsAreLittleEndianBits() {
        #expect(compile("(func (drop (f32.const 1.5)) (drop (f64.const -0x1p-1074)))")
            == singleFunctionModule(body: "43 00 00 c0 3f 1a 44 01 00 00 00 00 00 00 80 1a 0b"))
    }

    @Test func referenceInstructions() {
        #expect(compile("(module (func $f (drop (ref.is_null (ref.null extern))) (drop (ref.func $f))) (elem declare func $f))")
            == module(
                """
                01 04 01 60 00 00
                03 02 01 00
                09 05 01 03 00 01 00
                0a 0b 01 09 00 d0 6f d1 1a d2 00 1a 0b
                """))
    }

    @Test func tableInstructionsDefaultToTableZero() {
        let text = """
            (module (table $a 1 funcref) (table $b 1 funcref) (elem $e func)
              (func (table.init $b $e (i32.const 0) (i32.const 0) (i32.const 0))
                (table.init $e (i32.const 0) (i32.const 0) (i32.const 0))
                (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0))
                (drop (table.size))
                (elem.drop $e)))
            """
        let encoded = compile(text)
        let body = bytes(
            """
            41 00 41 00 41 00 fc 0c 00 01
            41 00 41 00 41 00 fc 0c 00 00
            41 00 41 00 41 00 fc 0e 00 01
            fc 10 00 1a
            fc 0d 00 0b
            """)
        #expect(encoded.map { Array($0.suffix(body.count)) } == body)
    }
}
