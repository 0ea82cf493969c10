import Testing
import SwimParser
import SwimTypes

@Suite struct CodeSectionTests {
    @Test func localsAndBodyRange() throws {
        let bytes = moduleWithFunction(locals: [(2, 0x7F), (0, 0x7D), (1, 0x7E)], [0x41, 0x00, 0x1A, 0x0B])
        let module = try parseModule(bytes: bytes)
        let code = try #require(module.codes.first)
        #expect(code.locals == [LocalRun(count: 2, type: .i32), LocalRun(count: 0, type: .f32), LocalRun(count: 1, type: .i64)])
        #expect(code.localCount == 3)
        #expect(code.range == (bytes.count - 4)..<bytes.count)
        #expect(Array(bytes[code.range]) == [0x41, 0x00, 0x1A, 0x0B])
    }

    @Test func bodiesAreNotDecodedByParseModule() throws {
        // An illegal opcode inside a body is found by the InstructionReader, not by parseModule.
        let bytes = moduleWithFunction([0xFF, 0x0B])
        let module = try parseModule(bytes: bytes)
        let code = try #require(module.codes.first)
        var reader = InstructionReader(module: module, body: code)
        #expect(throws: MalformedError("illegal opcode ff", offset: code.range.lowerBound)) { try reader.read() }
    }

    @Test func tooManyLocals() {
        let typeAndFunction = header + voidType + section(3, vec([[0x00]]))
        let bodyStart = typeAndFunction.count + 4  // code id, size, count, body size
        // binary.wast: 2^32 - 1 + 2 locals.
        let overflow = typeAndFunction + [0x0A, 0x0C, 0x01, 0x0A, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B]
        #expect(parseError(overflow) == MalformedError("too many locals", offset: bodyStart))
        let fourRuns =
            header + [0x01, 0x06, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x00] + section(3, vec([[0x00]]))
            + [0x0A, 0x1C, 0x01, 0x1A, 0x04, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7F, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7E]
            + [0x80, 0x80, 0x80, 0x80, 0x04, 0x7D, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7C, 0x0B]
        #expect(parseError(fourRuns) == MalformedError("too many locals", offset: 24))
        // A local count of 2^32 is not a u32.
        let tooLarge = typeAndFunction + [0x0A, 0x0C, 0x01, 0x0A, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F, 0x02, 0x7E, 0x0B]
        #expect(parseError(tooLarge) == MalformedError("integer too large", offset: bodyStart + 5))
    }

    @Test func localLimitProtectsMemory() throws {
        let limit = ParserLimits.maxLocalsPerFunction
        let atLimit = moduleWithFunction(locals: [(UInt32(limit - 1), 0x7F), (1, 0x7E)], [0x0B])
        #expect(try parseModule(bytes: atLimit).codes.first?.localCount == limit)
        let overLimit = moduleWithFunction(locals: [(UInt32(limit), 0x7F), (1, 0x7E)], [0x0B])
        let error = try #require(parseError(overLimit))
        #expect(error.message.hasPrefix("too many locals"))
        #expect(error.message.contains("\(limit)"))
        #expect(error.offset == header.count + voidType.count + 4 + 4)
    }

    @Test func malformedLocalType() {
        let bytes = moduleWithFunction(locals: [(1, 0x40)], [0x0B])
        #expect(parseError(bytes) == MalformedError("malformed value type", offset: bytes.count - 2))
    }

