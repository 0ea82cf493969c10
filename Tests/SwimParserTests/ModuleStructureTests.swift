import Testing
import SwimParser
import SwimTypes

/// The header, the section framing and the checks across sections
/// (most cases from the official binary.wast and custom.wast).
@Suite struct ModuleStructureTests {
    @Test func emptyModule() throws {
        let module = try parseModule(bytes: header)
        #expect(module.types.isEmpty && module.codes.isEmpty && module.customSections.isEmpty)
        #expect(module.start == nil && module.dataCount == nil && module.names == nil)
        #expect(module.bytes == header)
    }

    @Test func truncatedHeader() {
        #expect(parseError([]) == MalformedError("unexpected end", offset: 0))
        #expect(parseError([0x01]) == MalformedError("unexpected end", offset: 1))
        #expect(parseError([0x00, 0x61, 0x73]) == MalformedError("unexpected end", offset: 3))
        #expect(parseError([0x00, 0x61, 0x73, 0x6D]) == MalformedError("unexpected end", offset: 4))
        #expect(parseError([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00]) == MalformedError("unexpected end", offset: 7))
    }

    @Test func badMagic() {
        let magics: [[UInt8]] = [
            Array("asm\0".utf8), Array("msa\0".utf8), Array("asm\u{1}\0\0\0\0".utf8), Array("wasm\u{1}\0\0\0".utf8),
            [0x7F, 0x61, 0x73, 0x6D, 1, 0, 0, 0], [0x00, 0x41, 0x53, 0x4D, 1, 0, 0, 0],
            [0xEF, 0xBB, 0xBF, 0x00, 0x61, 0x73, 0x6D, 1, 0, 0, 0], [0, 0, 0, 1, 0x6D, 0x73, 0x61, 0],
        ]
        for magic in magics {
            #expect(parseError(magic) == MalformedError("magic header not detected", offset: 0), "\(magic)")
        }
    }

