import Swim
import Testing

@Suite struct EmbeddingAPITests {
    @Test func hostFunctionsReceiveArgumentsAndReturnResults() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        nonisolated(unsafe) var seen: [Value] = []
        linker.defineFunction("env", "mix", store: store,
                              type: FunctionType(parameters: [.i32, .i64, .f64], results: [.i64])) { _, args in
            seen = args
            guard case .i32(let a) = args[0], case .i64(let b) = args[1] else { return [.i64(0)] }
            return [.i64(UInt64(a) &* 1000 &+ b)]
        }
        let (_, instance) = try instantiate("""
            (module (import "env" "mix" (func $mix (param i32 i64 f64) (result i64)))
              (func (export "go") (result i64) (call $mix (i32.const 7) (i64.const 42) (f64.const 1.5))))
            """, linker: linker, store: store)
        #expect(try instance.function("go")?.call([]) == [.i64(7042)])
        #expect(seen == [.i32(7), .i64(42), Value(1.5)])
    }

    @Test func hostErrorsPropagateUnchanged() throws {
        struct Boom: Error, Equatable {}
        let store = Store(engine: Engine())
        var linker = Linker()
        linker.defineFunction("env", "fail", store: store, type: FunctionType()) { _, _ in throw Boom() }
        let (_, instance) = try instantiate("""
            (module (import "env" "fail" (func $fail)) (func (export "go") (call $fail) (unreachable)))
            """, linker: linker, store: store)
        #expect(throws: Boom.self) { try instance.function("go")?.call([]) }
    }

    @Test func hostFunctionsSeeTheCallersMemory() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        nonisolated(unsafe) var text = ""
        linker.defineFunction("env", "print", store: store,
                              type: FunctionType(parameters: [.i32, .i32])) { caller, args in
            guard case .i32(let p) = args[0], case .i32(let n) = args[1],
                  let bytes = caller.memory?.read(at: Int(p), count: Int(n)) else { return [] }
            text = String(decoding: bytes, as: UTF8.self)
            return []
        }
        let (_, instance) = try instantiate("""
            (module (import "env" "print" (func $print (param i32 i32)))
              (memory (export "memory") 1) (data (i32.const 16) "hello, swim")
              (func (export "go") (call $print (i32.const 16) (i32.const 11))))
            """, linker: linker, store: store)
        try instance.function("go")?.call([])
        #expect(text == "hello, swim")
        let memory = try #require(instance.memory("memory"))
        #expect(memory.pages == 1)
        #expect(memory.write([1, 2, 3], at: 65534) == false)
        #expect(memory.read(at: 65535, count: 2) == nil)
        #expect(memory.grow(by: 2) == 1)
        #expect(memory.size == 3 * 65536)
    }

    @Test func trapsCarryTheSpecMessage() throws {
        let (_, instance) = try instantiate("""
            (module (memory 1)
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "trap") (unreachable)))
            """)
        #expect(throws: Trap(.integerDivideByZero)) { try instance.function("div")?.call([.i32(1), .i32(0)]) }
        #expect(throws: Trap(.integerOverflow)) {
            try instance.function("div")?.call([.i32(0x8000_0000), .i32(0xFFFF_FFFF)])
        }
        #expect(throws: Trap(.outOfBoundsMemoryAccess)) { try instance.function("load")?.call([.i32(65533)]) }
        #expect(throws: Trap(.unreachable)) { try instance.function("trap")?.call([]) }
        #expect(Trap(.outOfBoundsMemoryAccess).message == "out of bounds memory access")
    }

    @Test func callsCheckArguments() throws {
        let (_, instance) = try instantiate("(module (func (export \"id\") (param i32) (result i32) (local.get 0)))")
        let id = try #require(instance.function("id"))
        #expect(throws: CallError.self) { try id.call([]) }
        #expect(throws: CallError.self) { try id.call([.i64(1)]) }
        #expect(try id.call([.i32(9)]) == [.i32(9)])
    }

    @Test func missingAndMismatchedImportsFailToInstantiate() throws {
        let engine = Engine()
        let store = Store(engine: engine)
        #expect(throws: InstantiationError("unknown import: env.f")) {
            _ = try instantiate("(module (import \"env\" \"f\" (func)))", store: store)
        }
        var linker = Linker()
        linker.defineFunction("env", "f", store: store, type: FunctionType(parameters: [.i32])) { _, _ in [] }
        #expect(throws: InstantiationError("incompatible import type: env.f")) {
            _ = try instantiate("(module (import \"env\" \"f\" (func (param i64))))", linker: linker, store: store)
        }
    }

    @Test func globalsAndTablesAreAccessible() throws {
        let (_, instance) = try instantiate("""
            (module (global (export "g") (mut i64) (i64.const 5)) (table (export "t") 2 funcref)
              (func $f (export "f") (result i64) (global.get 0)) (elem (i32.const 1) $f))
            """)
        let g = try #require(instance.global("g"))
        #expect(g.value == .i64(5))
        try g.set(.i64(11))
        #expect(try instance.function("f")?.call([]) == [.i64(11)])
        #expect(throws: CallError.self) { try g.set(.i32(1)) }
        let t = try #require(instance.table("t"))
        #expect(t.count == 2)
        #expect(t[0] == .funcref(nil))
        #expect(t[1] == .funcref(instance.function("f")))
        #expect(t[2] == nil)
    }

    @Test func interruptStopsRunningCode() throws {
        var configuration = Engine.Configuration()
        configuration.interruptible = true
        let engine = Engine(configuration: configuration)
        let (store, instance) = try instantiate("(module (func (export \"forever\") (loop $l (br $l))))", engine: engine)
        let forever = try #require(instance.function("forever"))
        store.interrupt()
        #expect(throws: Trap(.interrupted)) { try forever.call([]) }
        store.resetInterrupt()
        store.fuel = 1000
        #expect(throws: Trap(.outOfFuel)) { try forever.call([]) }
    }
}

@Suite struct TrapLocationTests {
    @Test func trapsNameTheFunctionTheyHappenedIn() throws {
        let (_, instance) = try instantiate("""
            (module (func $helper (unreachable)) (func (export "go") (call $helper)))
            """)
        do {
            try instance.function("go")?.call([])
            Issue.record("no trap")
        } catch let trap as Trap {
            #expect(trap.reason == .unreachable)
            #expect(trap.location == "in function 0")
        }
    }
}
