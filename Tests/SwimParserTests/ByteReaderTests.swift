import Testing
import SwimParser
import SwimTypes

/// Runs `read` on a reader over `bytes`, returning its value or its error.
private func read<T>(_ bytes: [UInt8], _ read: (inout ByteReader) throws -> T) -> Result<T, MalformedError> {
    var reader = ByteReader(bytes: bytes)
    do {
        return .success(try read(&reader))
    } catch let error as MalformedError {
        return .failure(error)
    } catch {
        return .failure(MalformedError("not a MalformedError: \(error)", offset: -1))
    }
}

private func failure(_ message: String, _ offset: Int) -> MalformedError {
    MalformedError(message, offset: offset)
}

@Suite struct LEB128Tests {
    @Test func unsigned32() {
        #expect(read([0x00]) { try $0.readVarUInt32() } == .success(0))
        #expect(read([0x7F]) { try $0.readVarUInt32() } == .success(127))
        #expect(read([0x80, 0x01]) { try $0.readVarUInt32() } == .success(128))
        #expect(read([0xE5, 0x8E, 0x26]) { try $0.readVarUInt32() } == .success(624_485))
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { try $0.readVarUInt32() } == .success(UInt32.max))
        // Redundant zero padding is allowed up to five bytes.
        #expect(read([0x80, 0x80, 0x80, 0x80, 0x00]) { try $0.readVarUInt32() } == .success(0))
        #expect(read([0x82, 0x80, 0x80, 0x80, 0x80, 0x00]) { try $0.readVarUInt32() }
            == .failure(failure("integer representation too long", 5)))
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) { try $0.readVarUInt32() }
            == .failure(failure("integer too large", 4)))
        #expect(read([0x82, 0x80, 0x80, 0x80, 0x70]) { try $0.readVarUInt32() }
            == .failure(failure("integer too large", 4)))
        #expect(read([0x82, 0x80, 0x80, 0x80, 0x40]) { try $0.readVarUInt32() }
            == .failure(failure("integer too large", 4)))
        #expect(read([0x80]) { try $0.readVarUInt32() }
            == .failure(failure("unexpected end of section or function", 1)))
        #expect(read([]) { try $0.readVarUInt32() }
            == .failure(failure("unexpected end of section or function", 0)))
    }

    @Test func signed32() {
        #expect(read([0x00]) { try $0.readVarInt32() } == .success(0))
        #expect(read([0x7F]) { try $0.readVarInt32() } == .success(-1))
        #expect(read([0x40]) { try $0.readVarInt32() } == .success(-64))
        #expect(read([0x3F]) { try $0.readVarInt32() } == .success(63))
        #expect(read([0xC0, 0x00]) { try $0.readVarInt32() } == .success(64))
        #expect(read([0xBF, 0x7F]) { try $0.readVarInt32() } == .success(-65))
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0x07]) { try $0.readVarInt32() } == .success(Int32.max))
        #expect(read([0x80, 0x80, 0x80, 0x80, 0x78]) { try $0.readVarInt32() } == .success(Int32.min))
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) { try $0.readVarInt32() } == .success(-1))
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { try $0.readVarInt32() }
            == .failure(failure("integer too large", 4)))
        #expect(read([0x80, 0x80, 0x80, 0x80, 0x70]) { try $0.readVarInt32() }
            == .failure(failure("integer too large", 4)))
        #expect(read([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) { try $0.readVarInt32() }
            == .failure(failure("integer representation too long", 5)))
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) { try $0.readVarInt32() }
            == .failure(failure("integer representation too long", 5)))
    }

    @Test func unsigned64() {
        let top = [UInt8](repeating: 0x80, count: 9)
        #expect(read(top + [0x01]) { try $0.readVarUInt64() } == .success(1 << 63))
        #expect(read([UInt8](repeating: 0xFF, count: 9) + [0x01]) { try $0.readVarUInt64() } == .success(UInt64.max))
        #expect(read(top + [0x02]) { try $0.readVarUInt64() } == .failure(failure("integer too large", 9)))
        #expect(read(top + [0x80, 0x00]) { try $0.readVarUInt64() }
            == .failure(failure("integer representation too long", 10)))
    }

    @Test func signed64() {
        #expect(read([UInt8](repeating: 0xFF, count: 9) + [0x7F]) { try $0.readVarInt64() } == .success(-1))
        #expect(read([UInt8](repeating: 0x80, count: 9) + [0x7F]) { try $0.readVarInt64() } == .success(Int64.min))
        #expect(read([UInt8](repeating: 0xFF, count: 9) + [0x00]) { try $0.readVarInt64() } == .success(Int64.max))
        #expect(read(sleb(-123_456_789_012)) { try $0.readVarInt64() } == .success(-123_456_789_012))
        #expect(read([UInt8](repeating: 0x80, count: 9) + [0x01]) { try $0.readVarInt64() }
            == .failure(failure("integer too large", 9)))
        #expect(read([UInt8](repeating: 0xFF, count: 9) + [0x7E]) { try $0.readVarInt64() }
            == .failure(failure("integer too large", 9)))
        #expect(read([UInt8](repeating: 0x80, count: 10) + [0x00]) { try $0.readVarInt64() }
            == .failure(failure("integer representation too long", 10)))
    }

    @Test func signed33() {
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { try $0.readVarInt33() } == .success(Int64(UInt32.max)))
        #expect(read([0x80, 0x80, 0x80, 0x80, 0x70]) { try $0.readVarInt33() } == .success(-(1 << 32)))
        #expect(read([0x80, 0x80, 0x80, 0x80, 0x10]) { try $0.readVarInt33() }
            == .failure(failure("integer too large", 4)))
        #expect(read([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) { try $0.readVarInt33() }
            == .failure(failure("integer representation too long", 5)))
    }

    @Test func oneBitFlag() {
        #expect(read([0x00]) { try $0.readVarUInt(bits: 1) } == .success(0))
        #expect(read([0x01]) { try $0.readVarUInt(bits: 1) } == .success(1))
        #expect(read([0x02]) { try $0.readVarUInt(bits: 1) } == .failure(failure("integer too large", 0)))
        #expect(read([0x81, 0x00]) { try $0.readVarUInt(bits: 1) }
            == .failure(failure("integer representation too long", 1)))
    }

    @Test func roundTripsEncodedValues() {
        for value: UInt32 in [0, 1, 63, 64, 127, 128, 16_383, 16_384, 1 << 21, 1 << 28, UInt32.max - 1] {
            #expect(read(uleb(UInt64(value))) { try $0.readVarUInt32() } == .success(value))
        }
        for value: Int64 in [0, 1, -1, 63, -64, 64, -65, Int64(Int32.max), Int64(Int32.min), Int64.max, Int64.min] {
            #expect(read(sleb(value)) { try $0.readVarInt64() } == .success(value))
        }
    }
}

