#if canImport(Glibc)
import Glibc
#endif
@testable import Swim
import SwimWAT
import Testing

/// The collector: garbage is freed, and everything a root reaches survives, whichever root
/// it is (locals and operands of waiting frames, globals, tables, element segments, exception
/// payloads, the host's handles). Most tests run twice: collecting every 64 KiB of allocation,
/// and before every allocation (which also poisons freed objects, so that a missed root reads
/// garbage).
@Suite struct CollectorTests {
    static func engine(stress: Bool) -> Engine {
        var configuration = Engine.Configuration()
        configuration.collectsOnEveryAllocation = stress
        return Engine(configuration: configuration)
    }

    static func instantiate(_ wat: String, stress: Bool, linker: Linker = Linker(),
                            store: Store? = nil) throws -> (Store, Instance) {
        let store = store ?? Store(engine: engine(stress: stress))
        store.storage.heap.minimumThreshold = 64 << 10
        return try SwimTests.instantiate(wat, linker: linker, store: store)
    }

    /// A list of `i32` nodes and a function that makes garbage.
    static let listModule = """
        (type $node (struct (field $value i32) (field $next (ref null $node))))
        (type $bytes (array (mut i8)))
        (func $garbage (param $n i32)
          (loop $l
            (drop (array.new_default $bytes (i32.const 1000)))
            (drop (struct.new $node (local.get $n) (ref.null $node)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func $sum (param $list (ref null $node)) (result i32)
          (local $sum i32)
          (block $done
            (loop $l
              (br_if $done (ref.is_null (local.get $list)))
              (local.set $sum (i32.add (local.get $sum) (struct.get $node $value (local.get $list))))
              (local.set $list (struct.get $node $next (local.get $list)))
              (br $l)))
          (local.get $sum))
        """

    @Test(arguments: [false, true])
    func garbageIsFreedAndLiveListsSurvive(stress: Bool) throws {
        let (store, instance) = try Self.instantiate("""
            (module \(Self.listModule)
              (global $kept (mut (ref null $node)) (ref.null $node))
              (func (export "build") (param $n i32) (result i32)
                (local $list (ref null $node))
                (loop $l
                  (local.set $list (struct.new $node (local.get $n) (local.get $list)))
                  (call $garbage (i32.const 10))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (global.set $kept (local.get $list))
                (call $sum (local.get $list)))
              (func (export "kept") (result i32) (call $sum (global.get $kept))))
            """, stress: stress)
        let n: UInt32 = stress ? 200 : 2000
        let expected = Value.i32(n * (n + 1) / 2)
        #expect(try instance.function("build")?.call([.i32(n)]) == [expected])
        #expect(store.storage.heap.collections > 0)
        // The list's nodes survive, the garbage does not.
        #expect(store.storage.heap.objectCount < Int(n) + 5000)
        #expect(try instance.function("kept")?.call([]) == [expected])
    }

    @Test(arguments: [false, true])
    func operandsOfCallsAndAllocationsSurvive(stress: Bool) throws {
        let (_, instance) = try Self.instantiate("""
            (module \(Self.listModule)
              (type $pair (struct (field (ref $node)) (field (ref $node))))
              (func $make (param $v i32) (result (ref $node))
                (call $garbage (i32.const 20))
                (struct.new $node (local.get $v) (ref.null $node)))
              (func $first (param (ref $node)) (param i32) (result i32) (struct.get $node $value (local.get 0)))
              (func (export "run") (result i32)
                (local $p (ref null $pair))
                ;; The first node is an operand (in its canonical slot) while the second is made.
                (local.set $p (struct.new $pair (call $make (i32.const 3)) (call $make (i32.const 4))))
                (i32.add
                  ;; A node below a call's arguments, while the callee allocates.
                  (call $first (struct.get $pair 0 (local.get $p)) (call $sum (call $make (i32.const 5))))
                  (i32.add (struct.get $node $value (struct.get $pair 1 (local.get $p)))
                           (array.len (array.new_fixed $bytes 3 (i32.const 1) (i32.const 2) (i32.const 3)))))))
            """, stress: stress)
        #expect(try instance.function("run")?.call([]) == [.i32(10)])
    }

