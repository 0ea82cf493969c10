import Swim
import SwimWAT
import Testing

/// GC's instructions at run time: structs, arrays, i31, casts and their traps, and GC
/// references passed to and from the host.
@Suite struct GCInstructionTests {
    @Test func structsOfEveryFieldSize() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $s (struct (field (mut i8)) (field (mut i16)) (field (mut i32)) (field (mut i64)) (field (mut v128))
                               (field (mut f32)) (field (mut anyref))))
              (func (export "round-trip") (result i32 i32 i32 i64 i64 f32 i32)
                (local $o (ref null $s))
                (local.set $o (struct.new $s (i32.const -1) (i32.const -2) (i32.const 3) (i64.const 4)
                                             (v128.const i64x2 5 6) (f32.const 7.5) (ref.i31 (i32.const 8))))
                (struct.set $s 0 (local.get $o) (i32.const 0x181))
                (struct.get_s $s 0 (local.get $o))
                (struct.get_u $s 1 (local.get $o))
                (struct.get $s 2 (local.get $o))
                (struct.get $s 3 (local.get $o))
                (i64x2.extract_lane 1 (struct.get $s 4 (local.get $o)))
                (struct.get $s 5 (local.get $o))
                (i31.get_u (ref.cast (ref i31) (struct.get $s 6 (local.get $o)))))
              (func (export "null") (result i32) (struct.get $s 2 (ref.null $s))))
            """)
        #expect(try instance.function("round-trip")?.call([])
            == [.i32(UInt32(bitPattern: -127)), .i32(0xFFFE), .i32(3), .i64(4), .i64(6), Value(Float(7.5)), .i32(8)])
        #expect(throws: Trap(.nullStructureReference)) { try instance.function("null")?.call([]) }
        #expect(Trap(.nullStructureReference).message == "null structure reference")
    }

    @Test func arraysAndTheirTraps() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $a (array (mut i16)))
              (data $d "\\01\\00\\02\\00\\03\\00")
              (func $make (result (ref $a)) (array.new_data $a $d (i32.const 0) (i32.const 3)))
              (func (export "sum") (result i32)
                (local $a (ref null $a))
                (local.set $a (call $make))
                (array.fill $a (local.get $a) (i32.const 2) (i32.const 10) (i32.const 1))
                (array.copy $a $a (local.get $a) (i32.const 0) (local.get $a) (i32.const 1) (i32.const 2))
                (i32.add (i32.add (array.get_u $a (local.get $a) (i32.const 0)) (array.get_u $a (local.get $a) (i32.const 1)))
                         (i32.add (array.get_s $a (local.get $a) (i32.const 2)) (array.len (local.get $a)))))
              (func (export "out") (param i32) (result i32) (array.get_u $a (call $make) (local.get 0)))
              (func (export "null") (result i32) (array.len (ref.null $a)))
              (func (export "data") (param i32) (drop (array.new_data $a $d (local.get 0) (i32.const 3)))))
            """)
        // [1, 2, 3] → fill [1, 2, 10] → copy [2, 10, 10]: 2 + 10 + 10 + 3.
        #expect(try instance.function("sum")?.call([]) == [.i32(25)])
        #expect(throws: Trap(.outOfBoundsArrayAccess)) { try instance.function("out")?.call([.i32(3)]) }
        #expect(throws: Trap(.nullArrayReference)) { try instance.function("null")?.call([]) }
        #expect(throws: Trap(.outOfBoundsMemoryAccess)) { try instance.function("data")?.call([.i32(1)]) }
    }

    @Test func castsAndBranches() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $s (sub (struct)))
              (type $t (sub $s (struct (field i32))))
              (func (export "classify") (param anyref) (result i32)
                (block $t (result (ref $t))
                  (block $s (result (ref $s))
                    (block $i (result (ref i31))
                      (br_on_cast $i anyref (ref i31) (local.get 0))
                      (br_on_cast $t anyref (ref $t))
                      (br_on_cast $s anyref (ref $s))
                      (drop)
                      (return (i32.const 0)))
                    (return (i31.get_s)))
                  (return (drop) (i32.const 100)))
                (struct.get $t 0))
              (func (export "make") (param i32) (result anyref)
                (if (result anyref) (i32.eqz (local.get 0))
                  (then (struct.new $t (i32.const 200)))
                  (else (if (result anyref) (i32.eq (local.get 0) (i32.const 1))
                    (then (struct.new_default $s)) (else (ref.i31 (i32.const -5)))))))
              (func (export "cast") (param anyref) (result anyref) (ref.cast (ref $t) (local.get 0))))
            """)
        let make = try #require(instance.function("make"))
        let classify = try #require(instance.function("classify"))
        for (kind, expected) in [(0, Value.i32(200)), (1, .i32(100)), (2, .i32(UInt32(bitPattern: -5)))] {
            let object = try make.call([.i32(UInt32(kind))])
            #expect(try classify.call(object) == [expected])
        }
        #expect(try classify.call([.anyref(nil)]) == [.i32(0)])
        #expect(throws: Trap(.castFailure)) { try instance.function("cast")?.call(try make.call([.i32(1)])) }
    }

    @Test func referencesSeenByTheHost() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $s (struct (field i32)))
              (global $g (mut anyref) (ref.null any))
              (func (export "struct") (result (ref $s)) (struct.new $s (i32.const 1)))
              (func (export "i31") (result i31ref) (ref.i31 (i32.const -3)))
              (func (export "keep") (param anyref) (global.set $g (local.get 0)))
              (func (export "same") (param eqref) (result i32) (ref.eq (local.get 0) (ref.cast eqref (global.get $g))))
              (func (export "internalize") (param externref) (result anyref) (any.convert_extern (local.get 0)))
              (func (export "externalize") (param anyref) (result externref) (extern.convert_any (local.get 0))))
            """)
        let objects = try #require(try instance.function("struct")?.call([]))
        guard case .anyref(.object(let object))? = objects.first else {
            Issue.record("expected a struct, got \(objects)")
            return
        }
        #expect(object.isStruct)
        #expect(try instance.function("i31")?.call([]) == [.anyref(.i31(-3))])
        // The host hands the struct back: ref.eq sees the same object.
        try instance.function("keep")?.call([.anyref(.object(object))])
        #expect(try instance.function("same")?.call([.anyref(.object(object))]) == [.i32(1)])
        // A host value converts to the any hierarchy and back unchanged.
        #expect(try instance.function("internalize")?.call([.externref(7)]) == [.anyref(.host(7))])
        #expect(try instance.function("externalize")?.call([.anyref(.host(7))]) == [.externref(7)])
        #expect(try instance.function("externalize")?.call([.anyref(.i31(2))]) == [.externalized(.i31(2))])
        // Values of the wrong type are refused before the call.
        #expect(throws: CallError.self) { try instance.function("same")?.call([.anyref(.host(1))]) }
    }

    @Test func allocationsOverTheMemoryLimitTrap() throws {
        var configuration = Engine.Configuration()
        configuration.memoryLimit = 1 << 20
        let (_, instance) = try instantiate("""
            (module
              (type $a (array i64))
              (func (export "make") (param i32) (result i32) (array.len (array.new_default $a (local.get 0)))))
            """, engine: Engine(configuration: configuration))
        #expect(try instance.function("make")?.call([.i32(1000)]) == [.i32(1000)])
        #expect(throws: Trap(.outOfMemory)) { try instance.function("make")?.call([.i32(1 << 20)]) }
        #expect(throws: Trap(.outOfMemory)) { try instance.function("make")?.call([.i32(UInt32.max)]) }
    }
}
