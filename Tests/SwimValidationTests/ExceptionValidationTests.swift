import Testing
import SwimTypes
import SwimValidation

/// Exception handling: tags, `throw`, `throw_ref`, `try_table`, and the legacy `try`,
/// `catch`, `catch_all`, `rethrow` and `delegate`.
@Suite struct ExceptionValidationTests {
    /// A module with a tag of parameters `payload` (tag 0) and one function of type
    /// `parameters -> results` whose body is `code`.
    func withTag(_ payload: [ValueType], params parameters: [ValueType] = [], results: [ValueType] = [],
                 _ code: [UInt8]...) -> ModuleBuilder {
        var b = ModuleBuilder()
        b.tag(type: b.type(payload))
        b.function(type: b.type(parameters, results), code.flatMap { $0 })
        return b
    }

    @Test func tagsReturnNothingAndHaveAType() {
        var b = ModuleBuilder()
        b.tag(type: b.type([.i32], [.i32]))
        expectInvalid(b, "non-empty tag result type")
        var imported = ModuleBuilder()
        imported.importTag(type: imported.type([], [.f64]))
        expectInvalid(imported, "non-empty tag result type")
        var unknown = ModuleBuilder()
        unknown.tag(type: 3)
        expectInvalid(unknown, "unknown type 3")
        var exported = ModuleBuilder()
        exported.tag(type: exported.type())
        exported.export("t", .tag(0))
        expectValid(exported)
        exported.export("u", .tag(1))
        expectInvalid(exported, "unknown tag 1")
    }

    @Test func throwPopsThePayload() {
        expectValid(withTag([.i32, .f64], Code.i32Const(1), Code.f64Const, Code.throw(0)))
        expectInvalid(withTag([.i32], Code.throw(0)), "type mismatch")
        expectInvalid(withTag([.i32], Code.i64Const(5), Code.throw(0)), "type mismatch")
        expectInvalid(withTag([], Code.throw(1)), "unknown tag 1")
        // Like br, throw makes the rest of the block polymorphic.
        expectValid(withTag([], results: [.i32], Code.throw(0), Code.op(.i32Add)))
    }

    @Test func throwRefTakesAnExnref() {
        expectValid(withTag([], params: [.exnref], Code.localGet(0), Code.throwRef))
        expectValid(withTag([], results: [], Code.refNull(RefType(nullable: true, heapType: .noexn)), Code.throwRef))
        expectInvalid(withTag([], params: [.externref], Code.localGet(0), Code.throwRef), "type mismatch")
        expectInvalid(withTag([], Code.throwRef), "type mismatch")
    }

    @Test func catchesMustFitTheirLabel() {
        // block (result i32) try_table (catch 0 0) ... end unreachable end: label 0 is the block.
        let catchI32 = Code.tryTable(.empty, [.catch(tag: 0, label: 0)])
        expectValid(withTag([.i32], results: [.i32], Code.block(.value(.i32)), catchI32, Code.end, Code.unreachable, Code.end))
        expectInvalid(
            withTag([.i64], results: [.i32], Code.block(.value(.i32)), catchI32, Code.end, Code.unreachable, Code.end),
            "type mismatch")
        // catch_ref adds a non-null exnref, which an exnref label accepts.
        var b = ModuleBuilder()
        b.tag(type: b.type([.i32]))
        let labelType = b.type([], [.i32, .exnref])
        b.function(type: b.type([], [.i32, .exnref]),
                   Code.block(.type(labelType)), Code.tryTable(.empty, [.catchRef(tag: 0, label: 0)]), Code.end,
                   Code.unreachable, Code.end)
        expectValid(b)
        // catch_all carries nothing, catch_all_ref only the exnref.
        expectValid(withTag([], Code.block(), Code.tryTable(.empty, [.catchAll(label: 0)]), Code.end, Code.end))
        expectInvalid(withTag([], Code.block(), Code.tryTable(.empty, [.catchAllRef(label: 0)]), Code.end, Code.end),
                      "type mismatch")
        expectValid(withTag([], results: [.exnref], Code.tryTable(.empty, [.catchAllRef(label: 0)]), Code.end,
                            Code.unreachable))
        expectInvalid(withTag([], results: [.exnref], Code.tryTable(.empty, [.catchAll(label: 0)]), Code.end,
                              Code.unreachable), "type mismatch")
        // The labels are those around the try_table: label 1 does not exist here.
        expectInvalid(withTag([], Code.tryTable(.empty, [.catchAll(label: 1)]), Code.end), "unknown label 1")
        expectInvalid(withTag([], Code.tryTable(.empty, [.catch(tag: 2, label: 0)]), Code.end), "unknown tag 2")
    }

