import Testing
import SwimTypes
import SwimValidation

/// Typed function references: subtyping, type equivalence, the new instructions and the
/// initialization of non-nullable locals.
@Suite struct TypedReferenceValidationTests {
    static func ref(_ type: UInt32, nullable: Bool = false) -> ValueType {
        .ref(RefType(nullable: nullable, heapType: .index(type)))
    }

    static let refFunc = ValueType.ref(RefType(nullable: false, heapType: .func))

    @Test func nonNullableLocalsMustBeSetBeforeTheyAreRead() {
        let local = [LocalRun(count: 1, type: Self.refFunc)]
        // Local 1 after the (ref func) parameter 0.
        expectInvalid(singleFunction([Self.refFunc], locals: local, Code.localGet(1), Code.drop), "uninitialized local")
        expectValid(singleFunction([Self.refFunc], locals: local, Code.localGet(0), Code.drop))
        expectValid(singleFunction([Self.refFunc], locals: local,
                                   Code.localGet(0), Code.localSet(1), Code.localGet(1), Code.drop))
        expectValid(singleFunction([Self.refFunc], locals: local,
                                   Code.localGet(0), Code.localTee(1), Code.drop, Code.localGet(1), Code.drop))
        // Set before a block: still set inside it.
        expectValid(singleFunction([Self.refFunc], locals: local,
                                   Code.localGet(0), Code.localSet(1), Code.block(), Code.localGet(1), Code.drop, Code.end))
        // Set inside a block: unset again after its end, and in the else branch of an if.
        expectInvalid(singleFunction([Self.refFunc], locals: local,
                                     Code.block(), Code.localGet(0), Code.localSet(1), Code.end,
                                     Code.localGet(1), Code.drop),
                      "uninitialized local")
        expectInvalid(singleFunction([Self.refFunc], locals: local,
                                     Code.i32Const(0), Code.if(), Code.localGet(0), Code.localSet(1),
                                     Code.else, Code.localGet(1), Code.drop, Code.end),
                      "uninitialized local")
        // Nullable locals default to null.
        expectValid(singleFunction(locals: [LocalRun(count: 1, type: .funcref)], Code.localGet(0), Code.drop))
    }

    @Test func refFuncIsANonNullReferenceToTheFunctionsType() {
        var b = ModuleBuilder()
        let unary = b.type([.i32], [.i32])
        let f = b.function(type: unary, Code.localGet(0))
        b.element(.declarative, functions: [f])
        b.function(type: b.type([], [Self.ref(unary)]), Code.refFunc(f))
        b.function(type: b.type([], [.i32]), Code.i32Const(3), Code.refFunc(f), Code.callRef(unary))
        expectValid(b)
    }

    @Test func callRefTakesAReferenceOfItsType() {
        var b = ModuleBuilder()
        let void = b.type()
        b.function(type: b.type([Self.ref(void, nullable: true)]), Code.localGet(0), Code.callRef(void))
        expectValid(b)
        for operand in [ValueType.funcref, .externref, .i32] {
            var wrong = ModuleBuilder()
            let type = wrong.type()
            wrong.function(type: wrong.type([operand]), Code.localGet(0), Code.callRef(type))
            expectInvalid(wrong, "type mismatch")
        }
        var unknown = ModuleBuilder()
        unknown.function(type: unknown.type([.funcref]), Code.localGet(0), Code.callRef(7))
        expectInvalid(unknown, "unknown type 7")
    }

    @Test func returnCallRefReturnsTheCalleesResults() {
        var b = ModuleBuilder()
        let callee = b.type([], [.i64])
        b.function(type: b.type([Self.ref(callee)], [.i64]), Code.localGet(0), Code.returnCallRef(callee))
        expectValid(b)
        var mismatch = ModuleBuilder()
        let type = mismatch.type([], [.i64])
        mismatch.function(type: mismatch.type([Self.ref(type)], [.i32]), Code.localGet(0), Code.returnCallRef(type))
        expectInvalid(mismatch, "type mismatch")
    }

    @Test func brOnNullLeavesANonNullReference() {
        var b = ModuleBuilder()
        let void = b.type()
        // (param (ref null 0)) (result (ref 0)): block, local.get 0, br_on_null 0, return, end, unreachable.
        b.function(type: b.type([Self.ref(void, nullable: true)], [Self.ref(void)]),
                   Code.block(), Code.localGet(0), Code.brOnNull(0), Code.return, Code.end, Code.unreachable)
        expectValid(b)
        var without = ModuleBuilder()
        let type = without.type()
        without.function(type: without.type([Self.ref(type, nullable: true)], [Self.ref(type)]),
                         Code.localGet(0), Code.return)
        expectInvalid(without, "type mismatch")
    }

