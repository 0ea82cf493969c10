#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Swim
import Testing
@testable import SwimWASI

/// The package's root directory (this file is Tests/SwimWASITests/TestSupport.swift).
let packageRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func readBytes(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw TestFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

func readText(_ path: String) throws -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
}

func writeText(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw TestFailure("cannot create \(path)") }
    defer { close(fd) }
    var rest = Array(text.utf8)[...]
    while !rest.isEmpty {
        let n = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw TestFailure("cannot write \(path)") }
        rest = rest.dropFirst(n)
    }
}

func exists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

/// A fresh directory under /tmp, removed with everything in it by `remove()`.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/swim-wasi-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> UnsafeMutablePointer<CChar>? in
            guard let base = buffer.baseAddress else { return nil }
            return mkdtemp(base)
        }
        guard let made else {
            throw TestFailure("mkdtemp failed")
        }
        path = String(cString: made)
    }

    func sub(_ name: String) -> String { path + "/" + name }

    func makeDirectory(_ name: String) throws -> String {
        let p = sub(name)
        guard mkdir(p, 0o755) == 0 else { throw TestFailure("mkdir \(p) failed") }
        return p
    }

    deinit { TemporaryDirectory.removeTree(path) }

    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            if let dir = opendir(path) {
                var names: [String] = []
                while let entry = readdir(dir) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(dir)
                for name in names { removeTree(path + "/" + name) }
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

/// How a process ended: its exit status (128 + the signal when killed) and its output.
struct ProcessOutcome {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the executable at `path` with `arguments` and `stdin` as input, and waits for it.
/// `killAfter` seconds: SIGKILL, for daemons.
func runProcess(_ path: String, _ arguments: [String], stdin: String = "", killAfter: Double? = nil) throws
    -> ProcessOutcome
{
    let io = try TemporaryDirectory()
    try writeText(io.sub("in"), stdin)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, io.sub("in"), O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, io.sub("out"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, io.sub("err"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let spawned = argv.withUnsafeBufferPointer { pointers -> Int32 in
        guard let base = pointers.baseAddress else { return EINVAL }
        return posix_spawn(&pid, path, &actions, nil, base, environ)
    }
    guard spawned == 0 else { throw TestFailure("posix_spawn \(path): \(spawned)") }
    if let seconds = killAfter {
        usleep(UInt32(seconds * 1_000_000))
        kill(pid, SIGKILL)
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return ProcessOutcome(status: exitStatus, stdout: try readText(io.sub("out")), stderr: try readText(io.sub("err")))
}

/// What a program did: its exit status (134 for a trap, as the CLI reports it) and output.
struct ProgramResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var trap: Trap?
}

/// Runs `testdata/wasi/NAME.wasm` (or another testdata path ending in .wasm) in-process with
/// WASI. Stdin comes from `stdin`; stdout and stderr are captured through files.
func runProgram(_ name: String, arguments: [String] = [], environment: [String] = [],
                preopens: [WASIConfiguration.Preopen] = [], stdin: String = "",
                listeningSockets: [Int32] = []) throws -> ProgramResult {
    let path = name.hasSuffix(".wasm") ? packageRoot + "/testdata/" + name : packageRoot + "/testdata/wasi/\(name).wasm"
    let bytes = try readBytes(path)
    let engine = Engine()
    let module = try Module(engine: engine, bytes: bytes)
    let store = Store(engine: engine)

    let io = try TemporaryDirectory()
    try writeText(io.sub("stdin"), stdin)
    let input = open(io.sub("stdin"), O_RDONLY | O_CLOEXEC)
    let output = open(io.sub("stdout"), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    let errors = open(io.sub("stderr"), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    defer { close(input); close(output); close(errors) }

    let baseName = path.split(separator: "/").last.map(String.init) ?? path
    var configuration = WASIConfiguration(arguments: [baseName] + arguments, environment: environment, preopens: preopens)
    configuration.stdin = input
    configuration.stdout = output
    configuration.stderr = errors
    configuration.listeningSockets = listeningSockets
    let wasi = try WASI(configuration)
    defer { wasi.close() }
    var linker = Linker()
    wasi.define(in: &linker, store: store)
    let instance = try linker.instantiate(module, in: store)
    var result = ProgramResult(status: 0, stdout: "", stderr: "")
    do {
        result.status = try wasi.start(instance)
    } catch let trap as Trap {
        result.status = 134
        result.trap = trap
    }
    result.stdout = try readText(io.sub("stdout"))
    result.stderr = try readText(io.sub("stderr"))
    return result
}
