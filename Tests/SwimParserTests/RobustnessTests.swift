import Testing
import SwimParser
import SwimTypes

/// Feeds damaged modules (every truncation, every single-bit flip, random mutations)
/// through `parseModule` and an `InstructionReader` over every body. Nothing may trap;
/// errors must point inside the input, and a module that parses must only hold ranges
/// inside its bytes.
@Suite struct RobustnessTests {
    /// A module using every section and a wide mix of instructions.
    static let richModule: [UInt8] = {
        let types = section(1, vec([[0x60, 0x00, 0x00], [0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7F], [0x60, 0x00, 0x02, 0x7F, 0x7F]]))
        let imports = section(
            2,
            vec([
                name("env") + name("f") + [0x00, 0x01], name("env") + name("t") + [0x01, 0x6F, 0x00, 0x01],
                name("env") + name("g") + [0x03, 0x7E, 0x00],
            ]))
        let functions = section(3, vec([[0x00], [0x01], [0x02]]))
        let tables = section(4, vec([[0x70, 0x01, 0x02, 0x10]]))
        let memories = section(5, vec([[0x01, 0x01, 0x02]]))
        let globals = section(6, vec([[0x7F, 0x01, 0x41, 0x07, 0x0B], [0x70, 0x00, 0xD2, 0x01, 0x0B]]))
        let exports = section(7, vec([name("main") + [0x00, 0x01], name("mem") + [0x02, 0x00]]))
        let start = section(8, [0x01])
        let elements = section(
            9,
            vec([
                [0x00, 0x41, 0x00, 0x0B] + vec([[0x01], [0x02]]), [0x05, 0x70] + vec([[0xD2, 0x01, 0x0B], [0xD0, 0x70, 0x0B]]),
                [0x03, 0x00] + vec([[0x03]]),
            ]))
        let dataCount = section(12, [0x02])
        let simple = body([0x0B])
        let arithmetic = body(
            locals: [(2, 0x7F), (1, 0x7B)],
            [
                0x20, 0x00, 0x20, 0x01, 0xA7, 0x6A, 0x21, 0x02,  // local.get, i32.wrap_i64, i32.add, local.set
                0x02, 0x7F, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, 0x0B,  // block, if/else
                0x03, 0x40, 0x20, 0x02, 0x0D, 0x00, 0x0B,  // loop with br_if
                0x02, 0x40, 0x20, 0x02, 0x0E, 0x02, 0x00, 0x01, 0x00, 0x0B,  // br_table
                0x41, 0x00, 0x28, 0x02, 0x04, 0x36, 0x02, 0x08,  // load and store
                0x41, 0x00, 0xFD, 0x00, 0x04, 0x00, 0x21, 0x03,  // v128.load
                0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0xFD, 0x1B, 0x02, 0x1A,  // v128.const, extract
                0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xFC, 0x08, 0x00, 0x00, 0xFC, 0x09, 0x00,  // memory.init, data.drop
                0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x1A,  // call_indirect
                0xD2, 0x01, 0xD1, 0x1A, 0x3F, 0x00, 0x40, 0x00, 0x1A,  // ref.func, ref.is_null, memory.size/grow
                0x43, 0x00, 0x00, 0xC0, 0x7F, 0x44, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F, 0x1A, 0x1A,  // NaN constants
                0x41, 0x01, 0x41, 0x02, 0x20, 0x00, 0x1C, 0x01, 0x7F, 0x1A,  // typed select
                0x41, 0x05, 0x0B,
            ])
        let pair = body([0x41, 0x01, 0x41, 0x02, 0x0B])
        let code = section(10, vec([simple, arithmetic, pair]))
        let data = section(11, vec([[0x00, 0x41, 0x08, 0x0B] + name("hello"), [0x01] + name("world")]))
        let names = section(
            0, name("name") + section(0, name("rich")) + section(1, vec([[0x01] + name("main")]))
                + section(2, vec([[0x01] + vec([[0x00] + name("a")])])))
        return module(types, imports, functions, tables, memories, globals, exports, start, elements, dataCount, code, data, names)
    }()

