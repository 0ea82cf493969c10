import SwimTypes

/// A cursor over a window of a module binary, with the primitive reads of the binary format.
///
/// Every read checks the window first and throws a `MalformedError` at the absolute byte
/// offset where the input ran out or went wrong; nothing here can trap on untrusted bytes.
/// LEB128 reads live in `LEB128.swift`, type reads in `TypeDecoding.swift`.
public struct ByteReader: Sendable {
    /// The whole binary; offsets are absolute positions in it.
    public let bytes: [UInt8]
    /// Absolute offset of the next byte to read.
    public internal(set) var offset: Int
    /// Absolute offset just past the last readable byte.
    public let end: Int

    /// A reader over `range` of `bytes` (clamped to the array), or over all of it.
    public init(bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let window = range ?? 0..<bytes.count
        let lower = Swift.min(Swift.max(window.lowerBound, 0), bytes.count)
        let upper = Swift.min(Swift.max(window.upperBound, lower), bytes.count)
        self.offset = lower
        self.end = upper
    }

    public var isAtEnd: Bool { offset >= end }

    /// The number of bytes left in the window.
    public var remaining: Int { Swift.max(end - offset, 0) }

    /// The next byte, without consuming it; nil at the end.
    public func peekByte() -> UInt8? {
        guard offset >= 0, offset < end else { return nil }
        return bytes[offset]
    }

    public mutating func readByte() throws(MalformedError) -> UInt8 {
        guard offset >= 0, offset < end else { throw unexpectedEnd() }
        let byte = bytes[offset]
        offset += 1
        return byte
    }

    /// Consumes `count` bytes and returns their absolute range (no copy is made).
    public mutating func readBytes(_ count: Int) throws(MalformedError) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw unexpectedEnd() }
        let start = offset
        offset += count
        return start..<offset
    }

    /// Reads a little-endian 32-bit word (the bits of an `f32.const`).
    public mutating func readUInt32LE() throws(MalformedError) -> UInt32 {
        let start = try readBytes(4).lowerBound
        return UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16
            | UInt32(bytes[start + 3]) << 24
    }

    /// Reads a little-endian 64-bit word (the bits of an `f64.const`).
    public mutating func readUInt64LE() throws(MalformedError) -> UInt64 {
        let start = try readBytes(8).lowerBound
        var value: UInt64 = 0
        for i in 0..<8 {
            value |= UInt64(bytes[start + i]) << UInt64(8 * i)
        }
        return value
    }

    /// Reads 16 bytes as a vector (`v128.const`, `i8x16.shuffle`).
    public mutating func readV128() throws(MalformedError) -> V128 {
        let range = try readBytes(16)
        return V128(bytes: bytes[range])
    }

    /// A `u32` length or vector count that must not exceed the bytes left.
    ///
    /// As in the reference interpreter, the bound counts from the start of the LEB128
    /// itself, so a count of 1 in a one-byte remainder passes here and fails later
    /// with "unexpected end of section or function".
    public mutating func readLength() throws(MalformedError) -> Int {
        let start = offset
        let value = Int(try readVarUInt32())
        guard value <= end - start else {
            throw MalformedError("length out of bounds", offset: start)
        }
        return value
    }

    /// A name: a length-prefixed, well-formed UTF-8 string.
    public mutating func readName() throws(MalformedError) -> String {
        let start = offset
        let length = try readLength()
        let range = try readBytes(length)
        guard let name = decodeUTF8(bytes, range) else {
            throw MalformedError("malformed UTF-8 encoding", offset: start)
        }
        return name
    }

    /// Reads a byte that must be zero (the reserved memory index of Wasm 2.0).
    public mutating func readZeroByte() throws(MalformedError) {
        let start = offset
        guard try readByte() == 0 else {
            throw MalformedError("zero byte expected", offset: start)
        }
    }

    /// The error for a read past the window, at the end of the window.
    func unexpectedEnd() -> MalformedError {
        MalformedError("unexpected end of section or function", offset: Swift.max(end, 0))
    }
}

/// A vector's initial capacity: its declared count, capped so that a hostile count
/// (bounded only by the module size) cannot reserve much more memory than the module.
func reservedCapacity(_ count: Int) -> Int {
    Swift.min(count, 4096)
}