    @Test(arguments: [false, true])
    func globalsTablesAndSegmentsAreRoots(stress: Bool) throws {
        let (_, instance) = try Self.instantiate("""
            (module \(Self.listModule)
              (table $t 2 anyref)
              (global $g (ref $node) (struct.new $node (i32.const 1) (ref.null $node)))
              (elem $e anyref (item (struct.new $node (i32.const 2) (ref.null $node))))
              (func (export "run") (result i32)
                (table.set $t (i32.const 1) (struct.new $node (i32.const 3) (ref.null $node)))
                (call $garbage (i32.const 300))
                (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1))
                (i32.add (call $sum (global.get $g))
                  (i32.add (call $sum (ref.cast (ref $node) (table.get $t (i32.const 0))))
                           (call $sum (ref.cast (ref $node) (table.get $t (i32.const 1))))))))
            """, stress: stress)
        #expect(try instance.function("run")?.call([]) == [.i32(6)])
        #expect(try instance.function("run")?.call([]) == [.i32(6)])
    }

    @Test(arguments: [false, true])
    func exceptionsCarryReferencesThroughCollections(stress: Bool) throws {
        let (_, instance) = try Self.instantiate("""
            (module \(Self.listModule)
              (tag $e (param (ref $node) i32))
              (func $thrower (param $v i32)
                (throw $e (struct.new $node (local.get $v) (ref.null $node)) (local.get $v)))
              (func (export "run") (param $n i32) (result i32)
                (local $sum i32)
                (loop $l
                  (block $h (result (ref $node) i32)
                    (try_table (catch $e $h) (call $thrower (local.get $n)))
                    (unreachable))
                  (call $garbage (i32.const 5))
                  (drop)
                  (call $sum)
                  (local.get $sum)
                  (i32.add)
                  (local.set $sum)
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $sum)))
            """, stress: stress)
        #expect(try instance.function("run")?.call([.i32(100)]) == [.i32(5050)])
    }

    @Test(arguments: [false, true])
    func tailCallsKeepTheirArguments(stress: Bool) throws {
        let (_, instance) = try Self.instantiate("""
            (module \(Self.listModule)
              (func $build (param $n i32) (param $list (ref null $node)) (result i32)
                (call $garbage (i32.const 3))
                (if (i32.eqz (local.get $n)) (then (return (call $sum (local.get $list)))))
                (return_call $build (i32.sub (local.get $n) (i32.const 1))
                                    (struct.new $node (local.get $n) (local.get $list))))
              (func (export "run") (param i32) (result i32) (call $build (local.get 0) (ref.null $node))))
            """, stress: stress)
        #expect(try instance.function("run")?.call([.i32(300)]) == [.i32(45150)])
    }

    @Test(arguments: [false, true])
    func hostCallsKeepTheFramesBelowThem(stress: Bool) throws {
        let store = Store(engine: Self.engine(stress: stress))
        store.storage.heap.minimumThreshold = 64 << 10
        var linker = Linker()
        // The host calls back into wasm, which collects while the outer frames wait.
        let callback = Callback()
        linker.defineFunction("host", "churn", store: store, type: FunctionType(parameters: [.i32])) { _, arguments in
            try callback.function?.call(arguments)
            return []
        }
        let (_, instance) = try Self.instantiate("""
            (module
              (import "host" "churn" (func $churn (param i32)))
              \(Self.listModule)
              (func (export "garbage") (param i32) (call $garbage (local.get 0)))
              (func (export "run") (result i32)
                (local $a (ref null $node))
                (local.set $a (struct.new $node (i32.const 7) (ref.null $node)))
                (i32.add (call $sum (local.get $a))
                  (call $first-after-churn (struct.new $node (i32.const 8) (ref.null $node)))))
              (func $first-after-churn (param $n (ref $node)) (result i32)
                (call $churn (i32.const 200))
                (struct.get $node $value (local.get $n))))
            """, stress: stress, linker: linker, store: store)
        callback.function = instance.function("garbage")
        #expect(try instance.function("run")?.call([]) == [.i32(15)])
    }

