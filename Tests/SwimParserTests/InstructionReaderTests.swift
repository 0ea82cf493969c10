import Testing
import SwimParser
import SwimTypes

@Suite struct InstructionReaderTests {
    @Test func controlInstructions() throws {
        #expect(decodeOne([0x00]) == .unreachable)
        #expect(decodeOne([0x01]) == .nop)
        #expect(decodeOne([0x02, 0x40]) == .block(.empty))
        #expect(decodeOne([0x03, 0x7F]) == .loop(.value(.i32)))
        #expect(decodeOne([0x04, 0x7B]) == .if(.value(.v128)))
        #expect(decodeOne([0x02, 0x6F]) == .block(.value(.externref)))
        #expect(decodeOne([0x02, 0x05]) == .block(.type(5)))
        #expect(decodeOne([0x02, 0x80, 0x01]) == .block(.type(128)))
        // A negative s33 wraps to an index validation will reject.
        #expect(decodeOne([0x02, 0xFF, 0x7F]) == .block(.type(UInt32.max)))
        #expect(decodeOne([0x05]) == .else)
        #expect(decodeOne([0x0B]) == .end)
        #expect(decodeOne([0x0C, 0x03]) == .br(3))
        #expect(decodeOne([0x0D, 0x80, 0x01]) == .brIf(128))
        #expect(decodeOne([0x0E, 0x00, 0x02]) == .brTable(BranchTable(targets: [], defaultTarget: 2)))
        #expect(decodeOne([0x0E, 0x03, 0x00, 0x01, 0x02, 0x03]) == .brTable(BranchTable(targets: [0, 1, 2], defaultTarget: 3)))
        #expect(decodeOne([0x0F]) == .return)
        #expect(decodeOne([0x10, 0x07]) == .call(7))
        #expect(decodeOne([0x11, 0x02, 0x00]) == .callIndirect(typeIndex: 2, tableIndex: 0))
        #expect(decodeOne([0x11, 0x02, 0x03]) == .callIndirect(typeIndex: 2, tableIndex: 3))
    }

    @Test func blockTypeErrors() {
        #expect(decodeError([0x02, 0x7A]) == MalformedError("malformed value type", offset: 1))
        #expect(decodeError([0x02]) == MalformedError("unexpected end of section or function", offset: 1))
        #expect(decodeError([0x02, 0x80, 0x80, 0x80, 0x80, 0x10]) == MalformedError("integer too large", offset: 5))
        #expect(decodeError([0x02, 0x01], features: .mvp) == MalformedError("malformed block type", offset: 1))
    }

