@testable import oci_tar_builder

/// A minimal tar reader for checking what the writer produced: it validates each header's
/// checksum and resolves GNU long names, as Go's archive/tar (containerd) does.
struct TarReader {
    struct Entry: Equatable {
        var name: String
        var type: UInt8
        var mode: UInt32
        var contents: [UInt8]
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func entries(_ archive: [UInt8]) throws -> [Entry] {
        guard archive.count % 512 == 0 else { throw Malformed(description: "size \(archive.count) is not a multiple of 512") }
        var result: [Entry] = []
        var offset = 0
        var longName: String?
        while offset + 512 <= archive.count {
            let header = Array(archive[offset..<(offset + 512)])
            if header.allSatisfy({ $0 == 0 }) {
                let rest = archive[(offset + 512)...]
                guard rest.count >= 512, rest.prefix(512).allSatisfy({ $0 == 0 }) else {
                    throw Malformed(description: "one zero block at \(offset), expected two")
                }
                return result
            }
            let stored = try octal(header[148..<156])
            var copy = header
            for i in 148..<156 { copy[i] = UInt8(ascii: " ") }
            let sum = copy.reduce(0) { $0 + UInt64($1) }
            guard sum == stored else { throw Malformed(description: "bad checksum at \(offset): \(stored) != \(sum)") }
            guard header[257..<265].elementsEqual(Array("ustar  \0".utf8)) else {
                throw Malformed(description: "not a GNU header at \(offset)")
            }
            let size = Int(try octal(header[124..<136]))
            let dataStart = offset + 512
            guard dataStart + size <= archive.count else { throw Malformed(description: "truncated data at \(offset)") }
            let data = Array(archive[dataStart..<(dataStart + size)])
            offset = dataStart + (size + 511) / 512 * 512
            let type = header[156]
            if type == UInt8(ascii: "L") {
                longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                continue
            }
            let name = longName ?? String(decoding: header[0..<100].prefix { $0 != 0 }, as: UTF8.self)
            longName = nil
            result.append(Entry(name: name, type: type, mode: UInt32(try octal(header[100..<108])), contents: data))
        }
        throw Malformed(description: "no end-of-archive blocks")
    }

    static func octal(_ field: ArraySlice<UInt8>) throws -> UInt64 {
        var value: UInt64 = 0
        for byte in field {
            if byte == 0 || byte == UInt8(ascii: " ") { break }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else {
                throw Malformed(description: "bad octal digit \(byte)")
            }
            value = value * 8 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
