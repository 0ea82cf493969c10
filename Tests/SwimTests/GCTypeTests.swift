import Swim
import SwimWAT
import Testing

/// GC's types at run time: type identity across modules (equivalent recursion groups get one
/// store type id) and declared subtyping at link time and in `call_indirect`.
@Suite struct GCTypeTests {
    @Test func equivalentGroupsOfDifferentModulesLink() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        let (_, exporter) = try instantiate("""
            (module
              (rec (type $f (sub (func (param (ref null $s))))) (type $s (struct (field (ref null $f)))))
              (func (export "f") (type $f)))
            """, store: store)
        linker.define("m", instance: exporter)
        // The same group, written again: the import matches.
        _ = try instantiate("""
            (module
              (rec (type $g (sub (func (param (ref null $t))))) (type $t (struct (field (ref null $g)))))
              (import "m" "f" (func (type $g))))
            """, linker: linker, store: store)
        // The same function type alone in its group is another type.
        #expect(throws: InstantiationError.self) {
            try instantiate("""
                (module
                  (type $s (struct))
                  (import "m" "f" (func (param (ref null $s)))))
                """, linker: linker, store: store)
        }
    }

    @Test func importsAcceptDeclaredSubtypes() throws {
        let store = Store(engine: Engine())
        var linker = Linker()
        let (_, exporter) = try instantiate("""
            (module
              (type $t1 (sub (func)))
              (type $t2 (sub $t1 (func)))
              (func (export "f") (type $t2)))
            """, store: store)
        linker.define("m", instance: exporter)
        _ = try instantiate("(module (type $t1 (sub (func))) (import \"m\" \"f\" (func (type $t1))))",
                            linker: linker, store: store)
        #expect(throws: InstantiationError.self) {
            try instantiate("(module (type $t1 (sub final (func))) (import \"m\" \"f\" (func (type $t1))))",
                            linker: linker, store: store)
        }
    }

    @Test func callIndirectAcceptsSubtypes() throws {
        let (_, instance) = try instantiate("""
            (module
              (type $t1 (sub (func (result i32))))
              (type $t2 (sub $t1 (func (result i32))))
              (type $t3 (sub final (func (result i32))))
              (func $f (type $t2) (i32.const 7))
              (table funcref (elem $f))
              (func (export "super") (result i32) (call_indirect (type $t1) (i32.const 0)))
              (func (export "same") (result i32) (call_indirect (type $t2) (i32.const 0)))
              (func (export "other") (result i32) (call_indirect (type $t3) (i32.const 0))))
            """)
        #expect(try instance.function("super")?.call([]) == [.i32(7)])
        #expect(try instance.function("same")?.call([]) == [.i32(7)])
        #expect(throws: Trap(.indirectCallTypeMismatch)) { try instance.function("other")?.call([]) }
    }
}