    /// The element segments module of binary.wast, and a function with many locals.
    static let smallModules: [[UInt8]] = [
        header + voidType + section(3, vec([[0x00]])) + section(4, vec([[0x70, 0x00, 0x00]]))
            + section(5, vec([[0x00, 0x00]])) + section(9, vec([[0x05, 0x70, 0x01, 0xD2, 0x00, 0x0B]]))
            + section(10, vec([body([0x0B])])),
        moduleWithFunction(locals: [(3, 0x7F), (2, 0x7C)], [0x20, 0x03, 0x1A, 0x41, 0x00, 0x41, 0x01, 0x6A, 0x1A, 0x0B], memory: true),
    ]

    /// Parses and, when that succeeds, decodes every body; checks the invariants.
    static func exercise(_ bytes: [UInt8]) -> MalformedError? {
        do {
            let module = try parseModule(bytes: bytes)
            let ranges = module.codes.map(\.range) + module.data.map(\.range) + module.customSections.map(\.range)
            #expect(ranges.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= bytes.count })
            for code in module.codes {
                var reader = InstructionReader(module: module, body: code)
                while !reader.isAtEnd {
                    _ = try reader.read()
                }
            }
            return nil
        } catch {
            #expect(error.offset >= 0 && error.offset <= bytes.count, "\(error)")
            #expect(!error.message.isEmpty)
            return error
        }
    }

    static var allModules: [[UInt8]] { [richModule] + smallModules }

    @Test func validModulesDecodeCompletely() throws {
        for bytes in Self.allModules {
            #expect(Self.exercise(bytes) == nil)
        }
        let module = try parseModule(bytes: Self.richModule)
        #expect(module.names?.moduleName == "rich")
        #expect(module.codes.count == 3 && module.elements.count == 3 && module.data.count == 2)
    }

    @Test func everyTruncation() {
        for bytes in Self.allModules {
            var failures = 0
            for length in 0..<bytes.count {
                if Self.exercise(Array(bytes[..<length])) != nil { failures += 1 }
            }
            // Cutting a module anywhere but between two sections breaks it.
            #expect(failures > bytes.count / 2)
        }
    }

    @Test func everySingleBitFlip() {
        for bytes in Self.allModules {
            for index in bytes.indices {
                for bit in 0..<8 {
                    var damaged = bytes
                    damaged[index] ^= 1 << UInt8(bit)
                    _ = Self.exercise(damaged)
                }
            }
        }
    }

    @Test func everyByteReplacedWithEdgeValues() {
        for bytes in Self.allModules {
            for index in bytes.indices {
                for value: UInt8 in [0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFC, 0xFD, 0xFF] where bytes[index] != value {
                    var damaged = bytes
                    damaged[index] = value
                    _ = Self.exercise(damaged)
                }
            }
        }
    }

    @Test func randomMutations() {
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<3000 {
            var damaged = Self.allModules[Int(random.next() % UInt64(Self.allModules.count))]
            let mutations = 1 + Int(random.next() % 4)
            for _ in 0..<mutations {
                let position = Int(random.next() % UInt64(damaged.count))
                switch random.next() % 4 {
                case 0: damaged[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: damaged.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                case 2: if damaged.count > 9 { damaged.remove(at: position) }
                default: damaged[position] ^= 0x80
                }
            }
            _ = Self.exercise(damaged)
        }
        // Random garbage after a valid header, and random instruction streams.
        for _ in 0..<2000 {
            let length = Int(random.next() % 64)
            let garbage = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = Self.exercise(header + garbage)
            var reader = InstructionReader(bytes: garbage, range: 0..<garbage.count)
            while !reader.isAtEnd {
                let before = reader.offset
                do {
                    _ = try reader.read()
                } catch {
                    #expect(error.offset >= 0 && error.offset <= garbage.count)
                    break
                }
                #expect(reader.offset > before)
            }
        }
    }
}

/// A small deterministic random generator, so that failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
