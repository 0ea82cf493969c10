import Swim
import SwimTypes
import Testing

@Suite("Several memories in one module")
struct MultiMemoryTests {
    @Test func eachMemoryHasItsOwnBytes() throws {
        let (_, instance) = try instantiate("""
            (module
              (memory $a 1) (memory $b 2)
              (data (memory $b) (i32.const 8) "\\2a")
              (func (export "go") (result i32 i32 i32 i64)
                (i32.store $a (i32.const 8) (i32.const 7))
                (i32.store $b offset=4 (i32.const 12) (i32.const 9))
                ;; memory 0 again right after memory 1: its registers are back
                (i32.load $a (i32.const 8))
                (i32.load8_u $b (i32.const 8))
                (i32.load $b (i32.const 16))
                (i64.load $a (i32.const 8))))
            """)
        #expect(try instance.function("go")?.call([]) == [.i32(7), .i32(42), .i32(9), .i64(7)])
    }

    @Test func boundsAreEachMemorysOwn() throws {
        let (_, instance) = try instantiate("""
            (module (memory 2) (memory 1)
              (func (export "load1") (param i32) (result i32) (i32.load 1 (local.get 0)))
              (func (export "store1") (param i32) (i32.store16 1 (local.get 0) (i32.const 1))))
            """)
        #expect(try instance.function("load1")?.call([.i32(65532)]) == [.i32(0)])
        #expect(throws: Trap.self) { try instance.function("load1")?.call([.i32(65533)]) }
        #expect(throws: Trap.self) { try instance.function("store1")?.call([.i32(65535)]) }
        #expect(throws: Trap.self) { try instance.function("load1")?.call([.i32(UInt32.max)]) }
    }

    @Test func bulkOperationsNameTheirMemories() throws {
        let (_, instance) = try instantiate("""
            (module (memory 1) (memory 1) (memory 0)
              (data $d "abcdef")
              (func (export "go") (result i32 i32 i32 i32 i32)
                (memory.init 1 $d (i32.const 100) (i32.const 0) (i32.const 6))
                (memory.copy 0 1 (i32.const 10) (i32.const 101) (i32.const 4))
                (memory.fill 1 (i32.const 0) (i32.const 0x7a) (i32.const 2))
                (memory.copy 1 1 (i32.const 2) (i32.const 0) (i32.const 2))
                (i32.load 0 (i32.const 10))
                (i32.load 1 (i32.const 0))
                (memory.size 2)
                (memory.grow 2 (i32.const 3))
                (memory.size 2))
              (func (export "trap") (memory.fill 2 (i32.const 0) (i32.const 0) (i32.const 1))))
            """)
        #expect(try instance.function("go")?.call([]) == [
            .i32(0x6564_6362), .i32(0x7A7A_7A7A), .i32(0), .i32(0), .i32(3),
        ])
        #expect(throws: Trap.self) {
            let (_, fresh) = try instantiate("(module (memory 1) (memory 0) (func (export \"f\") (memory.fill 1 (i32.const 0) (i32.const 0) (i32.const 1))))")
            try fresh.function("f")?.call([])
        }
    }

    @Test func vectorsAndLanesReachOtherMemories() throws {
        let (_, instance) = try instantiate("""
            (module (memory 1) (memory 1)
              (func (export "go") (result i64 i64 i32)
                (v128.store 1 (i32.const 32) (v128.const i64x2 0x1122334455667788 0x99))
                (v128.store8_lane 1 0 (i32.const 48) (v128.const i8x16 5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))
                (i64x2.extract_lane 0 (v128.load 1 (i32.const 32)))
                (i64x2.extract_lane 1 (v128.load64_lane 1 1 (i32.const 32) (v128.const i64x2 0 0)))
                (i32.load 0 (i32.const 32))
                (drop)
                (i32.load8_u 1 (i32.const 48))))
            """)
        #expect(try instance.function("go")?.call([]) == [.i64(0x1122_3344_5566_7788), .i64(0x1122_3344_5566_7788), .i32(5)])
    }

    @Test func aMemoryImportedTwiceStaysOneMemory() throws {
        let store = Store(engine: Engine())
        let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 1)))
        var linker = Linker()
        linker.define("env", "m", .memory(memory))
        let (_, instance) = try instantiate("""
            (module (import "env" "m" (memory 1)) (import "env" "m" (memory 1))
              (func (export "go") (result i32 i32 i32)
                (drop (memory.grow 1 (i32.const 1)))
                ;; memory 0 is the same memory: its size register follows the growth
                (i32.store 0 (i32.const 65536) (i32.const 3))
                (memory.size 0)
                (i32.load 1 (i32.const 65536))
                (i32.load 0 (i32.const 65536))))
            """, linker: linker, store: store)
        #expect(try instance.function("go")?.call([]) == [.i32(2), .i32(3), .i32(3)])
        #expect(memory.pages == 2)
    }

    @Test func exportsEveryMemory() throws {
        let (_, instance) = try instantiate("""
            (module (memory (export "a") 1) (memory (export "b") 2)
              (func (export "fill") (i32.store8 1 (i32.const 70000) (i32.const 9))))
            """)
        try instance.function("fill")?.call([])
        #expect(instance.memory("a")?.pages == 1)
        #expect(instance.memory("b")?.read(at: 70000, count: 1) == [9])
    }

    @Test func turnedOffItIsRejected() throws {
        var configuration = Engine.Configuration()
        configuration.features.remove(.multiMemory)
        #expect(throws: (any Error).self) {
            _ = try instantiate("(module (memory 1) (memory 1))", engine: Engine(configuration: configuration))
        }
    }
}
