import Testing
import SwimWAT
import SwimTypes

/// The `.wast` script language: commands, actions, constants and expected results.
@Suite struct WastParserTests {
    func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [WastCommand] {
        do {
            return try parseWast(text)
        } catch {
            Issue.record("parseWast failed: \(error)", sourceLocation: sourceLocation)
            return []
        }
    }

    @Test func modulesKeepTheirFormAndName() throws {
        let commands = parse(
            """
            (module $M (func (export "f")))
            (module binary "\\00asm" "\\01\\00\\00\\00")
            (module $Q quote "(func" " (export \\"g\\"))")
            (module definition $D (memory 1))
            (module instance $I $D)
            (module instance $D)
            (module instance)
            """)
        try #require(commands.count == 7)
        guard case .module(let text) = commands[0].kind, case .text = text.source else {
            Issue.record("expected a text module")
            return
        }
        #expect(text.name == "M")
        #expect(commands[0].line == 1)
        #expect(try text.encode() == wat2wasm("(module (func (export \"f\")))"))
        guard case .module(let binary) = commands[1].kind, case .binary(let b) = binary.source else {
            Issue.record("expected a binary module")
            return
        }
        #expect(b == [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0])
        #expect(binary.name == nil)
        guard case .module(let quoted) = commands[2].kind, case .quote(let q) = quoted.source else {
            Issue.record("expected a quoted module")
            return
        }
        #expect(quoted.name == "Q")
        #expect(String(decoding: q, as: UTF8.self) == "(func (export \"g\"))")
        #expect(try quoted.encode() == wat2wasm("(func (export \"g\"))"))
        guard case .module(let definition) = commands[3].kind else {
            Issue.record("expected a module definition")
            return
        }
        #expect(definition.isDefinition)
        #expect(definition.name == "D")
        guard case .moduleInstance(let instance, let module) = commands[4].kind else {
            Issue.record("expected a module instance")
            return
        }
        #expect(instance == "I")
        #expect(module == "D")
        // One name is the module's; none means the last module defined.
        guard case .moduleInstance(nil, "D") = commands[5].kind, case .moduleInstance(nil, nil) = commands[6].kind else {
            Issue.record("expected instances of $D and of the last module: \(commands[5].kind), \(commands[6].kind)")
            return
        }
    }

    @Test func actionsAndArguments() throws {
        let commands = parse(
            """
            (invoke "f" (i32.const -1) (i64.const 0x10) (f32.const -0) (f64.const nan:0x1))
            (get $M "g")
            (register "lib" $M)
            (register "last")
            """)
        try #require(commands.count == 4)
        guard case .action(.invoke(let module, let name, let arguments)) = commands[0].kind else {
            Issue.record("expected invoke")
            return
        }
        #expect(module == nil)
        #expect(name == "f")
        #expect(arguments == [.i32(0xFFFF_FFFF), .i64(16), .f32(0x8000_0000), .f64(0x7FF0_0000_0000_0001)])
        guard case .action(.get(let getModule, let getName)) = commands[1].kind else {
            Issue.record("expected get")
            return
        }
        #expect(getModule == "M")
        #expect(getName == "g")
        guard case .register(let registered, let registeredModule) = commands[2].kind else {
            Issue.record("expected register")
            return
        }
        #expect(registered == "lib")
        #expect(registeredModule == "M")
        guard case .register(_, let lastModule) = commands[3].kind else {
            Issue.record("expected register")
            return
        }
        #expect(lastModule == nil)
    }

