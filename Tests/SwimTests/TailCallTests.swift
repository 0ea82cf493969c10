import Swim
import SwimWAT
import Testing

/// Tail calls replace the caller's frame: chains of any length run in the space of one
/// frame, and the callee returns straight to the caller's caller.
@Suite struct TailCallTests {
    /// A value stack of 64 KiB (8,192 slots): a few thousand frames that were not replaced exhaust it.
    static func smallStackEngine() -> Engine {
        var configuration = Engine.Configuration()
        configuration.stackSize = 64 << 10
        return Engine(configuration: configuration)
    }

    /// ping(n, acc) = acc + 3 * (1 + ... + n), by tail calls between two functions whose frames
    /// differ (pong has a third parameter and locals, one of them a v128).
    static let pingPong = """
        (module
          (type $ping (func (param i64 i64) (result i64)))
          (type $pong (func (param i64 i64 i64) (result i64)))
          (table funcref (elem $ping-indirect $pong-indirect))
          (func $ping (export "ping") (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
              (else (return_call $pong (i64.const 3) (local.get $acc) (local.get $n)))))
          (func $pong (param $k i64) (param $acc i64) (param $n i64) (result i64) (local $t i64) (local $v v128)
            (local.set $t (i64.add (local.get $acc) (i64.mul (local.get $n) (local.get $k))))
            (return_call $ping (i64.sub (local.get $n) (i64.const 1)) (local.get $t)))
          (func $ping-indirect (export "ping-indirect") (param $n i64) (param $acc i64) (result i64)
            (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
              (else (return_call_indirect (type $pong) (i64.const 3) (local.get $acc) (local.get $n) (i32.const 1)))))
          (func $pong-indirect (param $k i64) (param $acc i64) (param $n i64) (result i64) (local $t i64) (local $v v128)
            (local.set $t (i64.add (local.get $acc) (i64.mul (local.get $n) (local.get $k))))
            (return_call_indirect (type $ping) (i64.sub (local.get $n) (i64.const 1)) (local.get $t) (i32.const 0))))
        """

    static func expectedPing(_ n: UInt64) -> UInt64 { 3 * n * (n + 1) / 2 }

    @Test func tenMillionMutualTailCallsRunInConstantStack() throws {
        let (_, instance) = try instantiate(Self.pingPong, engine: Self.smallStackEngine())
        let ping = try #require(instance.function("ping"))
        nonisolated(unsafe) var result: [Value] = []
        // 5 million rounds of ping → pong → ping: 10 million tail calls.
        onThread(stackSize: 256 << 10) { result = (try? ping.call([.i64(5_000_000), .i64(0)])) ?? [] }
        #expect(result == [.i64(Self.expectedPing(5_000_000))])
    }

    @Test func tenMillionMutualTailCallsThroughTheTable() throws {
        let (_, instance) = try instantiate(Self.pingPong, engine: Self.smallStackEngine())
        let ping = try #require(instance.function("ping-indirect"))
        nonisolated(unsafe) var result: [Value] = []
        onThread(stackSize: 256 << 10) { result = (try? ping.call([.i64(5_000_000), .i64(0)])) ?? [] }
        #expect(result == [.i64(Self.expectedPing(5_000_000))])
    }

    @Test func theSameRecursionWithoutTailCallsExhaustsTheSmallStack() throws {
        let (_, instance) = try instantiate("""
            (module (func $f (export "f") (param i64) (result i64)
              (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
                (else (call $f (i64.sub (local.get 0) (i64.const 1)))))))
            """, engine: Self.smallStackEngine())
        #expect(throws: Trap(.callStackExhausted)) { try instance.function("f")?.call([.i64(100_000)]) }
    }

    @Test func argumentsMoveOverTheCallersHeader() throws {
        // $short's frame header is at slot 1; the six argument slots of $wide cover it.
        let (_, instance) = try instantiate("""
            (module
              (func $wide (param i32 i64 f64 v128 i32) (result i64)
                (i64.add (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1))
                  (i64.add (i64.add (i64.trunc_f64_u (local.get 2)) (i64x2.extract_lane 1 (local.get 3)))
                    (i64.extend_i32_u (local.get 4)))))
              (func $short (export "short") (result i64)
                (return_call $wide (i32.const 1) (i64.const 20) (f64.const 300) (v128.const i64x2 0 4000)
                  (i32.const 50000)))
              (func (export "nested") (result i64)
                (i64.add (call $short) (i64.const 600000))))
            """)
        #expect(try instance.function("short")?.call([]) == [.i64(54321)])
        #expect(try instance.function("nested")?.call([]) == [.i64(654321)])
    }