    @Test func tailCallsNeedTheFeature() {
        #expect(decodeOne([0x12, 0x04]) == .returnCall(4))
        #expect(decodeOne([0x13, 0x01, 0x02]) == .returnCallIndirect(typeIndex: 1, tableIndex: 2))
        #expect(decodeError([0x12, 0x04], features: .wasm2) == MalformedError("illegal opcode 12", offset: 0))
        #expect(decodeError([0x01, 0x13, 0x01, 0x02], features: .wasm2)
            == MalformedError("illegal opcode 13", offset: 1))
    }

    @Test func relaxedSIMDNeedsTheFeature() {
        let withoutRelaxed = WasmFeatures.default.subtracting(.relaxedSimd)
        let relaxed = NumericOp.allCases.filter(\.isRelaxedSIMD)
        #expect(relaxed.count == 20)
        #expect(relaxed.map(\.rawValue) == Array(UInt32(0xFD_0100)...0xFD_0113))
        for op in relaxed {
            #expect(decodeOne(opcodeBytes(op.rawValue)) == .numeric(op), "\(op.name)")
            let subopcode = String(op.rawValue & 0xFFFF, radix: 16)
            #expect(decodeError(opcodeBytes(op.rawValue), features: withoutRelaxed)
                == MalformedError("illegal opcode fd \(subopcode)", offset: 0), "\(op.name)")
        }
        // 0xFD 0x100, its sub-opcode written in two LEB128 bytes.
        #expect(decodeOne([0xFD, 0x80, 0x02]) == .numeric(.i8x16RelaxedSwizzle))
        #expect(!NumericOp.i8x16Swizzle.isRelaxedSIMD && !NumericOp.i32Add.isRelaxedSIMD)
    }

    @Test func parametricAndVariableInstructions() {
        #expect(decodeOne([0x1A]) == .drop)
        #expect(decodeOne([0x1B]) == .select)
        #expect(decodeOne([0x1C, 0x01, 0x7E]) == .typedSelect([.i64]))
        #expect(decodeOne([0x1C, 0x02, 0x7F, 0x70]) == .typedSelect([.i32, .funcref]))
        #expect(decodeOne([0x1C, 0x00]) == .typedSelect([]))
        #expect(decodeError([0x1C, 0x05, 0x7F]) == MalformedError("length out of bounds", offset: 1))
        #expect(decodeOne([0x20, 0x00]) == .localGet(0))
        #expect(decodeOne([0x21, 0x01]) == .localSet(1))
        #expect(decodeOne([0x22, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == .localTee(UInt32.max))
        #expect(decodeOne([0x23, 0x02]) == .globalGet(2))
        #expect(decodeOne([0x24, 0x03]) == .globalSet(3))
    }

    @Test func tableInstructions() {
        #expect(decodeOne([0x25, 0x01]) == .tableGet(1))
        #expect(decodeOne([0x26, 0x02]) == .tableSet(2))
        #expect(decodeOne([0xFC, 0x0C, 0x03, 0x01]) == .tableInit(elementIndex: 3, tableIndex: 1))
        #expect(decodeOne([0xFC, 0x0D, 0x04]) == .elemDrop(4))
        #expect(decodeOne([0xFC, 0x0E, 0x01, 0x02]) == .tableCopy(destination: 1, source: 2))
        #expect(decodeOne([0xFC, 0x0F, 0x05]) == .tableGrow(5))
        #expect(decodeOne([0xFC, 0x10, 0x06]) == .tableSize(6))
        #expect(decodeOne([0xFC, 0x11, 0x07]) == .tableFill(7))
    }

    @Test func memoryInstructions() {
        for op in MemoryOp.allCases {
            let instruction = Instruction.memory(op, MemArg(align: 2, offset: 300))
            #expect(decodeOne(opcodeBytes(op.rawValue) + [0x02, 0xAC, 0x02]) == instruction, "\(op.name)")
        }
        #expect(decodeOne([0x3F, 0x00]) == .memorySize(0))
        #expect(decodeOne([0x40, 0x00]) == .memoryGrow(0))
        #expect(decodeOne([0xFC, 0x08, 0x05, 0x00]) == .memoryInit(dataIndex: 5, memoryIndex: 0))
        #expect(decodeOne([0xFC, 0x09, 0x06]) == .dataDrop(6))
        #expect(decodeOne([0xFC, 0x0A, 0x00, 0x00]) == .memoryCopy(destination: 0, source: 0))
        #expect(decodeOne([0xFC, 0x0B, 0x00]) == .memoryFill(0))
        // The largest offset of a 32-bit memory.
        #expect(decodeOne([0x28, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == .memory(.i32Load, MemArg(align: 0, offset: 0xFFFF_FFFF)))
    }

    @Test func reservedZeroBytes() {
        // binary.wast: memory.size and memory.grow take one zero byte, not a LEB128 zero.
        for opcode: UInt8 in [0x3F, 0x40] {
            #expect(decodeError([opcode, 0x01], features: .wasm2) == MalformedError("zero byte expected", offset: 1))
            for padded: [UInt8] in [[0x80, 0x00], [0x80, 0x80, 0x00], [0x80, 0x80, 0x80, 0x00], [0x80, 0x80, 0x80, 0x80, 0x00]] {
                #expect(decodeError([opcode] + padded, features: .wasm2) == MalformedError("zero byte expected", offset: 1))
            }
        }
        #expect(decodeError([0xFC, 0x08, 0x00, 0x01], features: .wasm2) == MalformedError("zero byte expected", offset: 3))
        #expect(decodeError([0xFC, 0x0A, 0x00, 0x01], features: .wasm2) == MalformedError("zero byte expected", offset: 3))
        #expect(decodeError([0xFC, 0x0A, 0x01, 0x00], features: .wasm2) == MalformedError("zero byte expected", offset: 2))
        #expect(decodeError([0xFC, 0x0B, 0x02], features: .wasm2) == MalformedError("zero byte expected", offset: 2))
        // Before reference types, call_indirect's table index is a zero byte too.
        #expect(decodeError([0x11, 0x00, 0x01], features: .mvp) == MalformedError("zero byte expected", offset: 2))
    }

    @Test func memopFlags() {
        // align.wast: exponents up to 31 decode (validation rejects them), 32 and up are malformed.
        #expect(decodeOne([0x28, 0x1F, 0x00], features: .wasm2) == .memory(.i32Load, MemArg(align: 31, offset: 0)))
        for flags: [UInt8] in [[0x20], [0x21], [0x3F], [0x40], [0x41], [0x80, 0x01]] {
            #expect(decodeError([0x28] + flags + [0x00], features: .wasm2) == MalformedError("malformed memop flags", offset: 1))
        }
        // binary-leb128.wast: an alignment or offset with one byte too many.
        #expect(
            decodeError([0x28, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00], features: .wasm2)
                == MalformedError("integer representation too long", offset: 6))
        #expect(
            decodeError([0x36, 0x02, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], features: .wasm2)
                == MalformedError("integer representation too long", offset: 7))
    }

    @Test func multiMemory() {
        let features = WasmFeatures.default.union(.multiMemory)
        #expect(decodeOne([0x28, 0x42, 0x03, 0x10], features: features) == .memory(.i32Load, MemArg(align: 2, offset: 16, memory: 3)))
        #expect(decodeOne([0x28, 0x02, 0x10], features: features) == .memory(.i32Load, MemArg(align: 2, offset: 16)))
        #expect(decodeError([0x28, 0x80, 0x01, 0x00], features: features) == MalformedError("malformed memop flags", offset: 1))
        #expect(decodeOne([0x3F, 0x02], features: features) == .memorySize(2))
        #expect(decodeOne([0x40, 0x81, 0x01], features: features) == .memoryGrow(129))
        #expect(decodeOne([0xFC, 0x08, 0x01, 0x02], features: features) == .memoryInit(dataIndex: 1, memoryIndex: 2))
        #expect(decodeOne([0xFC, 0x0A, 0x01, 0x02], features: features) == .memoryCopy(destination: 1, source: 2))
        #expect(decodeOne([0xFC, 0x0B, 0x03], features: features) == .memoryFill(3))
    }

    @Test func memory64Offsets() {
        let features = WasmFeatures.default.union(.memory64)
        let offset = UInt64(1) << 40
        #expect(decodeOne([0x29, 0x03] + uleb(offset), features: features) == .memory(.i64Load, MemArg(align: 3, offset: offset)))
        #expect(decodeError([0x29, 0x03] + uleb(offset), features: .wasm2) == MalformedError("integer representation too long", offset: 7))
    }

    @Test func constants() {
        #expect(decodeOne([0x41, 0x7F]) == .i32Const(-1))
        #expect(decodeOne([0x41, 0x80, 0x80, 0x80, 0x80, 0x78]) == .i32Const(Int32.min))
        #expect(decodeOne([0x42] + sleb(Int64.max)) == .i64Const(Int64.max))
        #expect(decodeOne([0x42] + sleb(-5_000_000_000)) == .i64Const(-5_000_000_000))
        // A signalling NaN keeps its payload.
        #expect(decodeOne([0x43, 0x01, 0x00, 0x80, 0x7F]) == .f32Const(0x7F80_0001))
        #expect(decodeOne([0x44, 0x01, 0, 0, 0, 0, 0, 0xF0, 0x7F]) == .f64Const(0x7FF0_0000_0000_0001))
        #expect(decodeError([0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) == MalformedError("integer representation too long", offset: 6))
        #expect(decodeError([0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == MalformedError("integer too large", offset: 5))
        #expect(decodeError([0x43, 0x00, 0x00]) == MalformedError("unexpected end of section or function", offset: 3))
        #expect(decodeError([0x44, 0x00, 0x00, 0x00, 0x00]) == MalformedError("unexpected end of section or function", offset: 5))
    }

    @Test func referenceInstructions() {
        #expect(decodeOne([0xD0, 0x70]) == .refNull(.func))
        #expect(decodeOne([0xD0, 0x6F]) == .refNull(.extern))
        #expect(decodeError([0xD0, 0x7F]) == MalformedError("malformed reference type", offset: 1))
        #expect(decodeOne([0xD1]) == .refIsNull)
        #expect(decodeOne([0xD2, 0x09]) == .refFunc(9))
    }

    @Test func everyNumericOperator() {
        for op in NumericOp.allCases {
            #expect(decodeOne(opcodeBytes(op.rawValue)) == .numeric(op), "\(op.name)")
        }
        // A sub-opcode may be written with redundant LEB128 bytes.
        #expect(decodeOne([0xFC, 0x80, 0x00]) == .numeric(.i32TruncSatF32S))
        #expect(decodeOne([0xFD, 0x8E, 0x80, 0x00]) == .numeric(.i8x16Swizzle))
    }

    @Test func vectorInstructions() {
        let bytes = (0..<16).map { UInt8($0 * 3) }
        #expect(decodeOne([0xFD, 0x0C] + bytes) == .v128Const(V128(bytes: bytes)))
        #expect(decodeOne([0xFD, 0x0D] + bytes) == .shuffle(V128(bytes: bytes)))
        for op in LaneOp.allCases {
            #expect(decodeOne(opcodeBytes(op.rawValue) + [0x01]) == .lane(op, 1), "\(op.name)")
        }
        for op in MemoryLaneOp.allCases {
            let expected = Instruction.memoryLane(op, MemArg(align: 0, offset: 8), lane: 3)
            #expect(decodeOne(opcodeBytes(op.rawValue) + [0x00, 0x08, 0x03]) == expected, "\(op.name)")
        }
        #expect(decodeError([0xFD, 0x0C, 0x00, 0x01]) == MalformedError("unexpected end of section or function", offset: 4))
        #expect(decodeError([0xFD, 0x15]) == MalformedError("unexpected end of section or function", offset: 2))
    }

    @Test func everyUnassignedOpcodeIsIllegal() {
        let assigned: Set<UInt8> =
            Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x1A, 0x1B, 0x1C])
            .union(0x20...0x26).union(0x28...0xC4).union([0xD0, 0xD1, 0xD2, 0xD4, 0xD5, 0xD6, 0xFC, 0xFD])
        // Exception handling and its legacy instructions.
        let exceptions: Set<UInt8> = [0x06, 0x07, 0x08, 0x09, 0x0A, 0x18, 0x19, 0x1F]
        for byte in UInt8.min...UInt8.max where !assigned.contains(byte) {
            let hex = String(byte, radix: 16)
            let expected = MalformedError("illegal opcode \(hex.count < 2 ? "0" + hex : hex)", offset: 1)
            #expect(decodeError([0x01, byte, 0x00, 0x00, 0x00], features: .wasm2) == expected)
            if !exceptions.contains(byte) { #expect(decodeError([0x01, byte, 0x00, 0x00, 0x00]) == expected) }
        }
        // 0xFC sub-opcodes beyond table.fill, and gaps of the 0xFD space.
        #expect(decodeError([0xFC, 0x12]) == MalformedError("illegal opcode fc 12", offset: 0))
        #expect(decodeError([0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == MalformedError("illegal opcode fc ffffffff", offset: 0))
        let vectorOps = Set(
            NumericOp.allCases.map(\.rawValue) + MemoryOp.allCases.map(\.rawValue) + LaneOp.allCases.map(\.rawValue)
                + MemoryLaneOp.allCases.map(\.rawValue)
        ).filter { $0 >> 16 == 0xFD }.map { $0 & 0xFFFF }
        for subopcode in UInt32(0)..<0x200 where !vectorOps.contains(subopcode) && subopcode != 12 && subopcode != 13 {
            #expect(decodeError([0xFD] + uleb(UInt64(subopcode))) == MalformedError("illegal opcode fd \(String(subopcode, radix: 16))", offset: 0))
        }
        #expect(decodeError([0xFD, 0x80, 0x80, 0x04]) == MalformedError("illegal opcode fd 10000", offset: 0))
    }

    @Test func proposalsOutsideTheFeaturesAreIllegal() {
        let mvp = WasmFeatures.mvp
        #expect(decodeError([0xC0], features: mvp) == MalformedError("illegal opcode c0", offset: 0))
        #expect(decodeError([0xFC, 0x00], features: mvp) == MalformedError("illegal opcode fc 00", offset: 0))
        #expect(decodeError([0xFC, 0x08, 0x00, 0x00], features: mvp) == MalformedError("illegal opcode fc 08", offset: 0))
        #expect(decodeError([0xFC, 0x0F, 0x00], features: mvp) == MalformedError("illegal opcode fc 0f", offset: 0))
        #expect(decodeError([0xFD, 0x0F], features: mvp) == MalformedError("illegal opcode fd", offset: 0))
        #expect(decodeError([0x1C, 0x00], features: mvp) == MalformedError("illegal opcode 1c", offset: 0))
        #expect(decodeError([0x25, 0x00], features: mvp) == MalformedError("illegal opcode 25", offset: 0))
        #expect(decodeError([0xD0, 0x70], features: mvp) == MalformedError("illegal opcode d0", offset: 0))
        #expect(decodeOne([0x11, 0x01, 0x00], features: mvp) == .callIndirect(typeIndex: 1, tableIndex: 0))
        #expect(decodeOne([0x6A], features: mvp) == .numeric(.i32Add))
    }

    @Test func offsetsAdvanceInstructionByInstruction() throws {
        let bytes: [UInt8] = [0x41, 0x80, 0x01, 0x28, 0x02, 0x04, 0x1A, 0xFD, 0x0C] + [UInt8](repeating: 0, count: 16) + [0x0B]
        var reader = InstructionReader(bytes: [0xAA] + bytes + [0xBB], range: 1..<(bytes.count + 1))
        var offsets: [Int] = []
        var instructions: [Instruction] = []
        while !reader.isAtEnd {
            offsets.append(reader.offset)
            instructions.append(try reader.read())
        }
        #expect(offsets == [1, 4, 7, 8, 26])
        #expect(
            instructions == [
                .i32Const(128), .memory(.i32Load, MemArg(align: 2, offset: 4)), .drop, .v128Const(V128(low: 0, high: 0)), .end,
            ])
        #expect(reader.offset == bytes.count + 1)
        // Reading at the end of the range is an error, not a trap.
        #expect(throws: MalformedError("unexpected end of section or function", offset: bytes.count + 1)) {
            try reader.read()
        }
    }

    @Test func truncatedBranchTable() {
        // binary.wast: one target declared, two given; the rest decodes as other instructions.
        #expect(decodeError([0x0E, 0x01, 0x00]) == MalformedError("unexpected end of section or function", offset: 3))
        #expect(decodeError([0x0E, 0x09, 0x00]) == MalformedError("length out of bounds", offset: 1))
    }
}