    @Test func expectedResults() throws {
        let commands = parse(
            """
            (assert_return (invoke "a")
              (i32.const 1) (f32.const nan:canonical) (f64.const nan:arithmetic) (f64.const -nan)
              (ref.null func) (ref.null extern) (ref.extern 7) (ref.extern) (ref.func) (ref.null)
              (v128.const i16x8 -1 0 1 2 3 4 5 0x8000)
              (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0)
              (either (i32.const 1) (i32.const 2)))
            """)
        try #require(commands.count == 1)
        guard case .assertReturn(let action, let expected) = commands[0].kind else {
            Issue.record("expected assert_return")
            return
        }
        #expect(action == .invoke(module: nil, name: "a", arguments: []))
        let vector = V128(low: 0x0002_0001_0000_FFFF, high: 0x8000_0005_0004_0003)
        #expect(expected == [
            .value(.i32(1)), .f32NaN(.canonical), .f64NaN(.arithmetic), .value(.f64(0xFFF8_0000_0000_0000)),
            .value(.refNull(.func)), .value(.refNull(.extern)), .value(.refExtern(7)), .refExtern, .refFunc, .refNullAny,
            .value(.v128(vector)),
            .v128Lanes(.f32x4, [.nan(.canonical), .bits(0x3F80_0000), .nan(.arithmetic), .bits(0x8000_0000)]),
            .either([.value(.i32(1)), .value(.i32(2))]),
        ])
    }

    @Test func assertions() throws {
        let commands = parse(
            """
            (assert_trap (invoke "t") "unreachable")
            (assert_trap (module (func $f unreachable) (start $f)) "unreachable")
            (assert_exhaustion (invoke "r") "call stack exhausted")
            (assert_invalid (module (func (result i32))) "type mismatch")
            (assert_malformed (module quote "(func (i32.const0))") "unknown operator")
            (assert_unlinkable (module (import "m" "f" (func))) "unknown import")
            """)
        try #require(commands.count == 6)
        #expect(commands.map(\.line) == [1, 2, 3, 4, 5, 6])
        guard case .assertTrap(.invoke(_, "t", []), "unreachable") = commands[0].kind else {
            Issue.record("expected assert_trap on an action")
            return
        }
        guard case .assertModuleTrap(let trapping, _) = commands[1].kind else {
            Issue.record("expected assert_trap on a module")
            return
        }
        #expect(throws: Never.self) { try trapping.encode() }
        guard case .assertExhaustion(_, "call stack exhausted") = commands[2].kind else {
            Issue.record("expected assert_exhaustion")
            return
        }
        guard case .assertInvalid(let invalid, "type mismatch") = commands[3].kind else {
            Issue.record("expected assert_invalid")
            return
        }
        // Invalid is not malformed: it compiles.
        #expect(throws: Never.self) { try invalid.encode() }
        guard case .assertMalformed(let malformed, "unknown operator") = commands[4].kind else {
            Issue.record("expected assert_malformed")
            return
        }
        #expect(throws: WATError.self) { try malformed.encode() }
        guard case .assertUnlinkable = commands[5].kind else {
            Issue.record("expected assert_unlinkable")
            return
        }
    }

    @Test func errorsInScriptModulesUseScriptLines() throws {
        let commands = parse("\n\n(module\n  (func (call $nope)))\n")
        try #require(commands.count == 1)
        guard case .module(let m) = commands[0].kind else {
            Issue.record("expected a module")
            return
        }
        #expect(m.line == 3)
        #expect(throws: WATError("unknown func $nope", line: 4, column: 15)) { try m.encode() }
    }

    @Test func bareModuleScript() throws {
        let commands = parse("(func (export \"f\")) (memory 0)")
        try #require(commands.count == 1)
        guard case .module(let m) = commands[0].kind else {
            Issue.record("expected the whole script as one module")
            return
        }
        #expect(try m.encode() == wat2wasm("(module (func (export \"f\")) (memory 0))"))
    }

    @Test func malformedScriptsThrow() {
        #expect(throws: WATError.self) { try parseWast("(assert_return (invoke \"f\")") }
        #expect(throws: WATError.self) { try parseWast("(frobnicate)") }
        #expect(throws: WATError.self) { try parseWast("(invoke \"f\" (i32.const 1x))") }
        #expect(throws: WATError.self) { try parseWast("(assert_return (invoke \"f\") (i32.const nan:canonical))") }
        #expect(throws: WATError.self) { try parseWast("(invoke \"f\" (f32.const nan:canonical))") }
        #expect(throws: WATError.self) { try parseWast("(register \"x\" \"y\")") }
        #expect(throws: WATError.self) { try parseWast("(module") }
    }
}
