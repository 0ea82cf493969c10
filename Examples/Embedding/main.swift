import Swim
import SwimWAT

// Compile a module (text here; a .wasm binary's bytes work the same way).
let engine = Engine()
let module = try Module(engine: engine, bytes: try wat2wasm("""
    (module
      (import "host" "log" (func $log (param i32)))
      (memory (export "memory") 1)
      (func (export "fib") (param $n i32) (result i64)
        (local $a i64) (local $b i64) (local.set $b (i64.const 1))
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (call $log (i32.wrap_i64 (local.get $a)))
        (local.get $a)))
    """))

// Provide its imports: host functions are Swift closures.
let store = Store(engine: engine)
var linker = Linker()
linker.defineFunction("host", "log", store: store, type: FunctionType(parameters: [.i32])) { caller, arguments in
    print("wasm says: \(arguments[0])")
    return []
}

// Instantiate and call an export.
let instance = try linker.instantiate(module, in: store)
guard let fib = instance.function("fib") else { fatalError("no export fib") }
let results = try fib(.i32(50))
print("fib(50) = \(results[0])")

// Traps are Swift errors with the spec's message.
do {
    _ = try fib(.i64(1))
} catch {
    print("bad call: \(error)")
}