    @Test func hostHandlesKeepObjectsAlive() throws {
        let (store, instance) = try Self.instantiate("""
            (module \(Self.listModule)
              (func (export "make") (param i32) (result (ref $node)) (struct.new $node (local.get 0) (ref.null $node)))
              (func (export "garbage") (param i32) (call $garbage (local.get 0)))
              (func (export "value") (param (ref $node)) (result i32) (struct.get $node $value (local.get 0))))
            """, stress: false)
        var made = try #require(try instance.function("make")?.call([.i32(41)]))
        try instance.function("garbage")?.call([.i32(500)])
        #expect(try instance.function("value")?.call(made) == [.i32(41)])
        // Once the host drops its handle, the object goes with the next collection.
        let before = store.storage.heap.objectCount
        made = []
        try instance.function("garbage")?.call([.i32(500)])
        #expect(store.storage.heap.objectCount < before + 1000)
        #expect(store.storage.gcObjects.values.allSatisfy { $0.object == nil } || store.storage.gcObjects.isEmpty)
    }

    @Test func aStoreAllocatingTenGiBStaysUnderItsLimit() throws {
        var configuration = Engine.Configuration()
        configuration.memoryLimit = 256 << 20
        let store = Store(engine: Engine(configuration: configuration))
        let (_, instance) = try SwimTests.instantiate("""
            (module
              (type $chunk (array (mut i8)))
              (func (export "churn") (param $n i32) (result i32)
                (local $kept (ref null $chunk)) (local $chunks i32)
                (loop $l
                  ;; 1 MiB a time; every 16th chunk stays alive until the next one.
                  (local.set $chunks (i32.add (local.get $chunks)
                    (i32.eq (array.len (array.new_default $chunk (i32.const 1048576))) (i32.const 1048576))))
                  (if (i32.eqz (i32.and (local.get $n) (i32.const 15)))
                    (then (local.set $kept (array.new_default $chunk (i32.const 1048576)))))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (i32.add (local.get $chunks) (array.len (local.get $kept)))))
            """, store: store)
        let before = residentBytes()
        // 10240 chunks of 1 MiB, and 640 more kept a while: 10.6 GiB in all.
        #expect(try instance.function("churn")?.call([.i32(10240)]) == [.i32(10240 + 1048576)])
        #expect(store.storage.accountant.used <= 256 << 20)
        #expect(store.storage.heap.collections > 40)
        // Freed chunks go back to the system: the process did not grow by the 10 GiB. (Other
        // tests run at the same time, so the bound is loose.)
        if let before, let after = residentBytes() { #expect(after < before + (512 << 20)) }
    }

    @Test func aStoreFreesItsHeapWhenItGoes() throws {
        var configuration = Engine.Configuration()
        configuration.memoryLimit = 64 << 20
        for _ in 0..<20 {
            let (store, instance) = try SwimTests.instantiate("""
                (module (type $chunk (array (mut i8)))
                  (global $g (mut (ref null $chunk)) (ref.null $chunk))
                  (func (export "fill") (global.set $g (array.new_default $chunk (i32.const 33554432)))))
                """, engine: Engine(configuration: configuration))
            try instance.function("fill")?.call([])
            #expect(store.storage.heap.bytes >= 32 << 20)
        }
    }
}

/// A function the host calls back, set once the instance exists.
final class Callback: @unchecked Sendable {
    var function: Function?
}

/// The process's resident set size, from /proc/self/statm; nil where there is none.
func residentBytes() -> UInt64? {
    #if canImport(Glibc)
    guard let file = fopen("/proc/self/statm", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    guard fgets(&line, Int32(line.count), file) != nil else { return nil }
    let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .split(separator: " ")
    guard fields.count >= 2, let pages = UInt64(fields[1]) else { return nil }
    return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return nil
    #endif
}
