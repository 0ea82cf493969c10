import Testing
import SwimParser
import SwimTypes
import SwimWAT

/// Exception handling in the text format: tags, `throw`, `throw_ref`, `try_table`, and the
/// legacy `try` forms.
@Suite struct ExceptionTextTests {
    /// The instructions of the last function of the compiled module, its final `end` included.
    func instructions(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Instruction]? {
        guard let binary = compile(text, sourceLocation: sourceLocation) else { return nil }
        do {
            let module = try parseModule(bytes: binary)
            guard let body = module.codes.last else { return nil }
            var reader = InstructionReader(module: module, body: body)
            var result: [Instruction] = []
            while !reader.isAtEnd { result.append(try reader.read()) }
            return result
        } catch {
            Issue.record("decoding failed: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func tagsImportsAndExports() throws {
        let binary = try #require(compile("""
            (module
              (tag $a (import "m" "a") (param i32))
              (import "m" "b" (tag $b))
              (tag $c (export "c") (param f32 i64))
              (tag $d (type 0))
              (export "d" (tag $d)))
            """))
        let module = try parseModule(bytes: binary)
        #expect(module.imports == [
            Import(module: "m", name: "a", descriptor: .tag(0)), Import(module: "m", name: "b", descriptor: .tag(1)),
        ])
        #expect(module.types[0] == FunctionType(parameters: [.i32]))
        #expect(module.types[1] == FunctionType())
        #expect(module.types[Int(module.tags[0])] == FunctionType(parameters: [.f32, .i64]))
        #expect(module.tags[1] == 0)
        #expect(module.exports == [Export(name: "c", descriptor: .tag(2)), Export(name: "d", descriptor: .tag(3))])
    }

    @Test func throwAndTryTable() {
        let body = instructions("""
            (module (tag $e (param i32)) (tag $f)
              (func (result i32)
                (block $outer (result i32 exnref)
                  (block $h (result i32)
                    (try_table $t (result i32) (catch $e $h) (catch_ref $e $outer) (catch_all $h) (catch_all_ref 1)
                      (br $t (i32.const 1))))
                  (return))
                (drop) (throw_ref) (throw $f)))
            """)
        #expect(body == [
            .block(.type(3)), .block(.value(.i32)),
            .tryTable(.value(.i32), [
                .catch(tag: 0, label: 0), .catchRef(tag: 0, label: 1), .catchAll(label: 0), .catchAllRef(label: 1),
            ]),
            .i32Const(1), .br(0), .end, .end, .return, .end, .drop, .throwRef, .throw(1), .end,
        ])
        let plain = instructions("""
            (module (tag $e)
              (func block $h try_table $t (catch $e $h) i32.const 0 throw $e end $t end))
            """)
        #expect(plain == [.block(.empty), .tryTable(.empty, [.catch(tag: 0, label: 0)]), .i32Const(0), .throw(0),
                          .end, .end, .end])
    }

    @Test func legacyTryForms() {
        let folded = instructions("""
            (module (tag $e (param i32))
              (func (result i32)
                (try $t (result i32)
                  (do (try (result i32) (do (i32.const 1)) (delegate $t)))
                  (catch $e (rethrow $t))
                  (catch_all (i32.const 2)))))
            """)
        #expect(folded == [
            .try(.value(.i32)), .try(.value(.i32)), .i32Const(1), .delegate(0), .catch(0), .rethrow(0), .catchAll,
            .i32Const(2), .end, .end,
        ])
        let plain = instructions("""
            (module (tag $e)
              (func
                try $t
                  try nop delegate $t
                catch $e
                  rethrow 0
                catch_all
                end $t
                try delegate 0))
            """)
        #expect(plain == [.try(.empty), .try(.empty), .nop, .delegate(0), .catch(0), .rethrow(0), .catchAll, .end,
                          .try(.empty), .delegate(0), .end])
    }

    @Test func exnrefTypes() throws {
        let binary = try #require(compile("""
            (module (global (mut exnref) (ref.null exn)) (global nullexnref (ref.null noexn))
              (func (param (ref null exn)) (result exnref) (unreachable)))
            """))
        let module = try parseModule(bytes: binary, features: .default)
        #expect(module.globals.map(\.type.valueType) == [.exnref, .ref(RefType(nullable: true, heapType: .noexn))])
        #expect(module.globals[0].initializer.instructions == [.refNull(.exn)])
        #expect(module.globals[1].initializer.instructions == [.refNull(.noexn)])
        #expect(module.types[0].parameters == [.exnref])
    }

    @Test func malformedForms() {
        // From try_table.wast, try_catch.wast and try_delegate.wast.
        for text in [
            "(module (func (catch_all)))", "(module (tag $e) (func (catch $e)))", "(module (func (delegate 0)))",
            "(module (tag $e) (func (try (do) (catch $e) (delegate 0))))",
            "(module (func (try (do) (catch_all) (delegate 0))))",
            "(module (func (try (do) (delegate) (delegate 0))))", "(module (func (try (do) (catch_all) (catch_all))))",
            "(module (func (try (catch_all))))", "(module (func try catch_all catch_all end))",
            "(module (func block catch_all end))", "(module (func (try_table (catch_all))))",
            "(module (func (try_table (catch $missing 0))))", "(module (func (throw $missing)))",
            "(module (func (try_table $l (catch_all $l))))",
        ] {
            #expect(compileError(text) != nil, "\(text)")
        }
    }

    @Test func instructionsNeedTheirProposal() {
        #expect(compileError("(module (func (try_table)))", features: .wasm2)?.message.contains("not enabled") == true)
        #expect(compileError("(module (func (try (do))))", features: WasmFeatures.wasm2.union(.exceptions))?.message
            .contains("not enabled") == true)
        #expect(compileError("(module (tag))", features: .wasm2) != nil)
        #expect(compileError("(module (global exnref (ref.null exn)))", features: .wasm2) != nil)
    }

    @Test func deepNestingOfTryBlocksFitsOnTheStack() {
        let depth = 2_990
        for (open, close) in [("(try_table ", ")"), ("(try (do ", "))"), ("try ", "end "), ("try_table ", "end ")] {
            let text = "(func " + String(repeating: open, count: depth) + String(repeating: close, count: depth) + ")"
            #expect(compile(text) != nil, "\(open)")
        }
        let handlers = "(func " + String(repeating: "(try (do) (catch_all ", count: depth)
            + String(repeating: "))", count: depth) + ")"
        #expect(compile(handlers) != nil)
    }
}
