import Testing
import SwimParser
import SwimTypes

/// The type section with GC: recursion groups, subtype declarations, struct and array types
/// with packed and mutable fields, and the abstract heap types.
@Suite struct GCTypeDecodingTests {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func typeSection(_ entries: [[UInt8]]) -> [UInt8] {
        header + section(1, vec(entries))
    }

    @Test func recursionGroupsAndSubtypes() throws {
        let bytes = Self.typeSection([
            // (rec (type (sub (struct (field i8 (mut i16))))) (type (sub final 0 (struct ...))))
            [0x4E, 0x02,
             0x50, 0x00, 0x5F, 0x02, 0x78, 0x00, 0x77, 0x01,
             0x4F, 0x01, 0x00, 0x5F, 0x03, 0x78, 0x00, 0x77, 0x01, 0x64, 0x6E, 0x00],
            // (type (array (mut (ref null 1))))
            [0x5E, 0x63, 0x01, 0x01],
            // (type (func (param anyref) (result nullref)))
            [0x60, 0x01, 0x6E, 0x01, 0x71],
        ])
        let module = try parseModule(bytes: bytes)
        #expect(module.recursionGroups == [0..<2, 2..<3, 3..<4])
        let packed = [FieldType(.i8), FieldType(.i16, mutable: true)]
        #expect(module.types[0] == DefinedType(.struct(packed), supertypes: [], isFinal: false))
        #expect(module.types[1] == DefinedType(
            .struct(packed + [FieldType(.value(.ref(RefType(nullable: false, heapType: .any))))]),
            supertypes: [0], isFinal: true))
        #expect(module.types[2] == DefinedType(.array(FieldType(
            .value(.ref(RefType(nullable: true, heapType: .index(1)))), mutable: true))))
        #expect(module.types[3] == DefinedType(function: FunctionType(parameters: [.anyref], results: [.ref(.nullref)])))
    }

    @Test func emptyRecursionGroup() throws {
        let module = try parseModule(bytes: Self.typeSection([[0x4E, 0x00], [0x60, 0x00, 0x00]]))
        #expect(module.recursionGroups == [0..<0, 0..<1])
        #expect(module.types.count == 1)
    }

    @Test func abstractHeapTypes() {
        let codes: [(UInt8, HeapType)] = [
            (0x6E, .any), (0x6D, .eq), (0x6C, .i31), (0x6B, .struct), (0x6A, .array),
            (0x71, .none), (0x73, .nofunc), (0x72, .noextern),
        ]
        for (code, heap) in codes {
            #expect(decodeOne([0xD0, code]) == .refNull(heap))
            #expect(decodeOne([0x02, 0x64, code]) == .block(.value(.ref(RefType(nullable: false, heapType: heap)))))
            #expect(decodeOne([0x02, code]) == .block(.value(.ref(RefType(nullable: true, heapType: heap)))))
            #expect(decodeError([0xD0, code], features: WasmFeatures.default.subtracting(.gc))
                == MalformedError("malformed reference type", offset: 1))
        }
    }

    @Test func malformedTypes() {
        // binary-gc.wast: a mutability flag other than 0 or 1.
        #expect(parseError(Self.typeSection([[0x5E, 0x78, 0x02]])) == MalformedError("malformed mutability", offset: 13))
        // Packed types are storage types only, never value types.
        #expect(parseError(Self.typeSection([[0x60, 0x01, 0x78, 0x00]])) != nil)
        // Without GC, a type is a function type: rec and sub are malformed.
        let noGC = WasmFeatures.default.subtracting(.gc)
        #expect(parseError(Self.typeSection([[0x4E, 0x00]]), features: noGC)
            == MalformedError("malformed function type", offset: 11))
        #expect(parseError(Self.typeSection([[0x50, 0x00, 0x60, 0x00, 0x00]]), features: noGC)
            == MalformedError("malformed function type", offset: 11))
        // A truncated group.
        #expect(parseError(Self.typeSection([[0x4E, 0x02, 0x60, 0x00, 0x00]])) != nil)
    }
}