    @Test func badVersion() {
        for version: [UInt8] in [[0, 0, 0, 0], [0x0D, 0, 0, 0], [0x0E, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [2, 0, 0, 0]] {
            #expect(parseError([0x00, 0x61, 0x73, 0x6D] + version) == MalformedError("unknown binary version", offset: 4))
        }
    }

    @Test func unknownSectionIds() {
        for id: UInt8 in [0x0D, 0x0E, 0x7F, 0x80, 0x81, 0xFF] {
            #expect(parseError(header + [id, 0x01, 0x00], features: .wasm2) == MalformedError("malformed section id", offset: 8))
        }
        // The tag section (13) comes with exception handling.
        #expect(parseError(header + [0x0E, 0x01, 0x00]) == MalformedError("malformed section id", offset: 8))
        // Without bulk memory there is no data count section.
        #expect(parseError(header + [0x0C, 0x01, 0x00], features: .mvp) == MalformedError("malformed section id", offset: 8))
    }

    @Test func sectionsOutOfOrderOrRepeated() {
        let empty: [UInt8: [UInt8]] = [
            1: [0x01, 0x01, 0x00], 2: [0x02, 0x01, 0x00], 3: [0x03, 0x01, 0x00], 4: [0x04, 0x01, 0x00],
            5: [0x05, 0x01, 0x00], 6: [0x06, 0x01, 0x00], 7: [0x07, 0x01, 0x00], 9: [0x09, 0x01, 0x00],
            10: [0x0A, 0x01, 0x00], 11: [0x0B, 0x01, 0x00], 12: [0x0C, 0x01, 0x00],
        ]
        // Every known section twice in a row.
        for (id, bytes) in empty {
            #expect(
                parseError(header + bytes + bytes)
                    == MalformedError("unexpected content after last section", offset: 11), "section \(id)")
        }
        // Pairs in the wrong order: the second section is the culprit.
        let wrongOrder: [(UInt8, UInt8)] = [(2, 1), (3, 2), (4, 3), (5, 4), (6, 5), (7, 6), (9, 7), (12, 9), (10, 12), (11, 10)]
        for (first, second) in wrongOrder {
            let bytes = header + (empty[first] ?? []) + (empty[second] ?? [])
            #expect(
                parseError(bytes) == MalformedError("unexpected content after last section", offset: 11),
                "\(first) then \(second)")
        }
        // Start after element, and two start sections.
        let typeAndFunction = voidType + section(3, vec([[0x00]]))
        let start: [UInt8] = [0x08, 0x01, 0x00]
        #expect(
            parseError(header + typeAndFunction + [0x09, 0x01, 0x00] + start)
                == MalformedError("unexpected content after last section", offset: 8 + typeAndFunction.count + 3))
        #expect(
            parseError(header + typeAndFunction + start + start)
                == MalformedError("unexpected content after last section", offset: 8 + typeAndFunction.count + 3))
        // The data count section sits between element and code.
        #expect(parseError(header + [0x09, 0x01, 0x00, 0x0C, 0x01, 0x00, 0x0A, 0x01, 0x00]) == nil)
    }

    @Test func customSectionsMayAppearAnywhere() throws {
        let custom = section(0, name("custom") + Array("payload".utf8))
        var bytes = header + custom
        for id: UInt8 in [1, 2, 3, 4, 5, 6, 7, 9, 10, 11] {
            bytes += [id, 0x01, 0x00] + custom + custom
        }
        let module = try parseModule(bytes: bytes)
        #expect(module.customSections.count == 21)
        let first = try #require(module.customSections.first)
        #expect(first.name == "custom")
        #expect(Array(bytes[first.range]) == Array("payload".utf8))
        #expect(first.range == 17..<24)
    }

    @Test func sectionSizes() {
        // Declared size larger than what is left.
        #expect(parseError(header + [0x01, 0x07, 0x02, 0x60, 0x00, 0x00]) == MalformedError("length out of bounds", offset: 9))
        // Content shorter than declared: one type declared, two given.
        #expect(
            parseError(header + [0x01, 0x07, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00])
                == MalformedError("section size mismatch", offset: 10))
        // Content longer than declared: the count runs into the next section.
        #expect(
            parseError(header + [0x03, 0x01, 0x02, 0x00, 0x00])
                == MalformedError("section size mismatch", offset: 10))
        // A section size LEB128 that is too long.
        #expect(
            parseError(header + [0x00, 0x83, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01, 0x31, 0x32])
                == MalformedError("integer representation too long", offset: 14))
        #expect(
            parseError(header + [0x00, 0x83, 0x80, 0x80, 0x80, 0x10, 0x01, 0x31, 0x32])
                == MalformedError("integer too large", offset: 13))
        // A size byte missing entirely.
        #expect(parseError(header + [0x01]) == MalformedError("unexpected end of section or function", offset: 9))
    }

    @Test func functionAndCodeCountsMustAgree() {
        let mismatch = "function and code section have inconsistent lengths"
        // Function section without code section.
        #expect(parseError(header + voidType + [0x03, 0x03, 0x02, 0x00, 0x00]) == MalformedError(mismatch, offset: 14))
        // Code section without function section.
        #expect(parseError(header + [0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B]) == MalformedError(mismatch, offset: 8))
        // More functions than bodies, and the reverse.
        #expect(
            parseError(header + voidType + [0x03, 0x03, 0x02, 0x00, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B])
                == MalformedError(mismatch, offset: 19))
        #expect(
            parseError(header + voidType + [0x03, 0x02, 0x01, 0x00, 0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B])
                == MalformedError(mismatch, offset: 18))
        // Zero functions with either section absent is fine.
        #expect(parseError(header + [0x03, 0x01, 0x00]) == nil)
        #expect(parseError(header + [0x0A, 0x01, 0x00]) == nil)
    }

    @Test func dataCountMustMatchData() {
        let mismatch = "data count and data section have inconsistent lengths"
        #expect(
            parseError(header + [0x0C, 0x01, 0x03, 0x0B, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00])
                == MalformedError(mismatch, offset: 11))
        #expect(
            parseError(header + [0x0C, 0x01, 0x01, 0x0B, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00])
                == MalformedError(mismatch, offset: 11))
        #expect(
            parseError(header + [0x05, 0x03, 0x01, 0x00, 0x01, 0x0C, 0x01, 0x01])
                == MalformedError(mismatch, offset: 13))
        #expect(parseError(header + [0x0C, 0x01, 0x00]) == nil)
    }

    /// custom.wast: a custom section one byte too long swallows the id of the function
    /// section, so the import section that follows is read in its place.
    @Test func customSectionSwallowingTheNextId() {
        let bytes =
            header + [0x01, 0x07, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F] + [0x00, 0x25, 0x10] + Array("a custom section".utf8)
            + Array("this is the payload".utf8) + [0x03, 0x02, 0x01, 0x00]
            + [0x0A, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B]
            + [0x00, 0x1B, 0x07] + Array("custom2".utf8) + Array("this is the payload".utf8)
        #expect(parseError(bytes)?.message == "function and code section have inconsistent lengths")
        // Two modules back to back: the second header reads as a custom section too long.
        #expect(parseError(header + header) == MalformedError("length out of bounds", offset: 9))
    }
}
