import Testing
import SwimTypes

@Suite struct FeatureNameTests {
    @Test func everyFlagHasOneName() {
        let all = WasmFeatures.proposalNames.map(\.feature)
        #expect(Set(WasmFeatures.proposalNames.map(\.name)).count == all.count)
        // One bit each, no two alike, covering every feature Swim enables or knows.
        #expect(all.allSatisfy { $0.rawValue.nonzeroBitCount == 1 })
        let union = all.reduce(WasmFeatures()) { $0.union($1) }
        #expect(union.rawValue.nonzeroBitCount == all.count)
        #expect(union.isSuperset(of: WasmFeatures.default.union([.tailCall, .multiMemory, .memory64])))
    }

    @Test func namesAreWasmtimes() {
        #expect(WasmFeatures(proposalName: "relaxed-simd") == .relaxedSimd)
        #expect(WasmFeatures(proposalName: "extended-const") == .extendedConst)
        #expect(WasmFeatures(proposalName: "tail-call") == .tailCall)
        #expect(WasmFeatures(proposalName: "memory64") == .memory64)
        #expect(WasmFeatures(proposalName: "function-references") == .functionReferences)
        #expect(WasmFeatures(proposalName: "exceptions") == .exceptions)
        #expect(WasmFeatures(proposalName: "legacy-exceptions") == .legacyExceptions)
        #expect(WasmFeatures(proposalName: "relaxed_simd") == nil)
        #expect(WasmFeatures([.tailCall, .memory64]).description == "[tail-call, memory64]")
        #expect(WasmFeatures.mvp.description == "[]")
    }
}
