import Testing
import SwimParser
import SwimTypes

@Suite struct ElementSectionTests {
    /// One segment of each of the eight encodings.
    let segments: [[UInt8]] = [
        [0x00, 0x41, 0x01, 0x0B] + vec([[0x00]]),
        [0x01, 0x00] + vec([[0x00]]),
        [0x02, 0x00, 0x41, 0x02, 0x0B, 0x00] + vec([[0x00], [0x00]]),
        [0x03, 0x00] + vec([[0x00]]),
        [0x04, 0x41, 0x03, 0x0B] + vec([[0xD2, 0x00, 0x0B], [0xD0, 0x70, 0x0B]]),
        [0x05, 0x70] + vec([[0xD2, 0x00, 0x0B]]),
        [0x06, 0x01, 0x41, 0x04, 0x0B, 0x6F] + vec([[0xD0, 0x6F, 0x0B]]),
        [0x07, 0x70] + vec([[0xD2, 0x00, 0x0B]]),
    ]

    @Test func allEightEncodings() throws {
        let prefix = header + voidType + section(3, vec([[0x00]]))
        let bytes = prefix + section(9, vec(segments)) + section(10, vec([body([0x0B])]))
        let module = try parseModule(bytes: bytes)
        let elements = module.elements
        try #require(elements.count == 8)

        func offset(_ segment: Int, _ within: Int) -> Int {
            prefix.count + 3 + segments[..<segment].reduce(0) { $0 + $1.count } + within
        }
        func expression(_ instructions: [Instruction], _ at: Int) -> ConstExpression {
            ConstExpression(instructions: instructions, offset: at)
        }
        // Function indices are non-null: with typed references, their segments are of `(ref func)`.
        let indices = RefType(nullable: false, heapType: .func)
        #expect(
            elements[0]
                == ElementSegment(
                    type: indices, mode: .active(table: 0, offset: expression([.i32Const(1)], offset(0, 1))),
                    items: .functions([0])))
        #expect(elements[1] == ElementSegment(type: indices, mode: .passive, items: .functions([0])))
        #expect(
            elements[2]
                == ElementSegment(
                    type: indices, mode: .active(table: 0, offset: expression([.i32Const(2)], offset(2, 2))),
                    items: .functions([0, 0])))
        #expect(elements[3] == ElementSegment(type: indices, mode: .declarative, items: .functions([0])))
        let wasm2 = try parseModule(bytes: bytes, features: .wasm2).elements
        #expect(wasm2[..<4].allSatisfy { $0.type == .funcref })
        #expect(
            elements[4]
                == ElementSegment(
                    type: .funcref, mode: .active(table: 0, offset: expression([.i32Const(3)], offset(4, 1))),
                    items: .expressions([
                        expression([.refFunc(0)], offset(4, 5)), expression([.refNull(.func)], offset(4, 8)),
                    ])))
        #expect(
            elements[5]
                == ElementSegment(
                    type: .funcref, mode: .passive, items: .expressions([expression([.refFunc(0)], offset(5, 3))])))
        #expect(
            elements[6]
                == ElementSegment(
                    type: .externref, mode: .active(table: 1, offset: expression([.i32Const(4)], offset(6, 2))),
                    items: .expressions([expression([.refNull(.extern)], offset(6, 7))])))
        #expect(
            elements[7]
                == ElementSegment(
                    type: .funcref, mode: .declarative, items: .expressions([expression([.refFunc(0)], offset(7, 3))])))
        #expect(elements.map(\.count) == [1, 1, 2, 1, 2, 1, 1, 1])
    }

    @Test func malformedSegments() {
        let start = header.count + 3  // id, size and count of the element section
        #expect(
            parseError(header + section(9, vec([[0x08, 0x00]])))
                == MalformedError("malformed elements segment kind", offset: start))
        #expect(
            parseError(header + section(9, vec([[0x01, 0x01, 0x00]])))
                == MalformedError("malformed element kind", offset: start + 1))
        // binary.wast: a passive segment of type i32, and one with an illegal opcode.
        #expect(
            parseError(header + section(9, vec([[0x05, 0x7F, 0x01, 0xD2, 0x00, 0x0B]])))
                == MalformedError("malformed reference type", offset: start + 1))
        #expect(
            parseError(header + section(9, vec([[0x05, 0x70, 0x01, 0xF3, 0x00, 0x0B]])))
                == MalformedError("illegal opcode f3", offset: start + 3))
        // Only flag 0 exists before bulk memory.
        #expect(
            parseError(header + section(9, vec([[0x01, 0x00, 0x00]])), features: .mvp)
                == MalformedError("malformed elements segment kind", offset: start))
        // binary-leb128.wast: a table index with a redundant sixth byte.
        #expect(
            parseError(header + [0x09, 0x0B, 0x01, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x41, 0x00, 0x0B, 0x00])
                == MalformedError("integer representation too long", offset: 17))
    }

    @Test func segmentCountsMustMatchTheContent() {
        let prefix = header + voidType + section(3, vec([[0x00]])) + section(4, vec([[0x70, 0x00, 0x01]]))
        // Two declared, one given; two declared, one and a half given.
        let one = prefix + [0x09, 0x07, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00]
        #expect(parseError(one) == MalformedError("unexpected end of section or function", offset: one.count))
        let oneAndAHalf = prefix + [0x09, 0x0A, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00, 0x00, 0x41, 0x00]
        #expect(parseError(oneAndAHalf) == MalformedError("unexpected end of section or function", offset: oneAndAHalf.count))
        // One declared, two given.
        let two =
            prefix + [0x09, 0x0D, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00]
            + section(10, vec([body([0x0B])]))
        #expect(parseError(two) == MalformedError("section size mismatch", offset: prefix.count + 2))
    }
}

