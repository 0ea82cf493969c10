import Testing
import SwimParser
import SwimTypes

@Suite struct EntitySectionTests {
    @Test func decodesEveryEntitySection() throws {
        let types = section(1, vec([[0x60, 0x00, 0x00], [0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7C]]))
        let imports = section(
            2,
            vec([
                name("env") + name("f") + [0x00, 0x01],
                name("env") + name("t") + [0x01, 0x6F, 0x01, 0x01, 0x0A],
                name("env") + name("m") + [0x02, 0x00, 0x02],
                name("env") + name("g") + [0x03, 0x7E, 0x01],
            ]))
        let functions = section(3, vec([[0x00], [0x01]]))
        let tables = section(4, vec([[0x70, 0x00, 0x03]]))
        let memories = section(5, vec([[0x01, 0x01, 0x80, 0x02]]))
        let globals = section(
            6,
            vec([
                [0x7F, 0x00, 0x41, 0x2A, 0x0B],
                [0x7C, 0x01, 0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x0B],
                [0x70, 0x00, 0xD0, 0x70, 0x0B],
                [0x7E, 0x00, 0x23, 0x00, 0x0B],
            ]))
        let exports = section(
            7,
            vec([
                name("run") + [0x00, 0x01], name("table") + [0x01, 0x00], name("memory") + [0x02, 0x00],
                name("answer") + [0x03, 0x01],
            ]))
        let start = section(8, [0x02])
        let code = section(10, vec([body([0x0B]), body([0x0B])]))
        let bytes = module(types, imports, functions, tables, memories, globals, exports, start, code)
        let module = try parseModule(bytes: bytes)

        #expect(module.types == [FunctionType(), FunctionType(parameters: [.i32, .i64], results: [.f64])])
        #expect(
            module.imports == [
                Import(module: "env", name: "f", descriptor: .function(1)),
                Import(
                    module: "env", name: "t",
                    descriptor: .table(TableType(elementType: .externref, limits: Limits(min: 1, max: 10)))),
                Import(module: "env", name: "m", descriptor: .memory(MemoryType(limits: Limits(min: 2)))),
                Import(module: "env", name: "g", descriptor: .global(GlobalType(mutability: .variable, valueType: .i64))),
            ])
        #expect(module.functions == [0, 1])
        #expect(module.tables == [TableDefinition(type: TableType(elementType: .funcref, limits: Limits(min: 3)))])
        #expect(module.memories == [MemoryType(limits: Limits(min: 1, max: 256))])
        let globalsStart = 8 + types.count + imports.count + functions.count + tables.count + memories.count + 3
        #expect(
            module.globals == [
                GlobalDefinition(
                    type: GlobalType(mutability: .constant, valueType: .i32),
                    initializer: ConstExpression(instructions: [.i32Const(42)], offset: globalsStart + 2)),
                GlobalDefinition(
                    type: GlobalType(mutability: .variable, valueType: .f64),
                    initializer: ConstExpression(
                        instructions: [.f64Const(0x3FF0_0000_0000_0000)], offset: globalsStart + 7)),
                GlobalDefinition(
                    type: GlobalType(mutability: .constant, valueType: .funcref),
                    initializer: ConstExpression(instructions: [.refNull(.func)], offset: globalsStart + 19)),
                GlobalDefinition(
                    type: GlobalType(mutability: .constant, valueType: .i64),
                    initializer: ConstExpression(instructions: [.globalGet(0)], offset: globalsStart + 24)),
            ])
        #expect(
            module.exports == [
                Export(name: "run", descriptor: .function(1)), Export(name: "table", descriptor: .table(0)),
                Export(name: "memory", descriptor: .memory(0)), Export(name: "answer", descriptor: .global(1)),
            ])
        #expect(module.start == 2)
        #expect(module.codes.count == 2)
        #expect(module.importedFunctionCount == 1 && module.importedGlobalCount == 1)
    }

    @Test func importKinds() {
        // import.wast / binary.wast: kinds 4, 5 and 0x80 are malformed (no tags in Wasm 2.0).
        for kind: UInt8 in [0x04, 0x05, 0x80] {
            #expect(
                parseError(header + [0x02, 0x04, 0x01, 0x00, 0x00, kind], features: .wasm2)
                    == MalformedError("malformed import kind", offset: 13))
            #expect(
                parseError(header + [0x02, 0x05, 0x01, 0x00, 0x00, kind, 0x00], features: .wasm2)
                    == MalformedError("malformed import kind", offset: 13))
        }
        #expect(
            parseError(header + [0x02, 0x05, 0x01, 0x00, 0x00, 0x05, 0x00])
                == MalformedError("malformed import kind", offset: 13))
        // Two imports declared, one given.
        let printI32 = name("spectest") + name("print_i32") + [0x00, 0x00]
        let bytes = header + [0x01, 0x05, 0x01, 0x60, 0x01, 0x7F, 0x00] + section(2, [0x02] + printI32)
        #expect(parseError(bytes) == MalformedError("unexpected end of section or function", offset: bytes.count))
    }

    @Test func importAndExportNamesMustBeUTF8() {
        #expect(
            parseError(header + section(2, vec([[0x01, 0xC0] + name("f") + [0x00, 0x00]])))
                == MalformedError("malformed UTF-8 encoding", offset: 11))
        #expect(
            parseError(header + section(2, vec([name("m") + [0x02, 0xED, 0xA0] + [0x00, 0x00]])))
                == MalformedError("malformed UTF-8 encoding", offset: 13))
        #expect(
            parseError(header + section(7, vec([[0x01, 0xFF, 0x00, 0x00]])))
                == MalformedError("malformed UTF-8 encoding", offset: 11))
    }

    @Test func exportKinds() {
        #expect(
            parseError(header + section(7, vec([name("x") + [0x04, 0x00]])), features: .wasm2)
                == MalformedError("malformed export kind", offset: 13))
        #expect(
            parseError(header + section(7, vec([name("x") + [0x05, 0x00]])))
                == MalformedError("malformed export kind", offset: 13))
        // Two exports declared, one given: the name length reads the next section's id.
        let bytes =
            header + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00] + [0x03, 0x03, 0x02, 0x00, 0x00]
            + [0x07, 0x06, 0x02, 0x02, 0x66, 0x31, 0x00, 0x00] + [0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B]
        #expect(parseError(bytes) == MalformedError("length out of bounds", offset: 27))
        // One declared, two given.
        let longer =
            header + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00] + [0x03, 0x03, 0x02, 0x00, 0x00]
            + [0x07, 0x0B, 0x01, 0x02, 0x66, 0x31, 0x00, 0x00, 0x02, 0x66, 0x32, 0x00, 0x01]
            + [0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B]
        #expect(parseError(longer) == MalformedError("section size mismatch", offset: 21))
    }

    @Test func typeSection() {
        #expect(
            parseError(header + section(1, vec([[0x5F, 0x00, 0x00]])))
                == MalformedError("malformed function type", offset: 11))
        #expect(
            parseError(header + section(1, vec([[0x60, 0x01, 0x7A, 0x00]])))
                == MalformedError("malformed value type", offset: 13))
        // Type constructors are one-byte s7 LEB128s: -0x20 in two bytes is too long.
        #expect(
            parseError(header + [0x01, 0x05, 0x01, 0xE0, 0x7F, 0x00, 0x00])
                == MalformedError("integer representation too long", offset: 12))
        #expect(
            parseError(header + section(1, vec([[0x60, 0x01, 0xFF, 0x7F, 0x00]])))
                == MalformedError("integer representation too long", offset: 14))
        // Parameter count with a redundant sixth byte.
        #expect(
            parseError(header + [0x01, 0x0C, 0x01, 0x60, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00, 0x7F, 0x7E, 0x01, 0x7F])
                == MalformedError("integer representation too long", offset: 17))
        #expect(
            parseError(header + [0x01, 0x0B, 0x01, 0x60, 0x82, 0x80, 0x80, 0x80, 0x10, 0x7F, 0x7E, 0x01, 0x7F])
                == MalformedError("integer too large", offset: 16))
    }

    @Test func tableAndMemoryLimits() {
        // Flags other than 0 and 1 (binary.wast).
        #expect(parseError(header + [0x04, 0x03, 0x01, 0x70, 0x02], features: .wasm2) == MalformedError("integer too large", offset: 12))
        #expect(
            parseError(header + [0x04, 0x04, 0x01, 0x70, 0x08, 0x00], features: .wasm2) == MalformedError("integer too large", offset: 12))
        #expect(
            parseError(header + [0x04, 0x06, 0x01, 0x70, 0x81, 0x00, 0x00, 0x00], features: .wasm2)
                == MalformedError("integer representation too long", offset: 13))
        #expect(parseError(header + [0x05, 0x02, 0x01, 0x02], features: .wasm2) == MalformedError("integer too large", offset: 11))
        #expect(parseError(header + [0x05, 0x03, 0x01, 0x10, 0x00], features: .wasm2) == MalformedError("integer too large", offset: 11))
        #expect(
            parseError(header + [0x05, 0x05, 0x01, 0x81, 0x01, 0x00, 0x00], features: .wasm2)
                == MalformedError("integer representation too long", offset: 12))
        // A table of a non-reference type.
        #expect(parseError(header + [0x04, 0x04, 0x01, 0x7F, 0x00, 0x00], features: .wasm2) == MalformedError("malformed reference type", offset: 11))
        // One declared, none given.
        #expect(parseError(header + [0x04, 0x01, 0x01], features: .wasm2) == MalformedError("unexpected end of section or function", offset: 11))
        #expect(parseError(header + [0x05, 0x01, 0x01], features: .wasm2) == MalformedError("unexpected end of section or function", offset: 11))
        // Bounds are u32: a minimum of 2^32 is "integer too large" (binary-leb128.wast).
        #expect(
            parseError(header + [0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x70], features: .wasm2)
                == MalformedError("integer too large", offset: 16))
    }

    @Test func memory64Limits() throws {
        let features = WasmFeatures.default.union(.memory64)
        let module = try parseModule(bytes: header + section(5, vec([[0x04] + uleb(UInt64(1) << 33)])), features: features)
        #expect(module.memories == [MemoryType(limits: Limits(min: 1 << 33, is64: true))])
        #expect(
            parseError(header + section(5, vec([[0x03, 0x00, 0x00]])), features: features)
                == MalformedError("malformed limits flags", offset: 11))
    }

    @Test func globalSection() {
        // global.wast: mutability must be 0 or 1.
        for mutability: UInt8 in [0x02, 0xFF] {
            #expect(
                parseError(header + [0x06, 0x86, 0x80, 0x80, 0x80, 0x00, 0x01, 0x7F, mutability, 0x41, 0x00, 0x0B])
                    == MalformedError("malformed mutability", offset: 16))
        }
        // Two declared, one given.
        let bytes = header + [0x06, 0x06, 0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B]
        #expect(parseError(bytes) == MalformedError("unexpected end of section or function", offset: bytes.count))
        // One declared, two given.
        #expect(
            parseError(header + [0x06, 0x0B, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x0B, 0x7F, 0x00, 0x41, 0x00, 0x0B])
                == MalformedError("section size mismatch", offset: 10))
        // An initializer whose `end` is missing reads on into the code section.
        let missingEnd =
            header + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00] + [0x03, 0x02, 0x01, 0x00]
            + [0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00] + [0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B]
        #expect(parseError(missingEnd, features: .wasm2) == MalformedError("illegal opcode 0a", offset: 25))
        // An initializer cut short by the end of the module.
        #expect(
            parseError(header + [0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00])
                == MalformedError("unexpected end of section or function", offset: 15))
    }

    @Test func constantExpressionsTrackNesting() throws {
        // A (non-constant, so invalid but well-formed) block inside an initializer:
        // its `end` does not end the expression.
        let bytes = header + section(6, vec([[0x7F, 0x00, 0x02, 0x7F, 0x41, 0x01, 0x0B, 0x0B]]))
        let module = try parseModule(bytes: bytes)
        #expect(module.globals.first?.initializer.instructions == [.block(.value(.i32)), .i32Const(1), .end])
        // A top-level `else` cannot end an expression.
        #expect(
            parseError(header + section(6, vec([[0x7F, 0x00, 0x41, 0x01, 0x05]])))
                == MalformedError("END opcode expected", offset: 15))
    }

    @Test func startAndDataCount() throws {
        let module = try parseModule(bytes: header + [0x08, 0x02, 0x80, 0x01, 0x0C, 0x01, 0x00])
        #expect(module.start == 128)
        #expect(module.dataCount == 0)
        #expect(
            parseError(header + [0x08, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
                == MalformedError("integer representation too long", offset: 15))
    }
}
