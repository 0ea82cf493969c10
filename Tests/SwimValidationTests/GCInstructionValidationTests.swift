import Testing
import SwimParser
import SwimTypes
import SwimValidation
import SwimWAT

/// The typing rules of GC's instructions.
@Suite struct GCInstructionValidationTests {
    static func error(_ text: String) throws -> ValidationError? {
        let module = try parseModule(bytes: try wat2wasm(text))
        do {
            _ = try validate(module)
            return nil
        } catch let error as ValidationError {
            return error
        }
    }

    static func expectValid(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let e = try error(text)
        #expect(e == nil, "\(String(describing: e))", sourceLocation: sourceLocation)
    }

    static func expectInvalid(_ text: String, _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let e = try error(text)
        #expect(e?.message.hasPrefix(prefix) == true, "got \(String(describing: e))", sourceLocation: sourceLocation)
    }

    @Test func structFields() throws {
        try Self.expectValid("""
            (module (type $s (struct (field $a i8) (field $b (mut f64)) (field $c (ref null $s))))
              (func (param (ref $s)) (result i32 f64)
                (struct.set $s $b (local.get 0) (f64.const 1))
                (struct.get_s $s $a (local.get 0)) (struct.get $s $b (local.get 0)))
              (func (result (ref $s)) (struct.new $s (i32.const 1) (f64.const 2) (ref.null $s))))
            """)
        // Packed fields are read with _s or _u, others without.
        try Self.expectInvalid("(module (type $s (struct (field i8))) (func (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0))))",
                               "type mismatch")
        try Self.expectInvalid("(module (type $s (struct (field i32))) (func (param (ref $s)) (result i32) (struct.get_u $s 0 (local.get 0))))",
                               "type mismatch")
        try Self.expectInvalid("(module (type $s (struct (field i32))) (func (param (ref $s)) (struct.set $s 0 (local.get 0) (i32.const 1))))",
                               "immutable field")
        try Self.expectInvalid("(module (type $s (struct (field (ref any)))) (func (drop (struct.new_default $s))))",
                               "type mismatch")
        try Self.expectInvalid("(module (type $s (struct)) (func (param (ref $s)) (drop (struct.get $s 0 (local.get 0)))))",
                               "unknown field")
    }

    @Test func arrays() throws {
        try Self.expectValid("""
            (module (type $a (array (mut i16))) (type $b (array (mut anyref))) (data "xy") (elem anyref (ref.i31 (i32.const 1)))
              (func (param (ref $a) (ref $b)) (result i32)
                (array.fill $a (local.get 0) (i32.const 0) (i32.const 7) (i32.const 1))
                (array.copy $a $a (local.get 0) (i32.const 0) (local.get 0) (i32.const 1) (i32.const 1))
                (array.init_data $a 0 (local.get 0) (i32.const 0) (i32.const 0) (i32.const 1))
                (array.init_elem $b 0 (local.get 1) (i32.const 0) (i32.const 0) (i32.const 1))
                (drop (array.new_fixed $a 2 (i32.const 1) (i32.const 2)))
                (i32.add (array.get_u $a (local.get 0) (i32.const 0)) (array.len (local.get 1)))))
            """)
        try Self.expectInvalid("(module (type $a (array i8)) (func (param (ref $a)) (array.set $a (local.get 0) (i32.const 0) (i32.const 1))))",
                               "immutable array")
        try Self.expectInvalid("(module (type $a (array (mut anyref))) (data \"\") (func (param (ref $a)) (array.init_data $a 0 (local.get 0) (i32.const 0) (i32.const 0) (i32.const 0))))",
                               "type mismatch")
        try Self.expectInvalid("(module (type $a (array (mut i8))) (type $b (array i16)) (func (param (ref $a) (ref $b)) (array.copy $a $b (local.get 0) (i32.const 0) (local.get 1) (i32.const 0) (i32.const 0))))",
                               "type mismatch")
        try Self.expectInvalid("(module (type $a (array i32)) (func (drop (array.new_fixed $a 2 (i32.const 1)))))", "type mismatch")
    }

    @Test func castsStayInTheirHierarchy() throws {
        try Self.expectValid("""
            (module (type $s (sub (struct))) (type $t (sub $s (struct)))
              (func (param anyref) (result i32 (ref $t)) (ref.test (ref $s) (local.get 0)) (ref.cast (ref $t) (local.get 0)))
              (func (param funcref) (result i32) (ref.test (ref null nofunc) (local.get 0))))
            """)
        try Self.expectInvalid("(module (func (param funcref) (result i32) (ref.test anyref (local.get 0))))", "type mismatch")
        try Self.expectInvalid("(module (func (param externref) (result i32) (ref.test eqref (local.get 0))))", "type mismatch")
    }

    @Test func branchesOnCasts() throws {
        try Self.expectValid("""
            (module (type $s (struct))
              (func (param anyref) (result (ref null $s))
                (block $l (result (ref null $s)) (br_on_cast $l anyref (ref null $s) (local.get 0)) (drop) (ref.null $s)))
              (func (param anyref) (result anyref)
                (block $l (result anyref) (br_on_cast_fail $l anyref (ref $s) (local.get 0)))))
            """)
        // The target must be within the source type, and reach the label.
        try Self.expectInvalid("(module (func (param anyref) (result funcref) (block $l (result funcref) (br_on_cast $l anyref funcref (local.get 0)) (unreachable))))",
                               "type mismatch")
        try Self.expectInvalid("(module (type $s (struct)) (func (param anyref) (result (ref $s)) (block $l (result (ref $s)) (br_on_cast_fail $l anyref (ref $s) (local.get 0)) (unreachable))))",
                               "type mismatch")
    }

    @Test func i31AndConversions() throws {
        try Self.expectValid("""
            (module
              (func (param i32) (result i32 i32) (i31.get_s (ref.i31 (local.get 0))) (i31.get_u (ref.i31 (local.get 0))))
              (func (param externref) (result externref) (extern.convert_any (any.convert_extern (local.get 0))))
              (func (param (ref extern)) (result (ref any)) (any.convert_extern (local.get 0)))
              (func (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1))))
            """)
        try Self.expectInvalid("(module (func (param externref) (result (ref any)) (any.convert_extern (local.get 0))))", "type mismatch")
        try Self.expectInvalid("(module (func (param anyref anyref) (result i32) (ref.eq (local.get 0) (local.get 1))))", "type mismatch")
    }

    @Test func constantExpressionsAllocate() throws {
        try Self.expectValid("""
            (module (type $s (struct (field i32))) (type $a (array i8))
              (global (ref $s) (struct.new $s (i32.const 1)))
              (global (ref $a) (array.new_fixed $a 2 (i32.const 1) (i32.const 2)))
              (global (ref i31) (ref.i31 (i32.const 5)))
              (global anyref (any.convert_extern (ref.null extern))))
            """)
        try Self.expectInvalid("(module (type $a (array (mut i8))) (global (ref $a) (array.new $a (i32.const 0) (i32.const 1))) (func (drop (array.len (global.get 0)))) (global i32 (array.len (global.get 0))))",
                               "constant expression required")
    }
}
