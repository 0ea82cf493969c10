import Swim
import SwimWAT
import Testing

/// GC references in the embedding API: `Value.anyref` and `.externalized`, `GCObject` handles
/// that read and write fields and keep their objects alive, and the store's heap statistics.
@Suite struct GCEmbeddingTests {
    static let module = """
        (module
          (type $point (struct (field $x (mut i32)) (field $y i8) (field $next (mut (ref null $point)))))
          (type $bytes (array (mut i8)))
          (func (export "point") (param i32) (result (ref $point))
            (struct.new $point (local.get 0) (i32.const 200) (ref.null $point)))
          (func (export "bytes") (param i32) (result (ref $bytes)) (array.new $bytes (i32.const 7) (local.get 0)))
          (func (export "x") (param (ref $point)) (result i32) (struct.get $point $x (local.get 0)))
          (func (export "next-x") (param (ref $point)) (result i32)
            (struct.get $point $x (ref.as_non_null (struct.get $point $next (local.get 0))))))
        """

    static func object(_ values: [Value]) throws -> GCObject {
        guard case .anyref(.object(let object))? = values.first else { throw CallError("no object in \(values)") }
        return object
    }

    @Test func fieldsAndElementsReadAndWrite() throws {
        let (store, instance) = try instantiate(Self.module)
        let point = try Self.object(try #require(instance.function("point")).call([.i32(5)]))
        #expect(point.isStruct && point.count == 3)
        #expect(point[0] == .i32(5) && point[1] == .i32(200) && point[2] == .anyref(nil) && point[3] == nil)
        try point.set(0, .i32(9))
        #expect(try instance.function("x")?.call([.anyref(.object(point))]) == [.i32(9)])
        // A struct field may hold another object from the host.
        let other = try Self.object(try #require(instance.function("point")).call([.i32(11)]))
        try point.set(2, .anyref(.object(other)))
        #expect(try instance.function("next-x")?.call([.anyref(.object(point))]) == [.i32(11)])
        #expect(throws: CallError.self) { try point.set(1, .i32(1)) }  // immutable
        #expect(throws: CallError.self) { try point.set(0, .i64(1)) }  // wrong type
        #expect(throws: CallError.self) { try point.set(2, .anyref(.i31(1))) }  // not a $point
        let bytes = try Self.object(try #require(instance.function("bytes")).call([.i32(4)]))
        #expect(!bytes.isStruct && bytes.count == 4 && bytes[3] == .i32(7))
        try bytes.set(3, .i32(0x1FF))
        #expect(bytes[3] == .i32(0xFF))
        guard case .struct(let fields)? = store.definedType(point.typeID)?.composite else {
            Issue.record("no struct type \(point.typeID)")
            return
        }
        #expect(fields.count == 3 && fields[1] == FieldType(.i8))
    }

    @Test func handlesKeepObjectsAliveUntilDropped() throws {
        let (store, instance) = try instantiate(Self.module)
        var point: GCObject? = try Self.object(try #require(instance.function("point")).call([.i32(1)]))
        for i in 0..<100 { _ = try instance.function("bytes")?.call([.i32(UInt32(i))]) }
        store.collectGarbage()
        // Only the held point survives the collection.
        #expect(store.gcHeap.objects == 1)
        #expect(point?[0] == .i32(1))
        point = nil
        store.collectGarbage()
        #expect(store.gcHeap.objects == 0 && store.gcHeap.bytes == 0 && store.gcHeap.collections == 2)
    }

    @Test func globalsTablesAndHostFunctionsTakeReferences() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        let global = try Global(store: store, type: GlobalType(mutability: .variable, valueType: .anyref),
                                value: .anyref(.host(42)))
        let table = try Table(store: store, type: TableType(elementType: .eqref, limits: Limits(min: 2)))
        #expect(table.set(0, .anyref(.i31(-7))))
        #expect(!table.set(1, .anyref(.host(1))))  // a host value is no eqref
        linker.define("host", "g", .global(global))
        linker.define("host", "t", .table(table))
        linker.defineFunction("host", "wrap", store: store,
                              type: FunctionType(parameters: [.anyref], results: [.externref])) { _, arguments in
            guard case .anyref(let r) = arguments[0] else { return [.externref(nil)] }
            return [r.map { .externalized($0) } ?? .externref(nil)]
        }
        let (_, instance) = try instantiate("""
            (module
              (import "host" "g" (global $g (mut anyref)))
              (import "host" "t" (table $t 2 eqref))
              (import "host" "wrap" (func $wrap (param anyref) (result externref)))
              (func (export "i31") (result i32) (i31.get_s (ref.cast i31ref (table.get $t (i32.const 0)))))
              (func (export "host") (result externref) (extern.convert_any (global.get $g)))
              (func (export "round") (param anyref) (result anyref) (any.convert_extern (call $wrap (local.get 0)))))
            """, linker: linker, store: store)
        #expect(try instance.function("i31")?.call([]) == [.i32(UInt32(bitPattern: -7))])
        #expect(try instance.function("host")?.call([]) == [.externref(42)])
        #expect(try instance.function("round")?.call([.anyref(.i31(3))]) == [.anyref(.i31(3))])
        #expect(try instance.function("round")?.call([.anyref(.host(8))]) == [.anyref(.host(8))])
        try global.set(.anyref(nil))
        #expect(global.value == .anyref(nil))
        #expect(AnyRef.i31(bits: 0x7FFF_FFFF) == .i31(-1))
    }
}
