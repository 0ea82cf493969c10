import Swim
import SwimWAT
import Testing

/// Typed function references at run time: calls through references, null checks and
/// branches on null, typed tables, and type equivalence across modules.
@Suite struct TypedReferenceTests {
    @Test func callRefCallsTheReferenceAndTrapsOnNull() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $ii (func (param i32) (result i32)))
              (func $square (type $ii) (i32.mul (local.get 0) (local.get 0)))
              (elem declare func $square)
              (func (export "apply") (param $null i32) (param $x i32) (result i32)
                (local $f (ref null $ii))
                (if (i32.eqz (local.get $null)) (then (local.set $f (ref.func $square))))
                (i32.add (call_ref $ii (local.get $x) (local.get $f)) (i32.const 1))))
            """)
        let apply = try #require(instance.function("apply"))
        #expect(try apply.call([.i32(0), .i32(7)]) == [.i32(50)])
        #expect(throws: Trap(.nullFunctionReference)) { try apply.call([.i32(1), .i32(7)]) }
        #expect(Trap(.nullFunctionReference).message == "null function reference")
    }

    @Test func refAsNonNullTrapsOnNull() throws {
        let (_, instance) = try instantiate("""
            (module
              (func (export "check") (param externref) (result (ref extern)) (ref.as_non_null (local.get 0)))
              (func (export "null") (result i32) (ref.is_null (ref.as_non_null (ref.null extern)))))
            """)
        #expect(try instance.function("check")?.call([.externref(5)]) == [.externref(5)])
        #expect(throws: Trap(.nullReference)) { try instance.function("check")?.call([.externref(nil)]) }
        #expect(throws: Trap(.nullReference)) { try instance.function("null")?.call([]) }
        #expect(Trap(.nullReference).message == "null reference")
    }

    @Test func brOnNullBranchesWithTheValuesBelowTheReference() throws {
        let (_, instance) = try instantiate("""
            (module
              ;; Inner block: the values are in place. Outer: 100 must move to the label's slot.
              (func (export "in-place") (param $r externref) (result i32)
                (block $null (result i32)
                  (drop (br_on_null $null (i32.const 1) (local.get $r)))
                  (return (i32.const 2))))
              (func (export "moved") (param $r externref) (result i32) (local $x i32)
                (local.set $x (i32.const 100))
                (block $null (result i32)
                  (i32.const 5)
                  (drop)
                  (drop (br_on_null $null (local.get $x) (local.get $r)))
                  (return (i32.const 2))))
              (func (export "return") (param $r externref) (result externref)
                (ref.null extern)
                (br_on_null 0 (local.get $r))
                (return)))
            """)
        #expect(try instance.function("in-place")?.call([.externref(nil)]) == [.i32(1)])
        #expect(try instance.function("in-place")?.call([.externref(3)]) == [.i32(2)])
        #expect(try instance.function("moved")?.call([.externref(nil)]) == [.i32(100)])
        #expect(try instance.function("moved")?.call([.externref(3)]) == [.i32(2)])
        #expect(try instance.function("return")?.call([.externref(nil)]) == [.externref(nil)])
        #expect(try instance.function("return")?.call([.externref(9)]) == [.externref(9)])
    }

    @Test func brOnNonNullBranchesWithTheReference() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $t (func (result i32)))
              (func $seven (type $t) (i32.const 7))
              (elem declare func $seven)
              (func $pick (param $n i32) (param $r (ref null $t)) (result i32)
                ;; The block leaves n and the reference; call_ref turns the reference into 7.
                (i32.add (call_ref $t
                  (block $l (result i32 (ref $t))
                    (return (br_on_non_null $l (local.get $n) (local.get $r)))))))
              (func (export "null") (param i32) (result i32) (call $pick (local.get 0) (ref.null $t)))
              (func (export "function") (param i32) (result i32) (call $pick (local.get 0) (ref.func $seven)))
              ;; A constant reference, and a branch to the function's label.
              (func (export "constant") (result (ref $t))
                (br_on_non_null 0 (ref.func $seven))
                (unreachable)))
            """)
        #expect(try instance.function("null")?.call([.i32(3)]) == [.i32(3)])
        #expect(try instance.function("function")?.call([.i32(3)]) == [.i32(10)])
        let result = try instance.function("constant")?.call([])
        guard case .funcref(let f)? = result?.first, let f else {
            Issue.record("expected a function reference, got \(String(describing: result))")
            return
        }
        #expect(try f.call([]) == [.i32(7)])
    }

    @Test func returnCallRefRunsInConstantStack() throws {
        var configuration = Engine.Configuration()
        configuration.stackSize = 64 << 10
        let (_, instance) = try instantiate("""
            (module
              (type $step (func (param i64 i64) (result i64)))
              (elem declare func $even $odd)
              (func $even (type $step)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call_ref $step (i64.sub (local.get 0) (i64.const 1))
                                               (i64.add (local.get 1) (i64.const 2)) (ref.func $odd)))))
              (func $odd (type $step)
                (return_call_ref $step (local.get 0) (i64.sub (local.get 1) (i64.const 1)) (ref.func $even)))
              (func (export "run") (param i64) (result i64) (call $even (local.get 0) (i64.const 0)))
              (func (export "null") (result i64)
                (return_call_ref $step (i64.const 0) (i64.const 0) (ref.null $step))))
            """, engine: Engine(configuration: configuration))
        nonisolated(unsafe) var result: [Value] = []
        let run = try #require(instance.function("run"))
        onThread(stackSize: 256 << 10) { result = (try? run.call([.i64(1_000_000)])) ?? [] }
        #expect(result == [.i64(1_000_000)])
        #expect(throws: Trap(.nullFunctionReference)) { try instance.function("null")?.call([]) }
    }

    @Test func callRefAndReturnCallRefReachHostFunctions() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        linker.defineFunction("env", "twice", store: store,
                              type: FunctionType(parameters: [.i32], results: [.i32])) { _, args in
            guard case .i32(let x) = args[0] else { return [.i32(0)] }
            return [.i32(x &* 2)]
        }
        let (_, instance) = try instantiate("""
            (module
              (type $ii (func (param i32) (result i32)))
              (import "env" "twice" (func $twice (type $ii)))
              (elem declare func $twice)
              (func (export "call") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.func $twice)))
              (func (export "tail") (param i32) (result i32) (return_call_ref $ii (local.get 0) (ref.func $twice))))
            """, linker: linker, store: store)
        #expect(try instance.function("call")?.call([.i32(21)]) == [.i32(42)])
        #expect(try instance.function("tail")?.call([.i32(4)]) == [.i32(8)])
    }

    @Test func typedTablesStartWithTheirInitialValue() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $v (func (result i32)))
              (func $f (type $v) (i32.const 11))
              (table $t 3 (ref $v) (ref.func $f))
              (func (export "call") (param i32) (result i32) (call_indirect $t (type $v) (local.get 0)))
              (func (export "size") (result i32) (table.size $t)))
            """)
        #expect(try instance.function("call")?.call([.i32(2)]) == [.i32(11)])
        #expect(try instance.function("size")?.call([]) == [.i32(3)])
        #expect(throws: Trap(.undefinedElement)) { try instance.function("call")?.call([.i32(3)]) }
    }

    @Test func equivalentTypesLinkAcrossModules() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        let (_, a) = try instantiate("""
            (module
              (type $pad (func (param f64)))
              (type $s (func (param i32) (result i32)))
              (func $id (type $s) (local.get 0))
              (elem declare func $id)
              (func (export "apply") (param (ref $s)) (param i32) (result i32) (call_ref $s (local.get 1) (local.get 0)))
              (global (export "g") (ref $s) (ref.func $id))
              (global (export "m") (mut (ref null $s)) (ref.null $s)))
            """, store: store)
        linker.define("a", instance: a)
        // $s is type 0 here, type 1 in the first module: the same type all the same.
        let (_, b) = try instantiate("""
            (module
              (type $s (func (param i32) (result i32)))
              (import "a" "apply" (func $apply (param (ref $s)) (param i32) (result i32)))
              (import "a" "g" (global $g (ref $s)))
              (import "a" "g" (global funcref))
              (import "a" "g" (global (ref null $s)))
              (import "a" "m" (global (mut (ref null $s))))
              (func (export "run") (result i32) (call $apply (global.get $g) (i32.const 5))))
            """, linker: linker, store: store)
        #expect(try b.function("run")?.call([]) == [.i32(5)])
        // A type of another shape does not link.
        #expect(throws: InstantiationError.self) {
            try instantiate("""
                (module (type $s (func (param i64) (result i32)))
                  (import "a" "apply" (func (param (ref $s)) (param i32) (result i32))))
                """, linker: linker, store: store)
        }
        // A mutable global is imported at its exact type only.
        #expect(throws: InstantiationError.self) {
            try instantiate("(module (import \"a\" \"m\" (global (mut funcref))))", linker: linker, store: store)
        }
    }

    @Test func hostTablesOfNonNullableReferencesAreRefused() throws {
        let store = Store(engine: Engine())
        let nonNull = TableType(elementType: RefType(nullable: false, heapType: .func), limits: Limits(min: 1))
        #expect(throws: InstantiationError.self) { try Table(store: store, type: nonNull) }
        let table = try Table(store: store, type: TableType(elementType: .funcref, limits: Limits(min: 1)))
        #expect(table[0] == .funcref(nil))
    }

    @Test func argumentsFromTheHostMatchTypedReferences() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $v (func))
              (func $f (type $v))
              (func $g (param i32))
              (func (export "f") (result funcref) (ref.func $f))
              (func (export "g") (result funcref) (ref.func $g))
              (elem declare func $f $g)
              (func (export "take") (param (ref $v)) (param (ref extern))))
            """)
        let take = try #require(instance.function("take"))
        guard case .funcref(let f)? = try instance.function("f")?.call([]).first,
              case .funcref(let g)? = try instance.function("g")?.call([]).first else {
            Issue.record("no function references")
            return
        }
        #expect(try take.call([.funcref(f), .externref(1)]) == [])
        #expect(throws: CallError.self) { try take.call([.funcref(g), .externref(1)]) }
        #expect(throws: CallError.self) { try take.call([.funcref(nil), .externref(1)]) }
        #expect(throws: CallError.self) { try take.call([.funcref(f), .externref(nil)]) }
    }
}
