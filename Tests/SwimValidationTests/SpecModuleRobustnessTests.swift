import Testing
import SwimWAT
import SwimParser
import SwimTypes
import SwimValidation

#if canImport(Glibc)
import Glibc
#endif

/// Untrusted bytes never crash the decoder or the validator: every module of the official
/// 2.0 suite, truncated at every length and with bits flipped, must decode and validate or
/// fail with an error.
@Suite struct SpecModuleRobustnessTests {
    static let suite: String? = {
        var candidates: [String] = []
        if let root = getenv("WASM_TESTSUITE") { candidates.append(String(cString: root) + "/wasm-2.0") }
        let packageRoot = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        candidates += [packageRoot + "/../shared/wasm-testsuite/wasm-2.0", "/work/shared/wasm-testsuite/wasm-2.0"]
        return candidates.first { opendir($0).map { closedir($0); return true } ?? false }
    }()

    /// Every module binary the suite's scripts contain (text modules compiled).
    static func modules(in directory: String) -> [[UInt8]] {
        guard let dir = opendir(directory) else { return [] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".wast") { names.append(name) }
        }
        closedir(dir)
        var result: [[UInt8]] = []
        for name in names.sorted() {
            guard let file = fopen(directory + "/" + name, "rb") else { continue }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while case let n = fread(&buffer, 1, buffer.count, file), n > 0 { bytes += buffer[0..<n] }
            fclose(file)
            guard let commands = try? parseWast(String(decoding: bytes, as: UTF8.self)) else { continue }
            for command in commands {
                switch command.kind {
                case .module(let m), .assertInvalid(let m, _), .assertUnlinkable(let m, _), .assertModuleTrap(let m, _),
                     .assertMalformed(let m, _):
                    if let binary = try? m.encode() { result.append(binary) }
                default:
                    break
                }
            }
        }
        return result
    }

    /// Decodes, reads every body and validates; any thrown error is fine, a crash is not.
    static func survive(_ bytes: [UInt8]) {
        guard let module = try? parseModule(bytes: bytes) else { return }
        for body in module.codes {
            var reader = InstructionReader(module: module, body: body)
            while !reader.isAtEnd { guard (try? reader.read()) != nil else { break } }
        }
        _ = try? validate(module)
    }

    @Test(.enabled(if: suite != nil, "the wasm-2.0 test suite was not found (set WASM_TESTSUITE)"))
    func truncatedAndBitFlippedSpecModulesNeverCrash() throws {
        let modules = Self.modules(in: try #require(Self.suite))
        #expect(modules.count > 3000)
        var random = SplitMix64(seed: 0x5317_C0DE)
        var cases = 0
        for module in modules {
            // Every truncation (large modules: 64 evenly spread lengths).
            let step = max(1, module.count / 64)
            for length in stride(from: 0, to: module.count, by: step) {
                Self.survive(Array(module[0..<length]))
                cases += 1
            }
            // Single and double bit flips at random places.
            for flips in [1, 1, 1, 2, 2, 3] where !module.isEmpty {
                var mutated = module
                for _ in 0..<flips {
                    let i = Int(random.next() % UInt64(mutated.count))
                    mutated[i] ^= UInt8(1) << (random.next() % 8)
                }
                Self.survive(mutated)
                cases += 1
            }
        }
        #expect(cases > 100_000)
    }
}

/// A small deterministic generator, so a failure reproduces.
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
