#if canImport(Glibc)
import Glibc
#endif
import Swim

// One module run the way Fuzz/differential.py runs it under wasmtime: instantiate without
// imports, call every exported function in export order with zero arguments, then report the
// exported globals and a CRC-32 of each exported memory. One line per fact, on stdout.
//
// The wasmtime Python bindings abort when asked for the kind of a v128 or typed-reference
// type, so the harness takes the exports' types from the "signature" lines printed first:
// exports with other types are skipped on both sides, and the code behind them is compared
// through the other exports.

guard CommandLine.arguments.count == 2, let bytes = readFile(CommandLine.arguments[1]) else {
    print("usage: DiffRun MODULE.wasm")
    exit(2)
}

let engine = Engine()
let module: Module
do {
    module = try Module(engine: engine, bytes: bytes)
} catch {
    print("compile: error \(error)")
    exit(0)
}
// Exports are named by their position: names may hold any character, line breaks included.
var comparableExports = Set<Int>()
for (index, export) in module.exports.enumerated() {
    switch export.type {
    case .function(let type):
        let params = type.parameters.compactMap(kind), results = type.results.compactMap(kind)
        guard params.count == type.parameters.count, results.count == type.results.count else { continue }
        print("signature #\(index): func \(params.joined(separator: ",")) -> \(results.joined(separator: ","))")
        comparableExports.insert(index)
    case .global(let type):
        guard let kind = kind(type.valueType) else { continue }
        print("signature #\(index): global \(kind)")
        comparableExports.insert(index)
    default:
        break
    }
}
let store = Store(engine: engine)
let instance: Instance
do {
    instance = try Linker().instantiate(module, in: store)
} catch let trap as Trap {
    print("instantiate: trap \(trap.message)")
    exit(0)
} catch {
    print("instantiate: error \(error)")
    exit(0)
}
for (index, export) in module.exports.enumerated() {
    guard case .function(let type) = export.type, let function = instance.function(export.name) else { continue }
    guard comparableExports.contains(index) else {
        print("call #\(index): skipped")
        continue
    }
    do {
        let results = try function.call(type.parameters.map(zero))
        print("call #\(index): ok \(results.map(describe).joined(separator: " "))")
    } catch let trap as Trap {
        print("call #\(index): trap \(trap.message)")
    } catch {
        print("call #\(index): error \(error)")
    }
}
for (index, export) in module.exports.enumerated() {
    switch export.type {
    case .global:
        guard comparableExports.contains(index) else {
            print("global #\(index): skipped")
            continue
        }
        if let global = instance.global(export.name) { print("global #\(index): \(describe(global.value))") }
    case .memory:
        if let memory = instance.memory(export.name) {
            let crc = memory.withUnsafeMutableBytes { crc32(UnsafeRawBufferPointer($0)) }
            print("memory #\(index): \(memory.size) bytes crc32 \(crc)")
        }
    default:
        break
    }
}

/// A type's name for the harness, nil for a type the bindings cannot pass. An `externref` is
/// left out too: the bindings show an externalized GC reference as null.
func kind(_ type: ValueType) -> String? {
    switch type {
    case .i32: return "i32"
    case .i64: return "i64"
    case .f32: return "f32"
    case .f64: return "f64"
    case .v128: return nil
    case .ref(let reference): return reference == .funcref ? "funcref" : nil
    }
}

func zero(_ type: ValueType) -> Value {
    switch type {
    case .i32: return .i32(0)
    case .i64: return .i64(0)
    case .f32: return .f32(0)
    case .f64: return .f64(0)
    case .v128: return .v128(V128(low: 0, high: 0))
    case .ref(let reference): return reference.heapType == .extern ? .externref(nil) : .funcref(nil)
    }
}

/// Values as differential.py prints wasmtime's: integers unsigned, floats as bit patterns.
func describe(_ value: Value) -> String {
    switch value {
    case .i32(let v): return "i32:\(v)"
    case .i64(let v): return "i64:\(v)"
    case .f32(let bits): return "f32:\(bits)"
    case .f64(let bits): return "f64:\(bits)"
    case .v128(let v): return "v128:\(v.low),\(v.high)"
    case .funcref(let f): return f == nil ? "funcref:null" : "funcref:ref"
    case .externref(let e): return e == nil ? "externref:null" : "externref:ref"
    case .externalized: return "externref:ref"
    case .anyref(let r): return r == nil ? "anyref:null" : "anyref:ref"
    case .exnref(let e): return e == nil ? "exnref:null" : "exnref:ref"
    }
}

func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        table[i] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[0..<count]
    }
    return bytes
}