@Suite struct DataSectionTests {
    @Test func threeEncodings() throws {
        let memory = section(5, vec([[0x00, 0x01]]))
        let data = section(
            11,
            vec([
                [0x00, 0x41, 0x10, 0x0B] + name("abc"),
                [0x01] + name(""),
                [0x02, 0x00, 0x41, 0x20, 0x0B] + name("xy"),
            ]))
        let bytes = header + memory + section(12, [0x03]) + data
        let module = try parseModule(bytes: bytes)
        let dataStart = header.count + memory.count + 3 + 3  // data count section, then id, size, count
        #expect(module.dataCount == 3)
        #expect(
            module.data == [
                DataSegment(
                    mode: .active(memory: 0, offset: ConstExpression(instructions: [.i32Const(16)], offset: dataStart + 1)),
                    range: (dataStart + 5)..<(dataStart + 8)),
                DataSegment(mode: .passive, range: (dataStart + 10)..<(dataStart + 10)),
                DataSegment(
                    mode: .active(memory: 0, offset: ConstExpression(instructions: [.i32Const(32)], offset: dataStart + 12)),
                    range: (dataStart + 16)..<(dataStart + 18)),
            ])
        #expect(Array(bytes[module.data[0].range]) == Array("abc".utf8))
        #expect(Array(bytes[module.data[2].range]) == Array("xy".utf8))
    }

    @Test func malformedSegments() {
        let memory = section(5, vec([[0x00, 0x01]]))
        let start = header.count + memory.count + 3
        #expect(
            parseError(header + memory + section(11, vec([[0x03, 0x00]])))
                == MalformedError("malformed data segment kind", offset: start))
        #expect(
            parseError(header + memory + section(11, vec([[0x01, 0x00]])), features: .mvp)
                == MalformedError("malformed data segment kind", offset: start))
        // Seven bytes declared, six given; five declared, six given (binary.wast).
        let short = header + memory + [0x0B, 0x0C, 0x01, 0x00, 0x41, 0x03, 0x0B, 0x07] + Array("abcdef".utf8)
        #expect(parseError(short) == MalformedError("unexpected end of section or function", offset: short.count))
        let long = header + memory + [0x0B, 0x0C, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x05] + Array("abcdef".utf8)
        #expect(parseError(long) == MalformedError("section size mismatch", offset: start - 1))
        // binary-leb128.wast: a memory index with unused bits set.
        #expect(
            parseError(header + memory + [0x0B, 0x0A, 0x01, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x41, 0x00, 0x0B, 0x00])
                == MalformedError("integer too large", offset: start + 5))
        // Two declared, one given.
        let missing = header + memory + [0x0B, 0x07, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x61]
        #expect(parseError(missing) == MalformedError("unexpected end of section or function", offset: missing.count))
    }
}
