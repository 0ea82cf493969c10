import Swim
import SwimWAT
import Testing
@testable import SwimWASI

/// WASI preview1 is a 32-bit ABI: its pointers are i32 offsets into memory 0.
@Suite struct WASIMemory64Tests {
    /// Instantiates `wat` with WASI, and a 64-bit memory of one page as env.memory.
    func instantiate(_ wat: String) throws -> Instance {
        let engine = Engine()
        let module = try Module(engine: engine, bytes: try wat2wasm(wat))
        let store = Store(engine: engine)
        let wasi = try WASI(WASIConfiguration(arguments: ["test"]))
        defer { wasi.close() }
        var linker = Linker()
        wasi.define(in: &linker, store: store, importsOf: module)
        let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, is64: true)))
        linker.define("env", "memory", .memory(memory))
        return try linker.instantiate(module, in: store)
    }

    @Test func aSixtyFourBitMemoryZeroIsRefusedClearly() throws {
        let wat = """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
              (memory i64 1))
            """
        do {
            _ = try instantiate(wat)
            Issue.record("a module with a 64-bit memory 0 instantiated against WASI preview1")
        } catch let error as InstantiationError {
            #expect("\(error)".contains("fd_write"))
            #expect("\(error)".contains("64-bit"))
        }
    }

    @Test func anImportedSixtyFourBitMemoryZeroIsRefusedToo() throws {
        let wat = """
            (module
              (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
              (import "env" "memory" (memory i64 1)))
            """
        do {
            _ = try instantiate(wat)
            Issue.record("a module with an imported 64-bit memory 0 instantiated against WASI preview1")
        } catch let error as InstantiationError {
            #expect("\(error)".contains("random_get"))
        }
    }

    @Test func aThirtyTwoBitMemoryZeroWithA64BitMemoryBesideItWorks() throws {
        let instance = try instantiate("""
            (module
              (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
              (memory 1) (memory i64 1)
              (func (export "go") (result i32) (call $random (i32.const 0) (i32.const 16))))
            """)
        #expect(try instance.function("go")?.call([]) == [.i32(0)])
    }
}
