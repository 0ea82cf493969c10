import FuzzSupport
import Swim

/// Instantiate and run with fuel: every export that is a function is called with zero
/// arguments of its types. Traps, link errors and fuel running out are fine.
@_cdecl("FuzzRun_main")
public func fuzzRunMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRun(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var configuration = Engine.Configuration()
    configuration.interruptible = true
    configuration.maxMemoryPages = 1024  // 64 MiB: the fuzzer's own memory limit is 2 GiB
    configuration.maxTableElements = 100_000
    // The store's limit (GC heap included), far below the default 6 GiB: a constant
    // `array.new` of 4 G bytes is legal under that and took the fuzzer's whole 10 s to fill.
    configuration.memoryLimit = 256 << 20
    let engine = Engine(configuration: configuration)
    guard let module = try? Module(engine: engine, bytes: bytes) else { return 0 }
    let store = Store(engine: engine)
    store.fuel = 100_000
    guard let instance = try? Linker().instantiate(module, in: store) else { return 0 }
    for (_, export) in instance.exports {
        guard case .function(let function) = export else { continue }
        store.fuel = 100_000
        _ = try? function.call(function.type.parameters.map(zero))
    }
    return 0
}

private func zero(_ type: ValueType) -> Value {
    switch type {
    case .i32: return .i32(0)
    case .i64: return .i64(0)
    case .f32: return .f32(0)
    case .f64: return .f64(0)
    case .v128: return .v128(V128(low: 0, high: 0))
    case .ref(let reference):
        switch reference.heapType {
        case .extern, .noextern: return .externref(nil)
        case .exn, .noexn: return .exnref(nil)
        case .any, .eq, .i31, .struct, .array, .none: return .anyref(nil)
        // A type index of a struct or array type is not known here: null passes as a funcref
        // only for function types, so such parameters are skipped by the type check.
        case .func, .nofunc, .index: return .funcref(nil)
        }
    }
}