    @Test func aTailCalledHostFunctionSeesTheTailCallersMemory() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        linker.defineFunction("env", "sum", store: store,
                              type: FunctionType(parameters: [.i32, .i32], results: [.i32])) { caller, args in
            guard case .i32(let p) = args[0], case .i32(let n) = args[1],
                  let bytes = caller.memory?.read(at: Int(p), count: Int(n)) else { return [.i32(0xFFFF)] }
            return [.i32(bytes.reduce(0) { $0 + UInt32($1) })]
        }
        let (_, instance) = try instantiate("""
            (module
              (import "env" "sum" (func $sum (param i32 i32) (result i32)))
              (type $sum (func (param i32 i32) (result i32)))
              (table funcref (elem $sum))
              (memory 1) (data (i32.const 0) "\\01\\02\\03\\04")
              (func $direct (export "direct") (param i32) (result i32)
                (return_call $sum (local.get 0) (i32.const 4)))
              (func $indirect (export "indirect") (param i32) (result i32)
                (return_call_indirect (type $sum) (local.get 0) (i32.const 4) (i32.const 0)))
              (func (export "nested") (result i32)
                (i32.add (i32.mul (call $direct (i32.const 0)) (i32.const 100))
                  (i32.add (call $indirect (i32.const 1)) (i32.load8_u (i32.const 3))))))
            """, linker: linker, store: store)
        // Called from Swift, the function returning to the host has no memory: the host must
        // still see the memory of the instance that tail-called it.
        #expect(try instance.function("direct")?.call([.i32(0)]) == [.i32(10)])
        #expect(try instance.function("indirect")?.call([.i32(0)]) == [.i32(10)])
        // 10 * 100 + (2 + 3 + 4 + 0) + 4
        #expect(try instance.function("nested")?.call([]) == [.i32(1013)])
    }

    @Test func aTailCalledHostFunctionsErrorReachesTheEmbedder() throws {
        struct Boom: Error {}
        let store = Store(engine: Engine())
        var linker = Linker()
        linker.defineFunction("env", "fail", store: store, type: FunctionType()) { _, _ in throw Boom() }
        let (_, instance) = try instantiate("""
            (module (import "env" "fail" (func $fail)) (func (export "go") (return_call $fail)))
            """, linker: linker, store: store)
        #expect(throws: Boom.self) { try instance.function("go")?.call([]) }
    }

    @Test func aTailCallIntoAnotherInstanceReturnsWithTheCallersMemory() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        let (_, a) = try instantiate("""
            (module (memory 1) (data (i32.const 0) "\\07")
              (func (export "first") (result i32) (i32.load8_u (i32.const 0))))
            """, store: store)
        linker.define("a", instance: a)
        let (_, b) = try instantiate("""
            (module (import "a" "first" (func $first (result i32)))
              (memory 1) (data (i32.const 0) "\\09")
              (func $tail (result i32) (return_call $first))
              (func (export "go") (result i32) (i32.add (call $tail) (i32.load8_u (i32.const 0)))))
            """, linker: linker, store: store)
        #expect(try b.function("go")?.call([]) == [.i32(16)])
    }

    @Test func theEngineCanTurnTailCallsOff() throws {
        var configuration = Engine.Configuration()
        configuration.features.remove(.tailCall)
        let bytes = try wat2wasm("(module (func $f (return_call $f)))")
        #expect(throws: MalformedError.self) { try Module(engine: Engine(configuration: configuration), bytes: bytes) }
        _ = try Module(engine: Engine(), bytes: bytes)
    }

    @Test func returnCallIndirectTraps() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $v (func))
              (table 2 funcref) (elem (i32.const 0) $i)
              (func $i (result i32) (i32.const 1))
              (func (export "go") (param i32) (return_call_indirect (type $v) (local.get 0))))
            """)
        let go = try #require(instance.function("go"))
        #expect(throws: Trap(.indirectCallTypeMismatch)) { try go.call([.i32(0)]) }
        #expect(throws: Trap(.uninitializedElement)) { try go.call([.i32(1)]) }
        #expect(throws: Trap(.undefinedElement)) { try go.call([.i32(2)]) }
    }
}
