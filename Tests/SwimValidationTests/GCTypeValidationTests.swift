import Testing
import SwimParser
import SwimTypes
import SwimValidation
import SwimWAT

/// GC's type system in the validator: recursion groups and iso-recursive equivalence, declared
/// subtypes, and the lattice of abstract heap types.
@Suite struct GCTypeValidationTests {
    /// Validates a module written in the text format; the error, or nil when it validates.
    static func validationError(_ text: String) throws -> ValidationError? {
        let module = try parseModule(bytes: try wat2wasm(text))
        do {
            _ = try validate(module)
            return nil
        } catch let error as ValidationError {
            return error
        }
    }

    static func expectValid(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try validationError(text)
        #expect(error == nil, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    static func expectInvalid(_ text: String, _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try validationError(text)
        #expect(error?.message.hasPrefix(prefix) == true, "got \(String(describing: error))",
                sourceLocation: sourceLocation)
    }

    @Test func equivalentRecursionGroupsAreTheSameType() throws {
        // The groups of $f1 and $f2 have the same shape: their first types are equivalent.
        try Self.expectValid("""
            (module
              (rec (type $f1 (func)) (type (struct (field (ref $f1)))))
              (rec (type $f2 (func)) (type (struct (field (ref $f2)))))
              (func $f (type $f2))
              (global (ref $f1) (ref.func $f)))
            """)
        // A different position in an equal group, or a group of another size, is another type.
        try Self.expectInvalid("""
            (module
              (rec (type $f1 (func)) (type (struct)))
              (rec (type (struct)) (type $f2 (func)))
              (func $f (type $f2))
              (global (ref $f1) (ref.func $f)))
            """, "type mismatch")
        try Self.expectInvalid("""
            (module
              (rec (type $f1 (func)) (type (struct)))
              (rec (type $f2 (func)))
              (func $f (type $f2))
              (global (ref $f1) (ref.func $f)))
            """, "type mismatch")
    }

    @Test func typesReferToTheirGroupAndEarlierTypes() throws {
        try Self.expectValid("(module (rec (type $a (struct (field (ref null $b)))) (type $b (struct (field (ref null $a))))))")
        try Self.expectInvalid("(module (type (struct (field (ref null 1)))) (type (struct)))", "unknown type")
    }

    @Test func declaredSubtypes() throws {
        try Self.expectValid("""
            (module
              (type $s (sub (struct (field i32))))
              (type $t (sub $s (struct (field i32) (field (mut i64)))))
              (func (param (ref $t)) (result (ref $s)) (local.get 0))
              (func (param (ref $t)) (result (ref null struct)) (local.get 0))
              (func (param (ref $t)) (result eqref) (local.get 0)))
            """)
        // Final types have no subtypes; a subtype must keep its supertype's fields.
        try Self.expectInvalid("(module (type $s (struct)) (type (sub $s (struct))))", "sub type")
        try Self.expectInvalid("(module (type $s (sub (struct (field i32)))) (type (sub $s (struct (field i64)))))",
                               "sub type")
        try Self.expectInvalid("(module (type $s (sub (struct (field (mut i32))))) (type (sub $s (struct (field i32)))))",
                               "sub type")
        try Self.expectInvalid("(module (type $s (sub (array i8))) (type (sub $s (struct))))", "sub type")
        // The supertype comes first.
        try Self.expectInvalid("(module (rec (type (sub 1 (struct))) (type (sub (struct)))))", "unknown type")
        // A supertype is not a subtype.
        try Self.expectInvalid("""
            (module
              (type $s (sub (struct)))
              (type $t (sub $s (struct)))
              (func (param (ref $s)) (result (ref $t)) (local.get 0)))
            """, "type mismatch")
    }

    @Test func functionSubtypesAreContravariantInTheirParameters() throws {
        try Self.expectValid("""
            (module
              (type $s (sub (struct)))
              (type $s2 (sub $s (struct)))
              (type $f1 (sub (func (param (ref $s2)) (result anyref))))
              (type $f2 (sub $f1 (func (param (ref $s)) (result (ref any))))))
            """)
        try Self.expectInvalid("""
            (module
              (type $s (sub (struct)))
              (type $s2 (sub $s (struct)))
              (type $f1 (sub (func (param (ref $s)))))
              (type $f2 (sub $f1 (func (param (ref $s2))))))
            """, "sub type")
    }

    @Test func abstractHeapTypesFormThreeHierarchies() throws {
        for (sub, sup) in [("none", "i31"), ("i31", "eq"), ("struct", "eq"), ("array", "any"), ("nofunc", "func"),
                           ("noextern", "extern"), ("none", "any")] {
            try Self.expectValid("(module (func (param (ref null \(sub))) (result (ref null \(sup))) (local.get 0)))")
        }
        for (sub, sup) in [("nofunc", "any"), ("none", "func"), ("noextern", "any"), ("eq", "i31"), ("any", "extern"),
                           ("func", "any"), ("none", "noextern")] {
            try Self.expectInvalid("(module (func (param (ref null \(sub))) (result (ref null \(sup))) (local.get 0)))",
                                   "type mismatch")
        }
    }

    @Test func functionTypeIndicesMustNameFunctionTypes() throws {
        try Self.expectInvalid("(module (type $s (struct)) (func (type $s)))", "type mismatch")
        try Self.expectInvalid("(module (type $s (struct)) (func (block (type $s))))", "type mismatch")
    }
}
