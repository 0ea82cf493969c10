import Testing
@testable import oci_tar_builder

@Suite struct TarWriterTests {
    @Test func entriesReadBackWithTheirContentsModesAndTypes() throws {
        let payload = (0..<1300).map { UInt8(truncatingIfNeeded: $0) }
        let archive = TarWriter.archive([
            .directory("bin"),
            .file("bin/tool", payload, mode: 0o755),
            .file("empty", []),
        ])
        #expect(archive.count % 512 == 0)
        let entries = try TarReader.entries(archive)
        #expect(entries == [
            .init(name: "bin/", type: UInt8(ascii: "5"), mode: 0o755, contents: []),
            .init(name: "bin/tool", type: UInt8(ascii: "0"), mode: 0o755, contents: payload),
            .init(name: "empty", type: UInt8(ascii: "0"), mode: 0o644, contents: []),
        ])
        // 3 headers, 3 data blocks for 1300 bytes, 2 end blocks.
        #expect(archive.count == (3 + 3 + 2) * 512)
    }

    @Test func headersAreReproducible() {
        let header = TarWriter.header(name: Array("a".utf8), mode: 0o644, size: 5, type: UInt8(ascii: "0"))
        #expect(header.count == 512)
        #expect(Array(header[136..<148]) == Array("00000000000\0".utf8), "mtime is the epoch")
        #expect(Array(header[108..<124]) == Array("0000000\u{0}0000000\u{0}".utf8), "uid and gid are 0")
        #expect(header[265..<329].allSatisfy { $0 == 0 }, "no user or group names")
        #expect(TarWriter.archive([.file("a", [1, 2, 3])]) == TarWriter.archive([.file("a", [1, 2, 3])]))
    }

    @Test func longNamesUseGNULongLinkEntries() throws {
        let name = String(repeating: "d/", count: 70) + "file.wasm"  // 149 bytes
        let entries = try TarReader.entries(TarWriter.archive([.file(name, [42])]))
        #expect(entries.map(\.name) == [name])
        #expect(entries.first?.contents == [42])
    }

    @Test func numericFieldsUseOctalThenBase256() {
        #expect(TarWriter.octal(0o755, width: 8) == Array("0000755\0".utf8))
        #expect(TarWriter.numeric(8, width: 12) == Array("00000000010\0".utf8))
        let largest = (UInt64(1) << 33) - 1
        #expect(TarWriter.numeric(largest, width: 12) == Array("77777777777\0".utf8))
        let huge = TarWriter.numeric(UInt64(1) << 33, width: 12)
        #expect(huge == [0x80, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0], "2^33 big-endian after the 0x80 marker")
    }
}