@Suite struct ByteReaderTests {
    @Test func fixedWidthReads() {
        #expect(read([0x78, 0x56, 0x34, 0x12]) { try $0.readUInt32LE() } == .success(0x1234_5678))
        #expect(read([1, 2, 3, 4, 5, 6, 7, 8]) { try $0.readUInt64LE() } == .success(0x0807_0605_0403_0201))
        #expect(read([1, 2, 3]) { try $0.readUInt32LE() }
            == .failure(failure("unexpected end of section or function", 3)))
        let bytes = (0..<16).map { UInt8($0) }
        #expect(read(bytes) { try $0.readV128() } == .success(V128(bytes: bytes)))
    }

    @Test func windowIsRespected() throws {
        var reader = ByteReader(bytes: [9, 8, 7, 6], range: 1..<3)
        #expect(reader.offset == 1)
        #expect(try reader.readByte() == 8)
        #expect(reader.peekByte() == 7)
        #expect(try reader.readByte() == 7)
        #expect(reader.isAtEnd)
        #expect(throws: MalformedError("unexpected end of section or function", offset: 3)) { try reader.readByte() }
        // A window outside the array is clamped rather than trusted.
        var clamped = ByteReader(bytes: [1, 2], range: 1..<100)
        #expect(clamped.end == 2)
        #expect(try clamped.readByte() == 2)
        #expect(clamped.isAtEnd)
    }

    @Test func lengthsAreBoundedByTheBytesLeft() {
        // The bound counts the LEB128 itself, as the reference interpreter does.
        #expect(read([0x02, 0xAA]) { try $0.readLength() } == .success(2))
        #expect(read([0x03, 0xAA]) { try $0.readLength() } == .failure(failure("length out of bounds", 0)))
        #expect(read([0x02, 0xAA]) { r in try r.readBytes(r.readLength()) }
            == .failure(failure("unexpected end of section or function", 2)))
    }

    @Test func namesMustBeUTF8() {
        #expect(read(name("hello")) { try $0.readName() } == .success("hello"))
        #expect(read(name("h\u{E9}llo \u{1F600} \u{20AC}")) { try $0.readName() } == .success("h\u{E9}llo \u{1F600} \u{20AC}"))
        #expect(read([0x00]) { try $0.readName() } == .success(""))
        let malformed: [[UInt8]] = [
            [0x80],  // stray continuation byte
            [0xC0, 0x80],  // overlong NUL
            [0xC1, 0xBF],  // overlong
            [0xE0, 0x80, 0x80],  // overlong three-byte
            [0xED, 0xA0, 0x80],  // surrogate U+D800
            [0xF0, 0x80, 0x80, 0x80],  // overlong four-byte
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],  // invalid lead byte
            [0xE2, 0x82],  // truncated
            [0x61, 0xC3],  // truncated at the end
            [0xE2, 0x28, 0xA1],  // bad continuation
            [0xFF],
        ]
        for bytes in malformed {
            #expect(read(uleb(bytes.count) + bytes) { try $0.readName() }
                == .failure(failure("malformed UTF-8 encoding", 0)), "\(bytes)")
        }
    }

    @Test func typeEncodings() {
        let all = WasmFeatures.wasm2
        let expected: [ValueType] = [.i32, .i64, .f32, .f64, .v128, .funcref, .externref]
        let decoded = read([0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F]) { (r: inout ByteReader) throws -> [ValueType] in
            var types: [ValueType] = []
            for _ in 0..<7 { types.append(try r.readValueType(features: all)) }
            return types
        }
        #expect(decoded == .success(expected))
        #expect(read([0x7A]) { try $0.readValueType(features: all) } == .failure(failure("malformed value type", 0)))
        #expect(read([0x7B]) { try $0.readValueType(features: .mvp) } == .failure(failure("malformed value type", 0)))
        #expect(read([0x6F]) { try $0.readRefType(features: .mvp) } == .failure(failure("malformed reference type", 0)))
        #expect(read([0x7F]) { try $0.readRefType(features: all) } == .failure(failure("malformed reference type", 0)))
        #expect(read([0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7D]) { try $0.readFunctionType(features: all) }
            == .success(FunctionType(parameters: [.i32, .i64], results: [.f32])))
        #expect(read([0x61, 0x00, 0x00]) { try $0.readFunctionType(features: all) }
            == .failure(failure("malformed function type", 0)))
        #expect(read([0x7F, 0x01]) { try $0.readGlobalType(features: all) }
            == .success(GlobalType(mutability: .variable, valueType: .i32)))
        #expect(read([0x7F, 0x02]) { try $0.readGlobalType(features: all) } == .failure(failure("malformed mutability", 1)))
    }

    @Test func limits() {
        let all = WasmFeatures.wasm2
        #expect(read([0x00, 0x05]) { try $0.readLimits(features: all) } == .success(Limits(min: 5)))
        #expect(read([0x01, 0x05, 0x80, 0x80, 0x04]) { try $0.readLimits(features: all) }
            == .success(Limits(min: 5, max: 65536)))
        #expect(read([0x02, 0x00]) { try $0.readLimits(features: all) } == .failure(failure("integer too large", 0)))
        #expect(read([0x81, 0x00, 0x00]) { try $0.readLimits(features: all) }
            == .failure(failure("integer representation too long", 1)))
        #expect(read([0x00, 0x80, 0x80, 0x80, 0x80, 0x10]) { try $0.readLimits(features: all) }
            == .failure(failure("integer too large", 5)))
        // memory64: flag 4 means 64-bit bounds; other flags are malformed.
        let memory64 = all.union(.memory64)
        #expect(read([0x05, 0x01] + uleb(UInt64(1) << 40)) { try $0.readLimits(features: memory64) }
            == .success(Limits(min: 1, max: 1 << 40, is64: true)))
        #expect(read([0x02, 0x00]) { try $0.readLimits(features: memory64) }
            == .failure(failure("malformed limits flags", 0)))
    }
}