    @Test func missingFinalEnd() {
        let typeAndFunctions = header + voidType
        // Between two functions (binary.wast).
        let between =
            typeAndFunctions + [0x03, 0x03, 0x02, 0x00, 0x00] + [0x0A, 0x0C, 0x02, 0x04, 0x00, 0x41, 0x01, 0x1A]
            + [0x05, 0x00, 0x41, 0x01, 0x1A, 0x0B]
        #expect(parseError(between) == MalformedError("END opcode expected", offset: 27))
        // At the end of the module.
        let atEOF = typeAndFunctions + [0x03, 0x02, 0x01, 0x00] + [0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x1A]
        #expect(parseError(atEOF) == MalformedError("unexpected end of section or function", offset: atEOF.count))
        // At the end of the code section, with a data section after it.
        // The data section id reads as the function's `end`, one byte too late.
        let atSectionEnd = atEOF + [0x0B, 0x03, 0x01, 0x01, 0x00]
        #expect(parseError(atSectionEnd) == MalformedError("section size mismatch", offset: atEOF.count - 4))
        // A declared size that cuts an instruction: its immediate is decoded on, past the
        // body, and its own error wins (binary-leb128.wast).
        let cut =
            typeAndFunctions + [0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01] + [0x0A, 0x11, 0x01]
            + [0x0F, 0x01, 0x01, 0x7F, 0x41, 0x00, 0x28, 0x02] + [0x82] + [UInt8](repeating: 0x80, count: 9) + [0x00, 0x1A, 0x0B]
        #expect(parseError(cut, features: .wasm2) == MalformedError("integer representation too long", offset: cut.count - 8))
        // An empty body.
        let empty = typeAndFunctions + [0x03, 0x02, 0x01, 0x00] + [0x0A, 0x02, 0x01, 0x00]
        #expect(parseError(empty) == MalformedError("unexpected end of section or function", offset: empty.count))
    }

    @Test func bodySizes() {
        let typeAndFunction = header + voidType + section(3, vec([[0x00]]))
        // A body larger than the module.
        #expect(
            parseError(typeAndFunction + [0x0A, 0x05, 0x01, 0x09, 0x00, 0x0B])
                == MalformedError("length out of bounds", offset: typeAndFunction.count + 3))
        // A body that overruns the module by one byte (the size is bounded from its own LEB128).
        #expect(
            parseError(typeAndFunction + [0x0A, 0x04, 0x01, 0x03, 0x00, 0x0B])
                == MalformedError("section size mismatch", offset: typeAndFunction.count + 4))
        #expect(
            parseError(typeAndFunction + [0x0A, 0x04, 0x01, 0x03, 0x00, 0x01])
                == MalformedError("unexpected end of section or function", offset: typeAndFunction.count + 6))
        // Local declarations that run past the body.
        let pastBody = typeAndFunction + [0x0A, 0x07, 0x01, 0x01, 0x01, 0x01, 0x7F, 0x0B, 0x0B]
        #expect(parseError(pastBody) == MalformedError("section size mismatch", offset: typeAndFunction.count + 4))
        // Redundant bytes in the function count (binary-leb128.wast).
        #expect(
            parseError(typeAndFunction + [0x0A, 0x05, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x02, 0x00, 0x0B])
                == MalformedError("integer representation too long", offset: typeAndFunction.count + 7))
    }

    @Test func dataCountRequiredForMemoryInitAndDataDrop() throws {
        let prefix = header + voidType + section(3, vec([[0x00]])) + section(5, vec([[0x00, 0x00]]))
        let memoryInit = prefix + section(10, vec([body([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B])]))
        let dataSection: [UInt8] = [0x0B, 0x03, 0x01, 0x01, 0x00]
        let module = try parseModule(bytes: memoryInit + dataSection)
        let code = try #require(module.codes.first)
        var reader = InstructionReader(module: module, body: code)
        for _ in 0..<3 { _ = try reader.read() }
        #expect(throws: MalformedError("data count section required", offset: code.range.lowerBound + 6)) {
            try reader.read()
        }
        let dataDrop = prefix + section(10, vec([body([0xFC, 0x09, 0x00, 0x0B])]))
        let dropModule = try parseModule(bytes: dataDrop + dataSection)
        var dropReader = InstructionReader(module: dropModule, body: try #require(dropModule.codes.first))
        #expect(throws: MalformedError("data count section required", offset: dataDrop.count - 4)) {
            try dropReader.read()
        }
        // With the data count section both decode.
        let withCount = prefix + section(12, [0x01]) + section(10, vec([body([0xFC, 0x09, 0x00, 0x0B])])) + dataSection
        let countModule = try parseModule(bytes: withCount)
        var countReader = InstructionReader(module: countModule, body: try #require(countModule.codes.first))
        #expect(try countReader.read() == .dataDrop(0))
        #expect(try countReader.read() == .end)
        #expect(countReader.isAtEnd)
    }
}

