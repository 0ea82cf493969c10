import Testing
import SwimParser
import SwimTypes

/// Typed function references in the binary format: `(ref null? ht)` value types, their
/// instructions and tables with an initial value. Without the feature they are malformed.
@Suite struct TypedReferenceTests {
    static let withoutTypedReferences = WasmFeatures.default.subtracting(.functionReferences)

    static func ref(_ heapType: HeapType, nullable: Bool = false) -> ValueType {
        .ref(RefType(nullable: nullable, heapType: heapType))
    }

    @Test func referenceValueTypes() {
        #expect(decodeOne([0x02, 0x64, 0x00]) == .block(.value(Self.ref(.index(0)))))
        #expect(decodeOne([0x02, 0x63, 0x70]) == .block(.value(Self.ref(.func, nullable: true))))
        #expect(decodeOne([0x02, 0x64, 0x6F]) == .block(.value(Self.ref(.extern))))
        // The heap type is an s33: a type index may take several bytes.
        #expect(decodeOne([0x02, 0x63, 0xC8, 0x01]) == .block(.value(Self.ref(.index(200), nullable: true))))
        #expect(decodeOne([0x1C, 0x01, 0x64, 0x02]) == .typedSelect([Self.ref(.index(2))]))
        // GC's abstract heap types (0x6E any) are not supported.
        #expect(decodeError([0x02, 0x63, 0x6E]) == MalformedError("malformed reference type", offset: 2))
        #expect(decodeError([0x02, 0x64, 0x00], features: Self.withoutTypedReferences)
            == MalformedError("malformed value type", offset: 1))
    }

    @Test func refNullTakesATypeIndex() {
        #expect(decodeOne([0xD0, 0x05]) == .refNull(.index(5)))
        #expect(decodeOne([0xD0, 0x70]) == .refNull(.func))
        #expect(decodeError([0xD0, 0x05], features: Self.withoutTypedReferences)
            == MalformedError("malformed reference type", offset: 1))
    }

    @Test func instructions() {
        #expect(decodeOne([0x14, 0x03]) == .callRef(3))
        #expect(decodeOne([0x15, 0x03]) == .returnCallRef(3))
        #expect(decodeOne([0xD4]) == .refAsNonNull)
        #expect(decodeOne([0xD5, 0x01]) == .brOnNull(1))
        #expect(decodeOne([0xD6, 0x02]) == .brOnNonNull(2))
        for opcode: UInt8 in [0x14, 0xD4, 0xD5, 0xD6] {
            let hex = String(opcode, radix: 16)
            #expect(decodeError([opcode, 0x00], features: Self.withoutTypedReferences)
                == MalformedError("illegal opcode \(hex.count < 2 ? "0" + hex : hex)", offset: 0))
        }
        // return_call_ref needs tail calls too.
        #expect(decodeError([0x15, 0x00], features: WasmFeatures.default.subtracting(.tailCall))
            == MalformedError("illegal opcode 15", offset: 0))
    }

    @Test func tablesWithAnInitialValue() throws {
        // (table 1 (ref func) (ref.func 0))
        let table: [UInt8] = [0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xD2, 0x00, 0x0B]
        let bytes = header + voidType + section(3, vec([[0x00]])) + section(4, vec([table]))
            + section(10, vec([body([0x0B])]))
        let tables = try parseModule(bytes: bytes).tables
        try #require(tables.count == 1)
        #expect(tables[0].type == TableType(elementType: RefType(nullable: false, heapType: .func), limits: Limits(min: 1)))
        #expect(tables[0].initializer?.instructions == [.refFunc(0)])

        // After the header, the type and function sections, the table section's id, size and count.
        let tableStart = header.count + voidType.count + 4 + 3
        var reserved = bytes
        reserved[tableStart + 1] = 0x01
        #expect(parseError(reserved) == MalformedError("malformed table", offset: tableStart + 1))
        #expect(parseError(bytes, features: Self.withoutTypedReferences)
            == MalformedError("malformed reference type", offset: tableStart))
    }
}
