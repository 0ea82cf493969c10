#if canImport(Glibc)
import Glibc
#endif
@testable import Swim
import SwimWAT
import Testing

/// The GC benchmark programs (bench/programs/gc) give wasmtime's results (`wasmtime run -W gc=y
/// --invoke run`, 49.0.4), collecting as usual, every 16 KiB of allocation, and (binary-trees)
/// before every allocation.
@Suite struct GCBenchmarkTests {
    enum Collection { case usual, often, always }

    static func run(_ program: String, _ arguments: [Value], _ collection: Collection) throws -> [Value] {
        var configuration = Engine.Configuration()
        configuration.collectsOnEveryAllocation = collection == .always
        let engine = Engine(configuration: configuration)
        let store = Store(engine: engine)
        if collection == .often { store.storage.heap.minimumThreshold = 16 << 10 }
        let module = try Module(engine: engine, bytes: try wat2wasm(try source(of: program)))
        let instance = try Linker().instantiate(module, in: store)
        let results = try #require(instance.function("run")).call(arguments)
        if collection != .usual { #expect(store.gcHeap.collections > 0) }
        return results
    }

    /// The text of bench/programs/gc/`program`.wat (this file is Tests/SwimTests/GCBenchmarkTests.swift).
    static func source(of program: String) throws -> String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let path = parts.joined(separator: "/") + "/bench/programs/gc/\(program).wat"
        guard let file = fopen(path, "r") else { throw CallError("cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [Collection.usual, .often, .always])
    func binaryTrees(_ collection: Collection) throws {
        #expect(try Self.run("binary_trees", [.i32(6), .i32(2)], collection) == [.i64(8414)])
    }

    @Test(arguments: [Collection.usual, .often])
    func churn(_ collection: Collection) throws {
        #expect(try Self.run("churn", [.i32(20)], collection) == [.i64(314_542_746)])
    }
}