@Suite struct CustomSectionTests {
    @Test func customSectionPayloads() throws {
        // custom.wast: names and payloads of all shapes, including a module inside a module.
        let sections: [(String, [UInt8])] = [
            ("a custom section", Array("this is the payload".utf8)), ("", Array("this is payload".utf8)), ("", []),
            ("\u{0}\u{0}custom sectio\u{0}", Array("this is the payload".utf8)),
            ("\u{FEFF}a custom sect", Array("this is the payload".utf8)), ("module within a module", header),
        ]
        let bytes = header + sections.flatMap { section(0, name($0.0) + $0.1) }
        let module = try parseModule(bytes: bytes)
        #expect(module.customSections.map(\.name) == sections.map(\.0))
        #expect(module.customSections.map { Array(bytes[$0.range]) } == sections.map(\.1))
    }

    @Test func malformedCustomSections() {
        // A lone id, an id and a zero size, a zero size followed by other sections.
        #expect(parseError(header + [0x00]) == MalformedError("unexpected end of section or function", offset: 9))
        #expect(parseError(header + [0x00, 0x00]) == MalformedError("unexpected end of section or function", offset: 10))
        #expect(
            parseError(header + [0x00, 0x00, 0x05, 0x01, 0x00, 0x07, 0x00, 0x00])
                == MalformedError("unexpected end of section or function", offset: 10))
        // A name longer than the section.
        #expect(
            parseError(header + [0x00, 0x02, 0x05] + Array("abcde".utf8))
                == MalformedError("unexpected end of section or function", offset: 12))
        // A size beyond the module.
        let payload = name("a custom section") + Array("this is the payload".utf8)
        #expect(parseError(header + [0x00, 0x26] + payload) == MalformedError("length out of bounds", offset: 9))
        // A size one too long swallows the next section's id.
        #expect(
            parseError(header + [0x00, 0x25] + payload + [0x00, 0x24] + payload)
                == MalformedError("malformed section id", offset: 8 + 2 + 0x25))
        // The name must be UTF-8.
        #expect(
            parseError(header + section(0, [0x02, 0xC0, 0x80]))
                == MalformedError("malformed UTF-8 encoding", offset: 10))
    }

    /// A `name` section: module name (0), function names (1), local names (2),
    /// and an unknown subsection (7) that is skipped.
    func nameSection(moduleName: String = "demo") -> [UInt8] {
        let subsections: [[UInt8]] = [
            section(0, name(moduleName)),
            section(1, vec([[0x00] + name("main"), [0x02] + name("helper")])),
            section(2, vec([[0x00] + vec([[0x00] + name("x"), [0x01] + name("y")])])),
            section(7, vec([[0x00] + name("g")])),
        ]
        return section(0, name("name") + subsections.flatMap { $0 })
    }

    @Test func nameSectionIsDecoded() throws {
        let module = try parseModule(bytes: header + nameSection())
        let names = try #require(module.names)
        #expect(names.moduleName == "demo")
        #expect(names.functionNames == [0: "main", 2: "helper"])
        #expect(names.localNames == [0: [0: "x", 1: "y"]])
        #expect(module.customSections.map(\.name) == ["name"])
    }

    @Test func brokenNameSectionDoesNotFailTheModule() throws {
        let broken: [[UInt8]] = [
            section(0, name("name") + [0x01, 0x05, 0x01, 0x00, 0x09]),  // name longer than the subsection
            section(0, name("name") + [0x00, 0x02, 0x01, 0xFF]),  // module name not UTF-8
            section(0, name("name") + [0x01, 0x09]),  // subsection size beyond the section
            section(0, name("name") + [0x00, 0x03, 0x01, 0x61, 0x62]),  // subsection with trailing bytes
            section(0, name("name") + [0x01, 0x02, 0x05, 0x00]),  // count larger than the content
        ]
        for bytes in broken {
            let module = try parseModule(bytes: header + bytes)
            #expect(module.names == nil)
            #expect(module.customSections.count == 1)
        }
    }
}
