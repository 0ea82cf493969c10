import Testing
import SwimWAT
import SwimParser
import SwimTypes

/// Annotations: `@custom` sections, `@name` names and branch hints, encoded as wasm-tools
/// 1.262 encodes them (the expected bytes are its `wasm-tools parse` output); every other
/// annotation is white space.
@Suite struct AnnotationTests {
    @Test func customSectionsGoWhereTheirPlacementSays() {
        let text = """
            (module
              (type (func))
              (@custom "a" "1")
              (@custom "b" (before global) "2")
              (@custom "c" (after func) "3" "4")
              (func)
              (@custom "d" (before first))
              (global i32 (i32.const 0))
              (@custom "e" (after table) "5")
              (@custom "f" (before code) "6")
            )
            """
        // d, type, func, c (after func), e (after table), b (before global), global, f, code, a.
        #expect(compile(text) == bytes("""
            0061736d010000000002016401040160000003020100000401633334000301653500030162320606017f0041000b0003
            0166360a040102000b0003016131
            """))
    }

    @Test func customSectionsWithTheSamePlacementKeepTheirOrder() throws {
        let module = try #require(compile("""
            (@custom "x" "1") (func) (@custom "y" (after last) "2") (@custom "x" (after data) "3")
            """))
        let decoded = try parseModule(bytes: module)
        #expect(decoded.customSections.map(\.name) == ["x", "y", "x"])
        #expect(decoded.customSections.map { Array(module[$0.range]) } == [[0x31], [0x32], [0x33]])
    }

    @Test func aModuleOfAnnotationsAlone() throws {
        #expect(compile("(@custom \"bla\")") == bytes("0061736d01000000 0004 03 626c61"))
        #expect(compile("(module (@custom \"bla\"))") == bytes("0061736d01000000 0004 03 626c61"))
    }

    @Test func namesOfTheModuleAndItsFunctions() throws {
        let text = """
            (module (@name "M")
              (import "m" "f" (func))
              (func (@name "λ"))
              (func)
              (func (@name "g")))
            """
        let module = try #require(compile(text))
        #expect(module == bytes("""
            0061736d01000000010401600000020701016d016600000304030000000a0a0302000b02000b02000b0013046e616d65
            0002014d0108020102cebb030167
            """))
        let names = try #require(try parseModule(bytes: module).names)
        #expect(names.moduleName == "M")
        #expect(names.functionNames == [1: "λ", 3: "g"])
    }

    @Test func aNameAfterTheFunctionsIdentifierAndExports() throws {
        let module = try #require(compile("(module (func $f (export \"e\") (@name \"named\") (param i32)))"))
        #expect(try parseModule(bytes: module).names?.functionNames == [0: "named"])
    }

    @Test func branchHintsBeforeIfAndBrIf() {
        // Plain `if`, folded `br_if` (after its operand), a folded `if` whose condition holds
        // another `if`, and a hint inside `then`.
        let text = #"""
            (module
              (func (param i32) (local i64)
                local.get 0
                (@metadata.code.branch_hint "\01") if end
                (block (@metadata.code.branch_hint "\00") (br_if 0 (local.get 0)))
                (@metadata.code.branch_hint "\00")
                (if (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 0)))
                  (then (@metadata.code.branch_hint "\01") (if (local.get 0) (then))))))
            """#
        #expect(compile(text) == bytes("""
            0061736d0100000001050160017f00030201000029196d657461646174612e636f64652e6272616e63685f68696e7401
            00040501010c01001901001d01010a24012201017e200004400b024020000d000b2000047f41010541000b0440200004
            400b0b0b
            """))
    }

    @Test func otherAnnotationsAreWhiteSpace() {
        #expect(compile("(module (@a x (y)) (func (@b) (@c \"s\") nop) (@custom2 \"z\"))") == compile("(module (func nop))"))
        // @name inside an unknown annotation is not a name.
        #expect(compile("(module (@a (@name \"x\")))") == compile("(module)"))
    }

    @Test(arguments: [
        ("(@custom)", "@custom annotation: missing section name"),
        ("(@custom 4)", "@custom annotation: missing section name"),
        ("(@custom \"\\df\")", "@custom annotation: malformed UTF-8 encoding"),
        ("(@custom \"bla\" here)", "@custom annotation: unexpected token"),
        ("(@custom \"bla\" (after))", "@custom annotation: malformed section kind"),
        ("(@custom \"bla\" (type))", "@custom annotation: malformed placement"),
        ("(@custom \"bla\" (before types))", "@custom annotation: malformed section kind"),
        ("(@custom \"bla\" (before type x))", "@custom annotation: unexpected token"),
        ("(type (@custom \"bla\") $t (func))", "misplaced @custom annotation"),
        ("(func (nop (@custom \"bla\")))", "misplaced @custom annotation"),
        ("(module (@name \"M1\") (@name \"M2\"))", "@name annotation: multiple module names"),
        ("(module (func) (@name \"M\"))", "misplaced @name annotation"),
        ("(module (start $f (@name \"M\")) (func $f))", "misplaced @name annotation"),
        ("(module (func (param i32) (@name \"f\")))", "misplaced @name annotation"),
        ("(module (func (@name \"f\") (@name \"g\")))", "@name annotation: multiple function names"),
        ("(module (@name 1))", "@name annotation: string expected"),
        ("(module (@name \"a\" \"b\"))", "@name annotation: unexpected token"),
        ("(@name \"M\") (module)", "misplaced @name annotation"),
        ("(module (@metadata.code.branch_hint \"\\01\") (func))", "@metadata.code.branch_hint annotation: not in a function"),
        ("(func (@metadata.code.branch_hint \"\\01\") (@metadata.code.branch_hint \"\\01\") i32.const 0 if end)",
         "@metadata.code.branch_hint annotation: duplicate annotation"),
        ("(func (@metadata.code.branch_hint \"\\02\") i32.const 0 if end)", "@metadata.code.branch_hint annotation: invalid hint value"),
        ("(func (@metadata.code.branch_hint x) i32.const 0 if end)", "@metadata.code.branch_hint annotation: unexpected token"),
        ("(func i32.const 0 (@metadata.code.branch_hint \"\\01\") drop)", "@metadata.code.branch_hint annotation: invalid target"),
        ("(func (@metadata.code.branch_hint \"\\01\") (block))", "@metadata.code.branch_hint annotation: invalid target"),
        ("(func i32.const 0 if (@metadata.code.branch_hint \"\\01\") end)", "@metadata.code.branch_hint annotation: invalid placement"),
    ])
    func malformedOrMisplacedAnnotations(text: String, message: String) {
        #expect(compileError(text)?.message == message, "\(text)")
    }
}
