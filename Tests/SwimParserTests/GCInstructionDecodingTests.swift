import Testing
import SwimParser
import SwimTypes

/// GC's instructions in the binary format: the 0xFB prefix and `ref.eq`.
@Suite struct GCInstructionDecodingTests {
    @Test func everyInstruction() {
        let cases: [([UInt8], GCInstruction)] = [
            ([0xFB, 0x00, 0x01], .structNew(1)),
            ([0xFB, 0x01, 0x01], .structNewDefault(1)),
            ([0xFB, 0x02, 0x01, 0x02], .structGet(1, field: 2, .none)),
            ([0xFB, 0x03, 0x01, 0x02], .structGet(1, field: 2, .signed)),
            ([0xFB, 0x04, 0x01, 0x02], .structGet(1, field: 2, .unsigned)),
            ([0xFB, 0x05, 0x01, 0x02], .structSet(1, field: 2)),
            ([0xFB, 0x06, 0x03], .arrayNew(3)),
            ([0xFB, 0x07, 0x03], .arrayNewDefault(3)),
            ([0xFB, 0x08, 0x03, 0x05], .arrayNewFixed(3, count: 5)),
            ([0xFB, 0x09, 0x03, 0x00], .arrayNewData(3, data: 0)),
            ([0xFB, 0x0A, 0x03, 0x01], .arrayNewElem(3, element: 1)),
            ([0xFB, 0x0B, 0x03], .arrayGet(3, .none)),
            ([0xFB, 0x0C, 0x03], .arrayGet(3, .signed)),
            ([0xFB, 0x0D, 0x03], .arrayGet(3, .unsigned)),
            ([0xFB, 0x0E, 0x03], .arraySet(3)),
            ([0xFB, 0x0F], .arrayLen),
            ([0xFB, 0x10, 0x03], .arrayFill(3)),
            ([0xFB, 0x11, 0x03, 0x04], .arrayCopy(destination: 3, source: 4)),
            ([0xFB, 0x12, 0x03, 0x00], .arrayInitData(3, data: 0)),
            ([0xFB, 0x13, 0x03, 0x01], .arrayInitElem(3, element: 1)),
            ([0xFB, 0x14, 0x6E], .refTest(RefType(nullable: false, heapType: .any))),
            ([0xFB, 0x15, 0x02], .refTest(RefType(nullable: true, heapType: .index(2)))),
            ([0xFB, 0x16, 0x6C], .refCast(RefType(nullable: false, heapType: .i31))),
            ([0xFB, 0x17, 0x6B], .refCast(.structref)),
            ([0xFB, 0x18, 0x01, 0x00, 0x6E, 0x6D],
             .brOnCast(label: 0, from: .anyref, to: RefType(nullable: false, heapType: .eq))),
            ([0xFB, 0x19, 0x02, 0x01, 0x6E, 0x6A],
             .brOnCastFail(label: 1, from: RefType(nullable: false, heapType: .any), to: .arrayref)),
            ([0xFB, 0x1A], .anyConvertExtern),
            ([0xFB, 0x1B], .externConvertAny),
            ([0xFB, 0x1C], .refI31),
            ([0xFB, 0x1D], .i31Get(.signed)),
            ([0xFB, 0x1E], .i31Get(.unsigned)),
            ([0xD3], .refEq),
        ]
        for (bytes, instruction) in cases {
            #expect(decodeOne(bytes) == .gc(instruction), "\(bytes)")
            #expect(instruction.subopcode == (bytes[0] == 0xFB ? UInt32(bytes[1]) : nil))
        }
    }

    @Test func malformedInstructions() {
        #expect(decodeError([0xFB, 0x1F]) == MalformedError("illegal opcode fb 1f", offset: 0))
        #expect(decodeError([0xFB, 0x18, 0x04, 0x00, 0x6E, 0x6E]) == MalformedError("malformed cast flags", offset: 2))
        // Data indices in code need the data count section.
        #expect(decodeError([0xFB, 0x09, 0x00, 0x00], hasDataCount: false)
            == MalformedError("data count section required", offset: 0))
        let noGC = WasmFeatures.default.subtracting(.gc)
        #expect(decodeError([0xFB, 0x0F], features: noGC) == MalformedError("illegal opcode fb", offset: 0))
        #expect(decodeError([0xD3], features: noGC) == MalformedError("illegal opcode d3", offset: 0))
    }
}
