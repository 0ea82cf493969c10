import Swim
import Testing

/// The interpreter must never grow the native stack per instruction or per wasm call:
/// in release builds handlers tail-call each other (a missed tail call overflows
/// these small thread stacks at once); in debug builds a trampoline loop runs them.
@Suite struct DispatchTests {
    @Test func longRunOnSmallStackCompletes() throws {
        let wat = """
        (module (func (export "spin") (param $n i32) (result i32) (local $acc i32)
          (loop $l
            (local.set $acc (i32.add (local.get $acc) (i32.xor (local.get $n) (i32.const 0x55))))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (local.get $n)))
          (local.get $acc)))
        """
        let (_, instance) = try instantiate(wat)
        let spin = try #require(instance.function("spin"))
        nonisolated(unsafe) var result: [Value] = []
        // 20 million iterations, about 80 million instructions, on a 256 KiB stack.
        onThread(stackSize: 256 << 10) { result = (try? spin.call([.i32(20_000_000)])) ?? [] }
        var expected: UInt32 = 0
        for n in stride(from: UInt32(20_000_000), to: 0, by: -1) { expected &+= n ^ 0x55 }
        #expect(result == [.i32(expected)])
    }

    @Test func deepRecursionEndsInCallStackExhausted() throws {
        let wat = """
        (module (func $f (export "f") (param i32) (result i32)
          (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))
        """
        let (_, instance) = try instantiate(wat)
        let f = try #require(instance.function("f"))
        nonisolated(unsafe) var caught: (any Error)?
        onThread(stackSize: 512 << 10) {
            do { _ = try f.call([.i32(0)]) } catch { caught = error }
        }
        #expect((caught as? Trap)?.reason == .callStackExhausted)
    }

    @Test func recursionWithinTheStackLimitWorks() throws {
        let wat = """
        (module (func $sum (export "sum") (param i32) (result i64)
          (if (result i64) (i32.eqz (local.get 0)) (then (i64.const 0))
            (else (i64.add (i64.extend_i32_u (local.get 0)) (call $sum (i32.sub (local.get 0) (i32.const 1))))))))
        """
        let (_, instance) = try instantiate(wat)
        let sum = try #require(instance.function("sum"))
        nonisolated(unsafe) var result: [Value] = []
        onThread(stackSize: 256 << 10) { result = (try? sum.call([.i32(100_000)])) ?? [] }
        #expect(result == [.i64(5_000_050_000)])
    }
}
