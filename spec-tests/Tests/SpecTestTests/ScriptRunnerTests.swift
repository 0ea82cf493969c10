import Testing
import Swim
import SwimWAT
@testable import SpecTest

/// The runner's 3.0 script commands, its skip list, and the custom-annotation assertions.
@Suite struct ScriptRunnerTests {
    /// Runs `script` (as the file `path`) and returns the runner.
    func run(_ script: String, path: String = "/suite/main/test.wast", skipList: inout SkipList) throws -> ScriptRunner {
        var runner = try ScriptRunner(engine: Engine())
        runner.run(try parseWast(script), file: path, skipList: &skipList)
        return runner
    }

    func run(_ script: String) throws -> ScriptRunner {
        var none = SkipList()
        return try run(script, skipList: &none)
    }

    @Test func moduleDefinitionsAreInstantiatedAnewEachTime() throws {
        let runner = try run("""
            (module definition $M
              (global (export "g") (mut i32) (i32.const 0))
              (func (export "set") (param i32) (global.set 0 (local.get 0))))
            (module instance $I1 $M)
            (module instance $I2 $M)
            (invoke $I1 "set" (i32.const 7))
            (assert_return (get $I1 "g") (i32.const 7))
            (assert_return (get $I2 "g") (i32.const 0))
            (register "I2" $I2)
            (module (import "I2" "g" (global (mut i32))) (func (export "read") (result i32) (global.get 0)))
            (assert_return (invoke "read") (i32.const 0))
            """)
        #expect(runner.failures == [])
        #expect(runner.tally.total.passed == 9)
    }

    @Test func anInstanceWithoutNamesUsesTheLastModuleAndBecomesCurrent() throws {
        let runner = try run("""
            (module definition (func (export "f") (result i32) (i32.const 1)))
            (module definition $Two (func (export "f") (result i32) (i32.const 2)))
            (module instance)
            (assert_return (invoke "f") (i32.const 2))
            (module $Named (func (export "f") (result i32) (i32.const 3)))
            (module instance $Again $Named)
            (assert_return (invoke $Again "f") (i32.const 3))
            """)
        #expect(runner.failures == [])
        #expect(runner.tally.total.passed == 7)
    }

    @Test func aDefinitionIsValidatedButNotInstantiated() throws {
        // Instantiating it would need an import no one provides.
        let runner = try run("""
            (module definition (import "nowhere" "f" (func)))
            (module definition (func (result i32)))
            (module instance $I $Unknown)
            """)
        #expect(runner.tally.total.passed == 1)
        #expect(runner.failures.count == 2)
        #expect(runner.failures.last?.contains("unknown module $Unknown") == true)
    }

    @Test func customAnnotationAssertionsCheckTheMessage() throws {
        let runner = try run("""
            (assert_malformed_custom (module quote "(@custom)") "@custom annotation: missing section name")
            (assert_malformed_custom (module quote "(@custom)") "@custom annotation: unexpected token")
            (assert_malformed_custom (module quote "(@custom \\"fine\\")") "@custom annotation")
            (assert_invalid_custom (module (func (@metadata.code.branch_hint "\\01") nop))
              "@metadata.code.branch_hint annotation: invalid target")
            """)
        #expect(runner.tally.total.passed == 2)
        #expect(runner.tally.total.failed == 2)
    }

    @Test func listedCommandsAreSkippedWithTheirReason() throws {
        var skipList = try SkipList(text: """
            # a comment
            main/test.wast\t1\tmodule\tneeds GC
            main/test.wast\t2\tassert_return\tneeds GC
            """, source: "list")
        let runner = try run("""
            (module (func (export "f") (result i32) (i32.const 1)))
            (assert_return (invoke "f") (i32.const 1))
            (assert_return (invoke "f") (i32.const 1))
            """, skipList: &skipList)
        #expect(runner.tally.total.skipped == 2)
        #expect(runner.listedSkips == 2)
        #expect(runner.skips == ["needs GC": 2])
        // The skipped module does not exist: the unlisted command that uses it fails.
        #expect(runner.tally.total.failed == 1)
        #expect(skipList.unused(inScripts: ["/suite/main/test.wast"]).isEmpty)
    }

    @Test func aSkipListEntryMatchesOnlyItsScriptLineAndKind() throws {
        var skipList = try SkipList(text: "main/test.wast\t1\tassert_return\tneeds GC\nmain/other.wast\t1\tmodule\tx\n", source: "list")
        #expect(skipList.match(path: "/suite/main/test.wast", line: 1, kind: "module") == nil)
        #expect(skipList.match(path: "/suite/wasm-2.0/test.wast", line: 1, kind: "assert_return") == nil)
        #expect(skipList.match(path: "/suite/main/xtest.wast", line: 1, kind: "assert_return") == nil)
        #expect(skipList.match(path: "/suite/main/test.wast", line: 1, kind: "assert_return")?.reason == "needs GC")
        // Entries of scripts that did not run are not reported.
        #expect(skipList.unused(inScripts: ["/suite/main/test.wast"]).isEmpty)
        #expect(skipList.unused(inScripts: ["/suite/main/other.wast"]).map(\.line) == [1])
    }

    @Test(arguments: [
        "main/test.wast\t1\tmodule",
        "main/test.wast\tone\tmodule\tneeds GC",
        "main/test.wast\t1\tmodule\tneeds GC\nmain/test.wast\t1\tmodule\tagain",
    ])
    func malformedSkipLists(text: String) {
        #expect(throws: SkipList.FormatError.self) { try SkipList(text: text, source: "list") }
    }
}
