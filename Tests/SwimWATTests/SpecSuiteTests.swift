import Testing
import SwimWAT
import SwimParser
import SwimTypes

#if canImport(Glibc)
import Glibc
#endif

/// Every script of the official Wasm 2.0 test suite: it parses, each text module compiles
/// and decodes, and each `module quote` under `assert_malformed` is rejected.
@Suite struct SpecSuiteTests {
    /// The suite's `wasm-2.0` folder: `$WASM_TESTSUITE/wasm-2.0`, or `shared/` beside the checkout.
    static let suiteDirectory: String? = {
        var candidates: [String] = []
        if let root = getenv("WASM_TESTSUITE") { candidates.append(String(cString: root) + "/wasm-2.0") }
        // Tests/SwimWATTests/SpecSuiteTests.swift → the package root → ../shared.
        let packageRoot = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        candidates.append(packageRoot + "/../shared/wasm-testsuite/wasm-2.0")
        return candidates.first { directoryEntries($0) != nil }
    }()

    static func directoryEntries(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".wast") { names.append(name) }
        }
        return names.sorted()
    }

    static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(.enabled(if: suiteDirectory != nil, "the wasm-2.0 test suite was not found (set WASM_TESTSUITE)"))
    func everyScriptParsesAndEveryModuleCompiles() throws {
        let directory = try #require(Self.suiteDirectory)
        let files = try #require(Self.directoryEntries(directory))
        #expect(files.count == 148)
        var commandCount = 0
        var compiled = 0
        var rejected = 0
        for file in files {
            guard let text = Self.readFile(directory + "/" + file) else {
                Issue.record("cannot read \(file)")
                continue
            }
            let commands: [WastCommand]
            do {
                // The 2.0 suite: some of its malformed modules are well-formed in 3.0.
                commands = try parseWast(text, features: .wasm2)
            } catch {
                Issue.record("\(file): \(error)")
                continue
            }
            commandCount += commands.count
            for command in commands {
                switch command.kind {
                case .module(let m), .assertModuleTrap(let m, _), .assertUnlinkable(let m, _), .assertInvalid(let m, _):
                    // Well-formed modules, valid or not: they compile and the decoder accepts them.
                    if case .binary = m.source { continue }
                    do {
                        let bytes = try m.encode()
                        _ = try parseModule(bytes: bytes, features: .wasm2)
                        compiled += 1
                    } catch {
                        Issue.record("\(file):\(command.line): \(error)")
                    }
                case .assertMalformed(let m, _):
                    guard case .quote = m.source else { continue }
                    do {
                        _ = try m.encode()
                        Issue.record("\(file):\(command.line): malformed module was accepted")
                    } catch {
                        rejected += 1
                    }
                default:
                    continue
                }
            }
        }
        // The suite's README counts 54,006 commands; of its modules, 3,793 are text that
        // should compile and 1,091 are quoted text that must not.
        #expect(commandCount == 54_006)
        #expect(compiled == 3_793)
        #expect(rejected == 1_091)
    }
}
