import Swim
import SwimTypes
import SwimWAT
import Testing

/// Wasm 3.0 constant expressions at instantiation: `i32`/`i64` add, sub and mul, reading imported
/// globals and, in 3.0, the immutable globals defined before (segments: any defined global).
@Suite struct ExtendedConstantTests {
    static let text = """
        (module
          (global $base (import "env" "base") i32)
          (global $a i32 (i32.mul (i32.add (global.get $base) (i32.const 3)) (i32.const 4)))
          (global $b (export "b") i32 (i32.sub (global.get $a) (i32.const 1)))
          (global $c (export "c") i64 (i64.mul (i64.sub (i64.const 0) (i64.const 7)) (i64.const 0x100000000)))
          (memory (export "memory") 1)
          (data (i32.add (global.get $b) (i32.const 2)) "\\2a")
          (table 8 funcref)
          (func $f (result i32) (i32.const 99))
          (elem (i32.sub (global.get $a) (i32.const 14)) func $f)
          (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0))))
        """

    @Test func initializersAndOffsetsAreComputed() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        let base = try Global(store: store, type: GlobalType(mutability: .constant, valueType: .i32), value: .i32(2))
        linker.define("env", "base", .global(base))
        let (_, instance) = try instantiate(Self.text, linker: linker, store: store)
        // a = (2 + 3) * 4 = 20, b = 19, c = -7 << 32.
        #expect(instance.global("b")?.value == .i32(19))
        #expect(instance.global("c")?.value == .i64(UInt64(bitPattern: -7 << 32)))
        let memory = try #require(instance.memory("memory"))
        #expect(memory.read(at: 21, count: 1) == [0x2A])
        #expect(try instance.function("call")?(Value(Int32(6))) == [Value(Int32(99))])
    }

    @Test func wasm2RejectsThem() throws {
        var configuration = Engine.Configuration()
        configuration.features = .wasm2
        #expect(throws: ValidationError.self) {
            try Module(engine: Engine(configuration: configuration), bytes: try wat2wasm(Self.text))
        }
    }
}