    @Test func tryTableIsABlock() {
        // try_table (param i32) (result i32) end: its parameter is its result.
        var b = ModuleBuilder()
        let identity = b.type([.i32], [.i32])
        b.function(type: b.type([], [.i32]), Code.i32Const(1), Code.tryTable(.type(identity), []), Code.end)
        expectValid(b)
        expectInvalid(withTag([], results: [.i32], Code.tryTable(.value(.i32), []), Code.end), "type mismatch")
        expectValid(withTag([], results: [.i32], Code.tryTable(.value(.i32), []), Code.i32Const(1), Code.br(0), Code.end))
    }

    @Test func legacyCatchesReceiveThePayload() {
        let body = Code.try(.value(.i32)) + Code.i32Const(1) + Code.catch(0) + Code.catchAll + Code.i32Const(2) + Code.end
        expectValid(withTag([.i32], results: [.i32], body))
        expectInvalid(withTag([.i64], results: [.i32], body), "type mismatch")
        expectInvalid(withTag([], Code.try(), Code.catch(0), Code.i32Const(42), Code.end), "type mismatch")
        expectInvalid(withTag([], Code.try(), Code.catch(5), Code.end), "unknown tag 5")
        // Branching to depth 0 in a handler leaves the try.
        expectValid(withTag([], results: [.i32], Code.try(.value(.i32)), Code.i32Const(1), Code.catch(0), Code.i32Const(2),
                            Code.br(0), Code.end))
    }

    @Test func rethrowNamesAHandler() {
        expectValid(withTag([], Code.try(), Code.catch(0), Code.rethrow(0), Code.end))
        expectValid(withTag([], Code.try(), Code.catchAll, Code.block(), Code.rethrow(1), Code.end, Code.end))
        expectInvalid(withTag([], Code.rethrow(0)), "invalid rethrow label")
        expectInvalid(withTag([], Code.block(), Code.rethrow(0), Code.end), "invalid rethrow label")
        expectInvalid(withTag([], Code.try(), Code.rethrow(0), Code.delegate(0)), "invalid rethrow label")
        expectInvalid(withTag([], Code.try(), Code.catch(0), Code.rethrow(2), Code.end), "unknown label 2")
    }

    @Test func delegateNamesAnEnclosingLabel() {
        expectValid(withTag([], Code.try(), Code.delegate(0)))
        expectValid(withTag([], Code.block(), Code.try(), Code.delegate(1), Code.end))
        expectInvalid(withTag([], Code.try(), Code.delegate(1)), "unknown label 1")
        expectInvalid(withTag([], results: [.i32], Code.try(.value(.i32)), Code.delegate(0)), "type mismatch")
    }

    @Test func handlersMustFollowATry() {
        expectMalformed(withTag([], Code.catchAll), "END opcode expected")
        expectMalformed(withTag([], Code.block(), Code.catch(0), Code.end), "END opcode expected")
        expectMalformed(withTag([], Code.try(), Code.catchAll, Code.catchAll, Code.end), "END opcode expected")
        expectMalformed(withTag([], Code.try(), Code.catchAll, Code.catch(0), Code.end), "END opcode expected")
        expectMalformed(withTag([], Code.try(), Code.catch(0), Code.delegate(0)), "END opcode expected")
        expectMalformed(withTag([], Code.delegate(0)), "END opcode expected")
    }

    @Test func aHandlerKeepsASlotForItsException() throws {
        // The handler's payload (one i32) sits above a slot the translator keeps for rethrow.
        let b = withTag([.i32], Code.try(), Code.catch(0), Code.drop, Code.end)
        let info = try #require(expectValid(b))
        #expect(info.functions[0].maxStackSlots == 2)
        #expect(info.functions[0].maxStackHeight == 1)
        // Released at the end of the handler.
        let after = withTag([.i32], Code.try(), Code.catchAll, Code.end, Code.i32Const(1), Code.drop)
        #expect(try #require(expectValid(after)).functions[0].maxStackSlots == 1)
    }

    @Test func proposalsOffAreRejected() {
        let b = withTag([], Code.try(), Code.catchAll, Code.end)
        #expect(throws: MalformedError.self) { try validate(b.module, features: .wasm2) }
        let exnref = withTag([], Code.tryTable(.empty, []), Code.end)
        #expect(throws: MalformedError.self) {
            try validate(exnref.module, features: WasmFeatures.wasm2.union(.legacyExceptions))
        }
    }
}
