import Testing
import SwimTypes
import SwimValidation

/// The Wasm 3.0 features the validator already handles when they are enabled.
@Suite("Wasm 3.0 features")
struct Wasm3FeatureTests {
    static let tailCalls = WasmFeatures.default.union(.tailCall)

    @Test func returnCallMustReturnTheCallersResults() {
        var b = ModuleBuilder()
        let callee = b.type([.i32], [.i64])
        b.importFunction(type: callee)
        b.function(type: b.type([], [.i64]), Code.i32Const(1), Code.returnCall(0))
        expectValid(b, features: Self.tailCalls)

        var mismatch = ModuleBuilder()
        mismatch.importFunction(type: mismatch.type([], [.i64]))
        mismatch.function(type: mismatch.type([], [.i32]), Code.returnCall(0))
        expectInvalid(mismatch, "type mismatch", features: Self.tailCalls)
    }

    @Test func returnCallEndsReachability() {
        var b = ModuleBuilder()
        let type = b.type([], [.i32])
        b.importFunction(type: type)
        b.function(type: type, Code.returnCall(0), Code.op(.i32Add))
        expectValid(b, features: Self.tailCalls)
    }

    @Test func multiMemoryInstructionsNameTheirMemory() {
        let features = WasmFeatures.default.union(.multiMemory)
        var b = ModuleBuilder()
        b.memory()
        b.memory()
        // memory.size 1
        b.function(type: b.type([], [.i32]), [0x3F, 0x01])
        expectValid(b, features: features)
        var missing = ModuleBuilder()
        missing.memory()
        missing.function(type: missing.type([], [.i32]), [0x3F, 0x01])
        expectInvalid(missing, "unknown memory 1", features: features)
    }
}
