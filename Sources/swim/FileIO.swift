#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SwimTypes
import SwimWAT

/// A failure the CLI reports on stderr before exiting with status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads a whole file (without Foundation: it would cost start-up time).
func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw CLIError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        offset += n
    }
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// The module's binary: the file itself, or its WAT text compiled with `features`.
func loadModuleBytes(_ path: String, features: WasmFeatures = .default) throws -> [UInt8] {
    do {
        return try wasmBinary(fromBinaryOrText: readFile(path), features: features)
    } catch ModuleFileError.neitherBinaryNorText {
        throw CLIError("\(path): neither a wasm binary (no \\0asm header) nor UTF-8 text")
    } catch ModuleFileError.invalidText(let error) {
        throw CLIError("\(path):\(error)")
    }
}
