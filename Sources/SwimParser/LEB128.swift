import SwimTypes

// LEB128 integers, with the reference interpreter's rules for an N-bit integer:
// at most ceil(N/7) bytes ("integer representation too long" if the last allowed byte
// still has its continuation bit), and in the last allowed byte the bits beyond N must
// be zero (unsigned) or copies of the sign bit (signed) ("integer too large").

extension ByteReader {
    public mutating func readVarUInt32() throws(MalformedError) -> UInt32 {
        if offset >= 0, offset < end {
            let first = bytes[offset]
            if first < 0x80 {
                offset += 1
                return UInt32(first)
            }
        }
        return UInt32(truncatingIfNeeded: try readVarUInt(bits: 32))
    }

    public mutating func readVarUInt64() throws(MalformedError) -> UInt64 {
        try readVarUInt(bits: 64)
    }

    public mutating func readVarInt32() throws(MalformedError) -> Int32 {
        if offset >= 0, offset < end {
            let first = bytes[offset]
            if first < 0x80 {
                offset += 1
                // One byte: bit 6 is the sign.
                return Int32(Int8(bitPattern: first << 1) >> 1)
            }
        }
        return Int32(truncatingIfNeeded: try readVarInt(bits: 32))
    }

    public mutating func readVarInt64() throws(MalformedError) -> Int64 {
        try readVarInt(bits: 64)
    }

    /// The signed 33-bit integer of a block type index.
    public mutating func readVarInt33() throws(MalformedError) -> Int64 {
        try readVarInt(bits: 33)
    }

    /// An unsigned LEB128 integer of `bits` bits (1 ... 64).
    public mutating func readVarUInt(bits: Int) throws(MalformedError) -> UInt64 {
        let bits = Swift.min(Swift.max(bits, 1), 64)
        var result: UInt64 = 0
        var shift = 0
        while true {
            let byteOffset = offset
            let byte = try readByte()
            let bitsLeft = bits - shift
            if bitsLeft < 7 {
                // The unused high bits of the last byte must be zero.
                if UInt64(byte & 0x7F) >= (UInt64(1) << UInt64(bitsLeft)) {
                    throw MalformedError("integer too large", offset: byteOffset)
                }
            }
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift >= bits {
                throw MalformedError("integer representation too long", offset: offset)
            }
        }
    }

    /// A signed LEB128 integer of `bits` bits (1 ... 64), sign-extended to 64 bits.
    public mutating func readVarInt(bits: Int) throws(MalformedError) -> Int64 {
        let bits = Swift.min(Swift.max(bits, 1), 64)
        var result: UInt64 = 0
        var shift = 0
        while true {
            let byteOffset = offset
            let byte = try readByte()
            let bitsLeft = bits - shift
            if bitsLeft < 7 {
                // The unused high bits of the last byte must all equal the sign bit.
                let mask = UInt8(truncatingIfNeeded: (-1 << (bitsLeft - 1)) & 0x7F)
                let unused = byte & mask
                if unused != 0 && unused != mask {
                    throw MalformedError("integer too large", offset: byteOffset)
                }
            }
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            shift += 7
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 {
                    result |= ~UInt64(0) << UInt64(shift)
                }
                return Int64(bitPattern: result)
            }
            if shift >= bits {
                throw MalformedError("integer representation too long", offset: offset)
            }
        }
    }
}
