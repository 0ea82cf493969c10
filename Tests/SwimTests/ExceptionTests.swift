@testable import Swim
import SwimWAT
import Testing

/// Exception handling end to end: throwing and catching across calls, payloads of every
/// type, legacy handlers, exceptions crossing host functions in both directions, and the
/// collection of exceptions nothing refers to.
@Suite struct ExceptionTests {
    private func run(_ wat: String, _ name: String, _ arguments: [Value] = [], linker: Linker = Linker(),
                     store: Store? = nil) throws -> [Value] {
        let (_, instance) = try instantiate(wat, linker: linker, store: store)
        return try #require(instance.function(name)).call(arguments)
    }

    @Test func catchesAcrossCallsAndNestedTryTables() throws {
        let wat = """
            (module
              (tag $small (param i32)) (tag $big (param i64 f64))
              (func $thrower (param i32)
                (if (i32.lt_u (local.get 0) (i32.const 10)) (then (throw $small (local.get 0))))
                (throw $big (i64.extend_i32_u (local.get 0)) (f64.const 0.5)))
              (func $middle (param i32) (result i32)
                ;; Values on the stack and in locals below the try_table survive the unwinding.
                (local $keep i32)
                (local.set $keep (i32.const 1000))
                (i32.add (local.get $keep)
                  (block $caught (result i32)
                    (try_table (result i32) (catch $small $caught)
                      (call $thrower (local.get 0))
                      (i32.const -1)))))
              (func (export "f") (param i32) (result i64)
                (block $big (result i64 f64)
                  (return (i64.extend_i32_u
                    (try_table (result i32) (catch $big $big) (call $middle (local.get 0))))))
                (drop)))
            """
        #expect(try run(wat, "f", [.i32(7)]) == [.i64(1007)])
        #expect(try run(wat, "f", [.i32(42)]) == [.i64(42)])
    }

