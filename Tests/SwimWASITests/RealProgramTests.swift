#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
@testable import SwimWASI

/// Larger programs doing real work through WASI: a compressor, a JSON pretty-printer and a
/// key-value store on files. Their outputs were checked against wasmtime 49 (identical).
@Suite struct RealProgramTests {
    @Test func lz77RoundTrip() throws {
        let scratch = try TemporaryDirectory()
        var text = ""
        for i in 0..<4000 { text += "record \(i % 97): \(String(repeating: "ab", count: i % 13)) end\n" }
        try writeText(scratch.sub("input.txt"), text)
        let result = try runProgram("lz77", arguments: ["roundtrip", "/data/input.txt"],
                                    preopens: [.init(hostPath: scratch.path, guestPath: "/data")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("round trip ok"))
        #expect(try readText(scratch.sub("input.txt.out")) == text)
        let packed = try readBytes(scratch.sub("input.txt.lz"))
        #expect(packed.count < text.utf8.count / 3)
        // A corrupt stream is refused with status 3.
        try writeText(scratch.sub("bad.lz"), "LZ77\u{10}\0\0\0\0\0\0\0\u{1}\0\0\0")
        let bad = try runProgram("lz77", arguments: ["d", "/data/bad.lz", "/data/bad.out"],
                                 preopens: [.init(hostPath: scratch.path, guestPath: "/data")])
        #expect(bad.status == 3)
    }

    @Test func jsonPrettyPrinter() throws {
        let input = #"{"name":"swim","list":[1,-2.5e3,true,null],"nested":{"s":"tab\t\u00e9\ud83d\ude00"},"empty":[]}"#
        let result = try runProgram("json", stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            {
              "name": "swim",
              "list": [
                1,
                -2.5e3,
                true,
                null
              ],
              "nested": {
                "s": "tab\\té😀"
              },
              "empty": []
            }

            """)
        #expect(result.stderr == "objects 2, arrays 2, strings 2, numbers 2, booleans 1, nulls 1, depth 2\n")
        let invalid = try runProgram("json", stdin: "[1, 2,\n  }")
        #expect(invalid.status == 2)
        #expect(invalid.stderr == "error: unexpected character at line 2, column 3\n")
    }

    @Test func keyValueStore() throws {
        let scratch = try TemporaryDirectory()
        let preopens: [WASIConfiguration.Preopen] = [.init(hostPath: scratch.path, guestPath: "/d")]
        func kv(_ arguments: String..., stdin: String = "") throws -> ProgramResult {
            try runProgram("kvstore", arguments: ["/d/db"] + arguments, preopens: preopens, stdin: stdin)
        }
        #expect(try kv("put", "alpha", "1").status == 0)
        #expect(try kv("put", "beta", "two words").status == 0)
        #expect(try kv("get", "beta").stdout == "two words\n")
        let missing = try kv("get", "gamma")
        #expect(missing.status == 1)
        #expect(missing.stdout == "gamma: not found\n")
        var batch = ""
        for i in 0..<300 { batch += "put k\(i % 40) v\(i)\n" }
        for i in 0..<10 { batch += "del k\(i)\n" }
        #expect(try kv("batch", stdin: batch).stdout == "batch done, 0 failures\n")
        let logSize = try readBytes(scratch.sub("db/log")).count
        #expect(try kv("stats").stdout == "keys 32, log records 312, log bytes \(logSize)\n")
        #expect(try kv("compact").stdout == "compacted 312 records into 32\n")
        #expect(!exists(scratch.sub("db/log.tmp")))
        let list = try kv("list").stdout
        #expect(list.hasPrefix("alpha=1\nbeta=two words\nk10=v290\n"))
        #expect(list.split(separator: "\n").count == 32)
        #expect(try kv("export", "/d/out").stdout == "exported 32 keys\n")
        #expect(try readText(scratch.sub("out/k39")) == "v279")
        let imported = try runProgram("kvstore", arguments: ["/d/db2", "import", "/d/out"], preopens: preopens)
        #expect(imported.stdout.hasSuffix("imported 32 keys\n"))
        #expect(try runProgram("kvstore", arguments: ["/d/db2", "list"], preopens: preopens).stdout == list)
    }
}
