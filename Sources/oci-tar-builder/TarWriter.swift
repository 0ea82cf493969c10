/// One entry of a tar archive.
struct TarEntry: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case file([UInt8])
        case directory
    }

    /// The path inside the archive, relative, without a trailing slash (directories get theirs
    /// when written).
    var path: String
    var kind: Kind
    /// Permission bits (0o644, 0o755, ...).
    var mode: UInt32

    static func file(_ path: String, _ contents: [UInt8], mode: UInt32 = 0o644) -> TarEntry {
        TarEntry(path: path, kind: .file(contents), mode: mode)
    }

    static func directory(_ path: String, mode: UInt32 = 0o755) -> TarEntry {
        TarEntry(path: path, kind: .directory, mode: mode)
    }
}

/// Writes tar archives with GNU headers (as runwasi's oci-tar-builder does through the `tar`
/// crate), reproducibly: every entry has mtime 0, uid/gid 0 and no user or group names, so the
/// same entries always give the same bytes and so the same digest.
enum TarWriter {
    static let blockSize = 512

    /// The archive: each entry in the given order, then two zero blocks.
    static func archive(_ entries: [TarEntry]) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries { append(entry, to: &out) }
        out.append(contentsOf: [UInt8](repeating: 0, count: 2 * blockSize))
        return out
    }

    static func append(_ entry: TarEntry, to out: inout [UInt8]) {
        let name: String
        let typeFlag: UInt8
        var contents: [UInt8] = []
        switch entry.kind {
        case .file(let bytes):
            name = entry.path
            typeFlag = UInt8(ascii: "0")
            contents = bytes
        case .directory:
            name = entry.path.hasSuffix("/") ? entry.path : entry.path + "/"
            typeFlag = UInt8(ascii: "5")
        }
        let nameBytes = Array(name.utf8)
        // GNU long names: a "././@LongLink" entry of type L whose data is the full name,
        // NUL-terminated, followed by the real header holding the name cut to 100 bytes.
        if nameBytes.count > 100 {
            let data = nameBytes + [0]
            out.append(contentsOf: header(name: Array("././@LongLink".utf8), mode: 0o644, size: UInt64(data.count),
                                          type: UInt8(ascii: "L")))
            appendPadded(data, to: &out)
        }
        out.append(contentsOf: header(name: nameBytes, mode: entry.mode, size: UInt64(contents.count), type: typeFlag))
        appendPadded(contents, to: &out)
    }

    private static func appendPadded(_ data: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: data)
        let remainder = data.count % blockSize
        if remainder != 0 { out.append(contentsOf: [UInt8](repeating: 0, count: blockSize - remainder)) }
    }

    /// A 512-byte GNU header. A name longer than its field is cut (a long-name entry precedes
    /// such a header).
    static func header(name: [UInt8], mode: UInt32, size: UInt64, type: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        put(name.prefix(100), at: 0, in: &block)
        put(octal(UInt64(mode), width: 8), at: 100, in: &block)
        put(octal(0, width: 8), at: 108, in: &block)       // uid
        put(octal(0, width: 8), at: 116, in: &block)       // gid
        put(numeric(size, width: 12), at: 124, in: &block)
        put(octal(0, width: 12), at: 136, in: &block)      // mtime: the epoch, for reproducibility
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148, in: &block)  // checksum placeholder
        block[156] = type
        put(Array("ustar ".utf8), at: 257, in: &block)     // GNU magic
        put([UInt8(ascii: " "), 0], at: 263, in: &block)   // GNU version
        let checksum = block.reduce(UInt64(0)) { $0 + UInt64($1) }
        // Six octal digits, NUL, space: the traditional layout every reader accepts.
        put(octal(checksum, width: 7) + [UInt8(ascii: " ")], at: 148, in: &block)
        return block
    }

    /// `value` in octal, zero-padded to `width - 1` digits and NUL-terminated.
    static func octal(_ value: UInt64, width: Int) -> [UInt8] {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest & 7))
            rest >>= 3
        } while rest != 0
        while digits.count < width - 1 { digits.append(UInt8(ascii: "0")) }
        return Array(digits.reversed()) + [0]
    }

    /// Octal when it fits, else GNU base-256 (first byte 0x80, then big-endian), which is how
    /// GNU tar stores sizes of 8 GiB and more.
    static func numeric(_ value: UInt64, width: Int) -> [UInt8] {
        let octalCapacity = UInt64(1) << UInt64(3 * (width - 1))
        if value < octalCapacity { return octal(value, width: width) }
        var bytes = [UInt8](repeating: 0, count: width)
        var rest = value
        var index = width - 1
        while index > 0 {
            bytes[index] = UInt8(truncatingIfNeeded: rest)
            rest >>= 8
            index -= 1
        }
        bytes[0] = 0x80
        return bytes
    }

    private static func put<Bytes: Collection>(_ bytes: Bytes, at offset: Int, in block: inout [UInt8])
    where Bytes.Element == UInt8 {
        var index = offset
        for byte in bytes where index < block.count {
            block[index] = byte
            index += 1
        }
    }
}