    @Test func payloadsOfEveryType() throws {
        let wat = """
            (module
              (tag $t (param i32 i64 f32 f64 v128 funcref externref))
              (func $g) (elem declare func $g)
              (func (export "f") (param externref) (result i32 i64 f32 f64 v128 funcref externref)
                (try_table (catch $t 0)
                  (throw $t (i32.const -1) (i64.const 0x1122334455667788) (f32.const -0.0) (f64.const nan:0x123)
                    (v128.const i64x2 0x0102030405060708 0x090a0b0c0d0e0f10) (ref.func $g) (local.get 0)))
                (unreachable)))
            """
        let results = try run(wat, "f", [.externref(99)])
        #expect(results.count == 7)
        #expect(Array(results[0..<4]) == [.i32(0xFFFF_FFFF), .i64(0x1122_3344_5566_7788), .f32(0x8000_0000),
                                          .f64(0x7FF0_0000_0000_0123)])
        #expect(results[4] == .v128(V128(low: 0x0102_0304_0506_0708, high: 0x090A_0B0C_0D0E_0F10)))
        guard case .funcref(let f) = results[5] else { Issue.record("not a funcref"); return }
        #expect(f != nil)
        #expect(results[6] == .externref(99))
    }

    @Test func catchesBranchToLoopsAndToTheFunctionLabel() throws {
        // A catch to a loop label restarts the loop with the payload as its parameter; a catch
        // to the function's label returns the payload.
        let wat = """
            (module
              (type $loop (func (param i32) (result i32)))
              (tag $again (param i32)) (tag $done (param i32))
              (func (export "f") (result i32) (local i32)
                (i32.const 0)
                (loop $l (type $loop)
                  (local.set 0)
                  (try_table (catch $again $l) (catch $done 1)
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (if (i32.lt_u (local.get 0) (i32.const 5)) (then (throw $again (local.get 0))))
                    (throw $done (i32.mul (local.get 0) (i32.const 10))))
                  (unreachable)))
              (func (export "g") (result i32) (call 0)))
            """
        let (_, instance) = try instantiate(wat)
        #expect(try instance.function("f")?.call([]) == [.i32(50)])
        #expect(try instance.function("g")?.call([]) == [.i32(50)])
    }

    @Test func legacyHandlersRethrowAndDelegate() throws {
        let wat = """
            (module
              (tag $e (param i32)) (tag $other)
              (func $throw (param i32) (throw $e (local.get 0)))
              (func (export "f") (param i32) (result i32)
                (try $outer (result i32)
                  (do
                    (try (result i32)
                      (do (try (do (call $throw (local.get 0))) (delegate $outer)) (i32.const 0))
                      (catch_all (i32.const -1))))
                  (catch $e
                    (local.set 0)
                    (try (result i32)
                      (do (if (i32.eq (local.get 0) (i32.const 7)) (then (rethrow 2))) (i32.const 1))
                      (catch $other (i32.const 2))))))
              (func (export "g") (param i32) (result i32)
                (try (result i32) (do (call 1 (local.get 0))) (catch $e))))
            """
        #expect(try run(wat, "f", [.i32(3)]) == [.i32(1)])
        #expect(try run(wat, "g", [.i32(7)]) == [.i32(7)])
        #expect(throws: Exception.self) { try run(wat, "f", [.i32(7)]) }
    }

    @Test func uncaughtExceptionsReachTheEmbedder() throws {
        let wat = """
            (module (tag $e (export "boom") (param i32 f64)) (tag $quiet)
              (func (export "f") (throw $e (i32.const 42) (f64.const 2.5)))
              (func (export "g") (throw $quiet)))
            """
        let (_, instance) = try instantiate(wat)
        do {
            try instance.function("f")?.call([])
            Issue.record("no exception")
        } catch let exception as Exception {
            #expect(exception.tag == instance.tag("boom"))
            #expect(exception.payload == [.i32(42), Value(2.5)])
            #expect(exception.description == "uncaught wasm exception: tag \"boom\" with 42, 2.5")
        }
        do {
            try instance.function("g")?.call([])
            Issue.record("no exception")
        } catch let exception as Exception {
            #expect(exception.tag.name == "1")
            #expect(exception.payload.isEmpty)
        }
    }

    @Test func throwRefOfNullTraps() throws {
        let wat = "(module (func (export \"f\") (throw_ref (ref.null exn))))"
        #expect(throws: Trap(.nullExceptionReference)) { try run(wat, "f") }
        #expect(Trap(.nullExceptionReference).message == "null exception reference")
    }

    @Test func trapsAreNotCaught() throws {
        let wat = """
            (module (func (export "f") (block (try_table (catch_all 0) (unreachable))))
              (func (export "g") (try (do (unreachable)) (catch_all))))
            """
        #expect(throws: Trap(.unreachable)) { try run(wat, "f") }
        #expect(throws: Trap(.unreachable)) { try run(wat, "g") }
    }

    @Test func hostFunctionsThrowIntoWasm() throws {
        let store = Store(engine: Engine())
        let failure = Tag(store: store, parameters: [.i32], name: "failure")
        var linker = Linker()
        linker.define("env", "failure", .tag(failure))
        linker.defineFunction("env", "check", store: store, type: FunctionType(parameters: [.i32])) { _, args in
            if args[0] != .i32(0) { throw try Exception(tag: failure, payload: [args[0]]) }
            return []
        }
        let wat = """
            (module (import "env" "failure" (tag $failure (param i32)))
              (import "env" "check" (func $check (param i32)))
              (func (export "catch") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $failure $h) (call $check (local.get 0)))
                  (i32.const -1)))
              (func (export "pass") (param i32) (call $check (local.get 0))))
            """
        let (_, instance) = try instantiate(wat, linker: linker, store: store)
        #expect(try instance.function("catch")?.call([.i32(0)]) == [.i32(0xFFFF_FFFF)])
        #expect(try instance.function("catch")?.call([.i32(5)]) == [.i32(5)])
        do {
            try instance.function("pass")?.call([.i32(9)])
            Issue.record("no exception")
        } catch let exception as Exception {
            #expect(exception.tag == failure)
            #expect(exception.payload == [.i32(9)])
            #expect(exception.description == "uncaught wasm exception: tag failure with 9")
        }
        // A host function called straight from the embedder throws the same way.
        guard case .function(let check)? = linker.resolve("env", "check") else { Issue.record("no check"); return }
        #expect(throws: Exception.self) { try check.call([.i32(1)]) }
        #expect(throws: CallError.self) { try Exception(tag: failure, payload: [.i64(1)]) }
    }

    @Test func wasmExceptionsCrossHostFunctions() throws {
        // wasm (try_table) -> host -> wasm (throw): the exception leaves the inner call as a
        // Swift error, passes through the host function, and is caught by the outer wasm frame.
        let store = Store(engine: Engine())
        var linker = Linker()
        nonisolated(unsafe) var inner: Function?
        nonisolated(unsafe) var seen: Exception?
        linker.defineFunction("env", "host", store: store, type: FunctionType(parameters: [.i32])) { _, args in
            do {
                try inner?.call(args)
            } catch let exception as Exception {
                seen = exception
                throw exception
            }
            return []
        }
        let wat = """
            (module (import "env" "host" (func $host (param i32)))
              (tag $e (export "e") (param i32))
              (func (export "inner") (param i32) (throw $e (local.get 0)))
              (func (export "outer") (param i32) (result i32 exnref)
                (block $h (result i32 exnref)
                  (try_table (catch_ref $e $h) (call $host (local.get 0)))
                  (unreachable))))
            """
        let (_, instance) = try instantiate(wat, linker: linker, store: store)
        inner = instance.function("inner")
        let results = try #require(instance.function("outer")).call([.i32(77)])
        #expect(results.first == .i32(77))
        // The exception wasm caught is the one the host saw: rethrowing kept its identity.
        guard case .exnref(let caught)? = results.last else { Issue.record("no exnref"); return }
        #expect(caught != nil && caught === seen)
    }

    @Test func tailCallsLeaveTheirHandlersBehind() throws {
        // A tail call replaces its frame, try_table and all: the callee's exception goes to the
        // tail caller's caller. The same holds for a host function that is tail-called.
        let store = Store(engine: Engine())
        let hostTag = Tag(store: store, parameters: [.i32])
        var linker = Linker()
        linker.define("env", "e", .tag(hostTag))
        linker.defineFunction("env", "fail", store: store, type: FunctionType(parameters: [.i32])) { _, args in
            throw try Exception(tag: hostTag, payload: args)
        }
        let wat = """
            (module
              (import "env" "e" (tag $host (param i32))) (import "env" "fail" (func $fail (param i32)))
              (tag $e (param i32))
              (func $throw (param i32) (throw $e (local.get 0)))
              (func $tail (param i32)
                (block $mine (result i32)
                  (try_table (catch $e $mine) (catch $host $mine)
                    (if (i32.eqz (local.get 0)) (then (return_call $throw (i32.const 1))))
                    (return_call $fail (i32.const 2)))
                  (unreachable))
                (unreachable))
              (func (export "f") (param i32) (result i32)
                (block $outer (result i32)
                  (try_table (catch $e $outer) (catch $host $outer) (call $tail (local.get 0)))
                  (i32.const -1))))
            """
        let (_, instance) = try instantiate(wat, linker: linker, store: store)
        #expect(try instance.function("f")?.call([.i32(0)]) == [.i32(1)])
        #expect(try instance.function("f")?.call([.i32(1)]) == [.i32(2)])
    }

    @Test func theEngineCanTurnTheProposalsOff() throws {
        let tryTable = try wat2wasm("(module (func (try_table)))")
        let legacy = try wat2wasm("(module (func (try (do) (catch_all))))")
        var configuration = Engine.Configuration()
        configuration.features.remove(.exceptions)
        let withoutExceptions = Engine(configuration: configuration)
        #expect(throws: MalformedError.self) { try Module(engine: withoutExceptions, bytes: tryTable) }
        _ = try Module(engine: withoutExceptions, bytes: legacy)
        configuration.features.remove(.legacyExceptions)
        #expect(throws: MalformedError.self) { try Module(engine: Engine(configuration: configuration), bytes: legacy) }
        _ = try Module(engine: Engine(), bytes: tryTable)
    }

    @Test func exnrefsRoundTripThroughTheEmbedder() throws {
        let wat = """
            (module (tag $e (param i32))
              (global $keep (export "keep") (mut exnref) (ref.null exn))
              (func (export "make") (param i32) (result exnref)
                (block $h (result exnref) (try_table (catch_all_ref $h) (throw $e (local.get 0))) (unreachable)))
              (func (export "rethrow") (param exnref) (throw_ref (local.get 0))))
            """
        let (_, instance) = try instantiate(wat)
        let made = try #require(instance.function("make")).call([.i32(5)])
        guard case .exnref(let exception?)? = made.first else { Issue.record("no exnref"); return }
        #expect(exception.payload == [.i32(5)])
        do {
            try instance.function("rethrow")?.call(made)
            Issue.record("no exception")
        } catch let thrown as Exception {
            #expect(thrown === exception)
        }
        try #require(instance.global("keep")).set(.exnref(exception))
        #expect(instance.global("keep")?.value == .exnref(exception))
    }

    @Test func unreferencedExceptionsAreCollected() throws {
        let wat = """
            (module (tag $e (param i32))
              (func (export "churn") (param i32) (result i32)
                (local $sum i32)
                (loop $l
                  (block $h (result i32)
                    (try_table (catch $e $h) (throw $e (local.get 0))) (unreachable))
                  (local.set $sum (i32.add (local.get $sum)))
                  (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                (local.get $sum)))
            """
        let (store, instance) = try instantiate(wat)
        #expect(try instance.function("churn")?.call([.i32(20_000)]) == [.i32(200_010_000)])
        #expect(store.storage.exceptions.count <= 2 * ExceptionHeap.minimumThreshold)
    }

    @Test func referencedExceptionsSurviveCollections() throws {
        // Exceptions held in a global, a table, a local of a waiting frame, another exception's
        // payload and the embedder's hands all stay intact while thousands of others are freed.
        let wat = """
            (module
              (tag $e (param i32)) (tag $wrap (param exnref))
              (global $g (mut exnref) (ref.null exn))
              (table $t 1 exnref)
              (func $make (export "make") (param i32) (result exnref)
                (block $h (result exnref) (try_table (catch_all_ref $h) (throw $e (local.get 0))) (unreachable)))
              (func $payload (param exnref) (result i32)
                (block $h (result i32) (try_table (catch $e $h) (throw_ref (local.get 0))) (unreachable)))
              (func $churn (param i32)
                (loop $l
                  (drop (call $make (local.get 0)))
                  (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
              (func (export "hold") (param exnref) (result i32)
                (local $local exnref) (local $wrapped exnref)
                (global.set $g (call $make (i32.const 1)))
                (table.set $t (i32.const 0) (call $make (i32.const 2)))
                (local.set $local (call $make (i32.const 3)))
                (local.set $wrapped
                  (block $h (result exnref)
                    (try_table (catch_all_ref $h) (throw $wrap (call $make (i32.const 4)))) (unreachable)))
                (call $churn (i32.const 5000))
                (i32.add (i32.add (call $payload (global.get $g)) (call $payload (table.get $t (i32.const 0))))
                  (i32.add (i32.add (call $payload (local.get $local)) (call $payload (local.get 0)))
                    (call $payload
                      (block $h (result exnref) (try_table (catch $wrap $h) (throw_ref (local.get $wrapped)))
                        (unreachable)))))))
            """
        let (store, instance) = try instantiate(wat)
        let hostTag = Tag(store: store, parameters: [.i32, .exnref])
        let fromWasm = try #require(instance.function("make")).call([.i32(50)])
        let held = try Exception(tag: hostTag, payload: [.i32(1000)] + fromWasm)
        #expect(try instance.function("hold")?.call(fromWasm) == [.i32(60)])
        #expect(store.storage.exceptions.count < 5000)
        #expect(held.payload.first == .i32(1000))
        guard case .exnref(let inner?)? = held.payload.last else { Issue.record("payload lost"); return }
        #expect(inner.payload == [.i32(50)])
    }
}
