import Testing
import SwimParser
import SwimTypes

/// Exception handling in the binary format: the tag section, tag imports and exports,
/// exnref, and the instructions (with the legacy ones).
@Suite struct ExceptionDecodingTests {
    let tagType = section(1, vec([[0x60, 0x01, 0x7F, 0x00]]))

    @Test func tagSectionImportsAndExports() throws {
        let imports = section(2, vec([name("m") + name("e") + [0x04, 0x00, 0x00]]))
        let tags = section(13, vec([[0x00, 0x00], [0x00, 0x00]]))
        let exports = section(7, vec([name("t") + [0x04, 0x02]]))
        let module = try parseModule(bytes: header + tagType + imports + tags + exports)
        #expect(module.imports == [Import(module: "m", name: "e", descriptor: .tag(0))])
        #expect(module.tags == [0, 0])
        #expect(module.allTags == [0, 0, 0])
        #expect(module.exports == [Export(name: "t", descriptor: .tag(2))])
    }

    @Test func tagSectionComesBetweenMemoryAndGlobal() {
        let memory = section(5, vec([[0x00, 0x01]]))
        let tags = section(13, vec([[0x00, 0x00]]))
        let globals = section(6, vec([[0x7F, 0x00, 0x41, 0x00, 0x0B]]))
        #expect(parseError(header + tagType + memory + tags + globals) == nil)
        #expect(
            parseError(header + tagType + tags + memory)
                == MalformedError("unexpected content after last section", offset: 8 + tagType.count + tags.count))
        #expect(
            parseError(header + tagType + globals + tags)
                == MalformedError("unexpected content after last section", offset: 8 + tagType.count + globals.count))
        #expect(parseError(header + tagType + tags + tags) != nil)
    }

    @Test func tagAttributeMustBeZero() {
        #expect(
            parseError(header + tagType + section(13, vec([[0x01, 0x00]])))
                == MalformedError("malformed tag attribute", offset: 8 + tagType.count + 3))
        #expect(
            parseError(header + tagType + section(2, vec([name("m") + name("e") + [0x04, 0x01, 0x00]])))
                == MalformedError("malformed tag attribute", offset: 8 + tagType.count + 8))
    }

    @Test func tagsNeedTheFeature() {
        let tags = section(13, vec([[0x00, 0x00]]))
        #expect(parseError(header + tagType + tags, features: .wasm2) == MalformedError("malformed section id", offset: 8 + tagType.count))
        // The legacy instructions have tags too.
        #expect(parseError(header + tagType + tags, features: WasmFeatures.wasm2.union(.legacyExceptions)) == nil)
    }

    @Test func exnrefTypes() throws {
        #expect(decodeOne([0xD0, 0x69]) == .refNull(.exn))
        #expect(decodeOne([0xD0, 0x74]) == .refNull(.noexn))
        #expect(decodeError([0xD0, 0x69], features: .wasm2) == MalformedError("malformed reference type", offset: 1))
        #expect(decodeOne([0x02, 0x69, 0x0B]) == nil)  // a block of exnref, then end
        #expect(try decodeAll([0x02, 0x69]) == [.block(.value(.exnref))])
        #expect(try decodeAll([0x02, 0x74]) == [.block(.value(.ref(RefType(nullable: true, heapType: .noexn))))])
    }

    @Test func exceptionInstructions() throws {
        #expect(decodeOne([0x08, 0x03]) == .throw(3))
        #expect(decodeOne([0x0A]) == .throwRef)
        let clauses: [UInt8] = [0x04, 0x00, 0x01, 0x02, 0x01, 0x03, 0x04, 0x02, 0x05, 0x03, 0x06]
        #expect(
            decodeOne([0x1F, 0x40] + clauses)
                == .tryTable(.empty, [
                    .catch(tag: 1, label: 2), .catchRef(tag: 3, label: 4), .catchAll(label: 5), .catchAllRef(label: 6),
                ]))
        #expect(decodeOne([0x1F, 0x7F, 0x00]) == .tryTable(.value(.i32), []))
        #expect(decodeError([0x1F, 0x40, 0x01, 0x04, 0x00]) == MalformedError("malformed handler kind", offset: 3))
        #expect(decodeError([0x1F, 0x40, 0x02, 0x02, 0x00]) == MalformedError("unexpected end of section or function", offset: 5))
    }

    @Test func legacyInstructions() throws {
        #expect(
            try decodeAll([0x06, 0x40, 0x07, 0x01, 0x19, 0x09, 0x00, 0x0B, 0x06, 0x7F, 0x18, 0x02])
                == [.try(.empty), .catch(1), .catchAll, .rethrow(0), .end, .try(.value(.i32)), .delegate(2)])
    }

    @Test func eachInstructionNeedsItsFeature() {
        let exceptionsOnly = WasmFeatures.wasm2.union(.exceptions)
        let legacyOnly = WasmFeatures.wasm2.union(.legacyExceptions)
        for bytes: [UInt8] in [[0x06, 0x40], [0x07, 0x00], [0x09, 0x00], [0x18, 0x00], [0x19]] {
            #expect(decodeError(bytes, features: exceptionsOnly)?.message.hasPrefix("illegal opcode") == true)
            #expect(decodeError(bytes, features: legacyOnly) == nil)
        }
        for opcode: UInt8 in [0x0A, 0x1F] {
            #expect(decodeError([opcode, 0x40, 0x00], features: legacyOnly)?.message.hasPrefix("illegal opcode") == true)
        }
        #expect(decodeOne([0x08, 0x00], features: legacyOnly) == .throw(0))
        #expect(decodeOne([0x08, 0x00], features: exceptionsOnly) == .throw(0))
    }

    @Test func bodiesWithTryEndWhereTheyShould() {
        // `try ... delegate` closes a try as `end` does, so the function's own end is still missing.
        let missingEnd = header + voidType + section(3, vec([[0x00]])) + section(10, vec([body([0x06, 0x40, 0x18, 0x00])]))
        #expect(parseError(missingEnd) != nil)
        // A stray catch at the top level of a body whose end is missing.
        let strayCatch = header + voidType + section(3, vec([[0x00]])) + section(10, vec([body([0x19, 0x00])]))
        #expect(parseError(strayCatch)?.message == "END opcode expected")
        // A constant expression nests try blocks like any block.
        let global = section(6, vec([[0x7F, 0x00, 0x1F, 0x40, 0x00, 0x0B, 0x41, 0x00, 0x0B]]))
        #expect(parseError(header + global) == nil)
    }
}
