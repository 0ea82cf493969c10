import Swim
import SwimTypes
import Testing

@Suite("64-bit memories and tables")
struct Memory64Tests {
    @Test func addressesAreSixtyFourBitsAndNeverWrap() throws {
        let (_, instance) = try instantiate("""
            (module (memory i64 1)
              (func (export "load") (param i64) (result i32) (i32.load (local.get 0)))
              (func (export "loadOffset") (param i64) (result i32) (i32.load offset=0xFFFF_FFFF_FFFF_FFF0 (local.get 0)))
              (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1))))
            """)
        try instance.function("store")?.call([.i64(65532), .i32(5)])
        #expect(try instance.function("load")?.call([.i64(65532)]) == [.i32(5)])
        // 2^32 + 65532 would be 65532 in 32 bits: it must trap, not alias.
        #expect(throws: Trap.self) { try instance.function("load")?.call([.i64(0x1_0000_FFFC)]) }
        #expect(throws: Trap.self) { try instance.function("load")?.call([.i64(UInt64.max)]) }
        // address + offset overflows 64 bits: out of bounds, not a small address.
        #expect(throws: Trap.self) { try instance.function("loadOffset")?.call([.i64(0x20)]) }
    }

    @Test func sizeGrowAndBulkOperationsTakeI64() throws {
        let (_, instance) = try instantiate("""
            (module (memory i64 1)
              (func (export "go") (result i64 i64 i64 i32)
                (memory.grow (i64.const 1))
                (memory.fill (i64.const 65536) (i32.const 0x61) (i64.const 4))
                (memory.copy (i64.const 0) (i64.const 65536) (i64.const 4))
                (memory.size)
                (memory.grow (i64.const 0x1_0000_0000))
                (i32.load (i64.const 0))))
            """)
        #expect(try instance.function("go")?.call([]) == [.i64(1), .i64(2), .i64(UInt64.max), .i32(0x6161_6161)])
    }

    @Test func growsBeyondFourGiBWhereTheEngineAllows() throws {
        var configuration = Engine.Configuration()
        configuration.maxMemoryPages = 65536 + 16
        let (_, instance) = try instantiate("""
            (module (memory i64 65536)
              (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
              (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
              (func (export "load") (param i64) (result i64) (i64.load (local.get 0))))
            """, engine: Engine(configuration: configuration))
        let past4GiB: UInt64 = (1 << 32) + 65536 + 8
        #expect(throws: Trap.self) { try instance.function("load")?.call([.i64(past4GiB)]) }
        #expect(try instance.function("grow")?.call([.i64(2)]) == [.i64(65536)])
        try instance.function("store")?.call([.i64(past4GiB), .i64(0xFEED)])
        #expect(try instance.function("load")?.call([.i64(past4GiB)]) == [.i64(0xFEED)])
        #expect(try instance.function("grow")?.call([.i64(15)]) == [.i64(UInt64.max)])
    }

    @Test func theDefaultEngineStopsAtFourGiB() throws {
        let (_, instance) = try instantiate("""
            (module (memory i64 0)
              (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))
            """)
        #expect(try instance.function("grow")?.call([.i64(65537)]) == [.i64(UInt64.max)])
        #expect(try instance.function("grow")?.call([.i64(1)]) == [.i64(0)])
    }

    @Test func tablesTakeI64Indices() throws {
        let (_, instance) = try instantiate("""
            (module (table $t i64 2 funcref) (type $r (func (result i32)))
              (elem (table $t) (i64.const 1) func $seven)
              (func $seven (result i32) (i32.const 7))
              (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
              (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
              (func (export "size") (result i64) (table.size $t)))
            """)
        #expect(try instance.function("call")?.call([.i64(1)]) == [.i32(7)])
        #expect(throws: Trap.self) { try instance.function("call")?.call([.i64(0x1_0000_0001)]) }
        #expect(try instance.function("grow")?.call([.i64(3)]) == [.i64(2)])
        #expect(try instance.function("size")?.call([]) == [.i64(5)])
        #expect(try instance.function("grow")?.call([.i64(UInt64.max)]) == [.i64(UInt64.max)])
    }

    @Test func aSixtyFourBitMemoryImportMatchesOnlyItsKind() throws {
        let store = Store(engine: Engine())
        let memory32 = try Memory(store: store, type: MemoryType(limits: Limits(min: 1)))
        var linker = Linker()
        linker.define("env", "m", .memory(memory32))
        #expect(throws: InstantiationError.self) {
            _ = try instantiate("(module (import \"env\" \"m\" (memory i64 1)))", linker: linker, store: store)
        }
    }

    @Test func turnedOffItIsRejected() throws {
        var configuration = Engine.Configuration()
        configuration.features.remove(.memory64)
        #expect(throws: (any Error).self) {
            _ = try instantiate("(module (memory i64 1))", engine: Engine(configuration: configuration))
        }
    }
}
