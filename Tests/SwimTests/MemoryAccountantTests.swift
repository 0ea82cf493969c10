@testable import Swim
import SwimTypes
import Testing

@Suite("The store's memory accountant")
struct MemoryAccountantTests {
    static let page = UInt64(MemoryType.pageSize)

    func engine(memoryLimit: UInt64) -> Engine {
        var configuration = Engine.Configuration()
        configuration.memoryLimit = memoryLimit
        return Engine(configuration: configuration)
    }

    @Test func takesOnlyWhatFitsAndTakesBack() {
        var accountant = MemoryAccountant(limit: 100)
        let first = accountant.take(60), tooMuch = accountant.take(41)
        #expect(first && !tooMuch)
        #expect(accountant.used == 60)
        let rest = accountant.take(40)
        #expect(rest && accountant.available == 0)
        accountant.give(50)
        #expect(accountant.used == 50)
        let again = accountant.take(51), exact = accountant.take(50)
        #expect(!again && exact)
        #expect(accountant.used == 100)
    }

    @Test func memoriesShareTheStoreLimit() throws {
        let (store, instance) = try instantiate("""
            (module (memory 1) (memory 1)
              (func (export "grow0") (param i32) (result i32) (memory.grow 0 (local.get 0)))
              (func (export "grow1") (param i32) (result i32) (memory.grow 1 (local.get 0))))
            """, engine: engine(memoryLimit: 3 * Self.page))
        #expect(store.storage.accountant.used == 2 * Self.page)
        #expect(try instance.function("grow0")?.call([.i32(1)]) == [.i32(1)])
        // The third page is taken: neither memory may grow, though each is far below its maximum.
        #expect(try instance.function("grow1")?.call([.i32(1)]) == [.i32(UInt32.max)])
        #expect(try instance.function("grow0")?.call([.i32(1)]) == [.i32(UInt32.max)])
        #expect(try instance.function("grow1")?.call([.i32(0)]) == [.i32(1)])
        #expect(store.storage.accountant.used == 3 * Self.page)
    }

    @Test func hostGrowthAndHostMemoriesAreCounted() throws {
        let store = Store(engine: engine(memoryLimit: 4 * Self.page))
        let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 2)))
        #expect(memory.grow(by: 1) == 2)
        #expect(memory.grow(by: 2) == nil)
        #expect(memory.pages == 3)
        #expect(throws: InstantiationError.self) {
            _ = try Memory(store: store, type: MemoryType(limits: Limits(min: 2)))
        }
        #expect(store.storage.accountant.used == 3 * Self.page)
    }

    /// FuzzRun's timeout-035cfb01: a global holding an `array.new` of 4,294,967,259 bytes.
    @Test func aConstantArrayOverTheLimitFailsInstantiation() throws {
        #expect(throws: (any Error).self) {
            _ = try instantiate("""
                (module (type $a (array i8))
                  (global (ref $a) (array.new $a (i32.const 10) (i32.const -37))))
                """, engine: engine(memoryLimit: 256 << 20))
        }
    }

    @Test func instantiationOverTheLimitThrows() throws {
        #expect(throws: InstantiationError.self) {
            _ = try instantiate("(module (memory 2))", engine: engine(memoryLimit: Self.page))
        }
        #expect(throws: InstantiationError.self) {
            _ = try instantiate("(module (table 100 funcref))", engine: engine(memoryLimit: 799))
        }
    }

    @Test func tablesCountTheirElements() throws {
        let (store, instance) = try instantiate("""
            (module (table 5 funcref)
              (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
            """, engine: engine(memoryLimit: 10 * 8))
        #expect(store.storage.accountant.used == 5 * 8)
        #expect(try instance.function("grow")?.call([.i32(5)]) == [.i32(5)])
        #expect(store.storage.accountant.used == 10 * 8)
        #expect(try instance.function("grow")?.call([.i32(1)]) == [.i32(UInt32.max)])
    }

    @Test func aTableGrowsWithoutSlackWhenDoublingDoesNotFit() throws {
        let (store, instance) = try instantiate("""
            (module (table 4 funcref)
              (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
            """, engine: engine(memoryLimit: 6 * 8))
        // Doubling to 8 elements would not fit; exactly 6 does.
        #expect(try instance.function("grow")?.call([.i32(2)]) == [.i32(4)])
        #expect(store.storage.accountant.used == 6 * 8)
    }

    @Test func aMemoryReservesNoMoreThanTheLimitLeaves() throws {
        let store = Store(engine: engine(memoryLimit: 3 * Self.page))
        let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, is64: true)))
        #expect(memory.entity.pointee.maxPages == 3)
        #expect(memory.grow(by: 2) == 1)
        #expect(memory.grow(by: 1) == nil)
    }
}