    @Test func brOnNonNullNeedsALabelEndingInAReference() {
        var b = ModuleBuilder()
        let void = b.type()
        // block (result (ref 0)), local.get 0, br_on_non_null 0, unreachable, end, drop
        b.function(type: b.type([Self.ref(void, nullable: true)]),
                   Code.block(result: Self.ref(void)), Code.localGet(0), Code.brOnNonNull(0), Code.unreachable,
                   Code.end, Code.drop)
        expectValid(b)
        var empty = ModuleBuilder()
        let type = empty.type()
        empty.function(type: empty.type([Self.ref(type, nullable: true)]),
                       Code.block(), Code.localGet(0), Code.brOnNonNull(0), Code.end)
        expectInvalid(empty, "type mismatch")
        var number = ModuleBuilder()
        let t = number.type()
        number.function(type: number.type([Self.ref(t, nullable: true)]),
                        Code.block(result: .i32), Code.localGet(0), Code.brOnNonNull(0), Code.unreachable,
                        Code.end, Code.drop)
        expectInvalid(number, "type mismatch")
    }

    @Test func unreachableCodeHasTheBottomHeapType() {
        expectValid(singleFunction([], [Self.refFunc], Code.unreachable, Code.refAsNonNull))
        expectValid(singleFunction([], [.ref(RefType(nullable: false, heapType: .extern))],
                                   Code.unreachable, Code.refAsNonNull))
        expectInvalid(singleFunction([.i32], [.i32], Code.localGet(0), Code.refAsNonNull), "type mismatch")
    }

    @Test func equivalentTypesAreInterchangeable() {
        var b = ModuleBuilder()
        let s0 = b.type([.i32], [.f32])
        let s1 = b.type([.i32], [.f32])
        let t0 = b.type([Self.ref(s0)])
        let t1 = b.type([Self.ref(s1)])
        let f1 = b.function(type: t1)
        b.function(type: t0, Code.localGet(0), Code.call(f1))
        expectValid(b)
        // A reference to a type of another shape does not match.
        var c = ModuleBuilder()
        let s = c.type([.i32], [.f32])
        let o = c.type([.i64])
        let takesS = c.function(type: c.type([Self.ref(s)]))
        c.function(type: c.type([Self.ref(o)]), Code.localGet(0), Code.call(takesS))
        expectInvalid(c, "type mismatch")
    }

    @Test func typesReferOnlyToEarlierTypes() {
        var forward = ModuleBuilder()
        forward.type([Self.ref(1)])
        forward.type()
        expectInvalid(forward, "unknown type")
        var recursive = ModuleBuilder()
        recursive.type([Self.ref(0)])
        expectInvalid(recursive, "unknown type")
    }

    @Test func tablesOfNonNullableReferencesNeedAnInitialValue() {
        var b = ModuleBuilder()
        let void = b.type()
        let f = b.function(type: void)
        b.module.tables.append(TableDefinition(
            type: TableType(elementType: RefType(nullable: false, heapType: .index(void)), limits: Limits(min: 1)),
            initializer: ConstExpression(instructions: [.refFunc(f)])))
        // Function indices are of (ref func), which a table of (ref func) accepts.
        b.module.tables.append(TableDefinition(
            type: TableType(elementType: RefType(nullable: false, heapType: .func), limits: Limits(min: 1)),
            initializer: ConstExpression(instructions: [.refFunc(f)])))
        b.element(.active(table: 1, offset: offset(.i32Const(0))), type: RefType(nullable: false, heapType: .func),
                  functions: [f])
        expectValid(b)

        var noInitializer = ModuleBuilder()
        noInitializer.table(RefType(nullable: false, heapType: .func))
        expectInvalid(noInitializer, "type mismatch")

        var nullInitializer = ModuleBuilder()
        nullInitializer.module.tables.append(TableDefinition(
            type: TableType(elementType: RefType(nullable: false, heapType: .func), limits: Limits(min: 1)),
            initializer: ConstExpression(instructions: [.refNull(.func)])))
        expectInvalid(nullInitializer, "type mismatch")

        // A segment of nullable funcref expressions does not fit a table of (ref func).
        var nullable = ModuleBuilder()
        let g = nullable.function(type: nullable.type())
        nullable.module.tables.append(TableDefinition(
            type: TableType(elementType: RefType(nullable: false, heapType: .func), limits: Limits(min: 1)),
            initializer: ConstExpression(instructions: [.refFunc(g)])))
        nullable.element(.funcref, .active(table: 0, offset: offset(.i32Const(0))), expressions: [[.refFunc(g)]])
        expectInvalid(nullable, "type mismatch")
    }
}
