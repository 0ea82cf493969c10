#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Swim
import SwimWAT
import Testing
@testable import SwimWASI

/// The C programs of testdata/wasi, run in-process. Each checks one area of WASI itself and
/// prints "ok" (or exits non-zero with the failed check on stderr).
@Suite struct ProgramTests {
    /// Programs that need only a scratch directory at /sandbox and print "ok".
    @Test(arguments: ["files", "seek", "directories", "links", "stat_times", "fdstat", "memfault"])
    func scratchDirectoryProgram(_ name: String) throws {
        let scratch = try TemporaryDirectory()
        let result = try runProgram(name, preopens: [.init(hostPath: scratch.path, guestPath: "/sandbox")])
        #expect(result.status == 0, "\(name): \(result.stderr)")
        #expect(result.stdout == "ok\n")
    }

    /// The same file-system programs with path resolution done by the component walk that
    /// replaces openat2 on kernels without it.
    @Test(arguments: ["files", "directories", "links", "stat_times", "sandbox"])
    func withoutOpenat2(_ name: String) throws {
        let scratch = try TemporaryDirectory()
        let root = try scratch.makeDirectory("root")
        try writeText(scratch.sub("outside.txt"), "secret\n")
        let result = try Linux.$openat2Disabled.withValue(true) {
            try runProgram(name, preopens: [.init(hostPath: root, guestPath: "/sandbox")])
        }
        #expect(result.status == 0, "\(name): \(result.stderr)")
        #expect(result.stdout == "ok\n")
        #expect(try readText(scratch.sub("outside.txt")) == "secret\n")
    }

    @Test func hello() throws {
        let result = try runProgram("hello")
        #expect(result.status == 0)
        #expect(result.stdout == "hello, world\n")
        #expect(result.stderr == "")
    }

    @Test func argumentsAndEnvironment() throws {
        let result = try runProgram("args_env", arguments: ["one", "two words", ""],
                                    environment: ["GREETING=hello world", "EMPTY="])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            argv[0]=args_env.wasm
            argv[1]=one
            argv[2]=two words
            argv[3]=
            env GREETING=hello world
            env EMPTY=
            ok

            """)
        // The program's own checks fail with other arguments.
        let wrong = try runProgram("args_env", arguments: ["one"], environment: [])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("FAIL"))
    }

    @Test func exitCodes() throws {
        #expect(try runProgram("exit_code", arguments: ["0"]).status == 0)
        let viaExit = try runProgram("exit_code", arguments: ["42"])
        #expect(viaExit.status == 42)
        #expect(viaExit.stderr == "atexit ran\n")
        #expect(try runProgram("exit_code", arguments: ["return", "7"]).status == 7)
        let raw = try runProgram("exit_code", arguments: ["raw", "125"])
        #expect(raw.status == 125)
        #expect(raw.stderr == "")  // proc_exit directly: no atexit handlers
        // 126 and up are refused, as in wasmtime.
        #expect(throws: WASIError.self) { try runProgram("exit_code", arguments: ["126"]) }
    }

    @Test func sandboxEscapesAreRefused() throws {
        let scratch = try TemporaryDirectory()
        let root = try scratch.makeDirectory("root")
        try writeText(scratch.sub("outside.txt"), "secret\n")
        let result = try runProgram("sandbox", preopens: [.init(hostPath: root, guestPath: "/sandbox")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok\n")
        #expect(try readText(scratch.sub("outside.txt")) == "secret\n")
        for planted in ["created.txt", "made", "planted.txt", "hard.txt", "planted-link", "stolen.txt"] {
            #expect(!exists(scratch.sub(planted)), "\(planted) was created outside the sandbox")
        }
        #expect(!exists(root + "/stolen.txt"))
    }

    @Test func clocksAndSleeping() throws {
        let result = try runProgram("clocks")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok\n")
    }

    @Test func randomness() throws {
        let result = try runProgram("random")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok\n")
    }

    @Test func pollOneoff() throws {
        let scratch = try TemporaryDirectory()
        let result = try runProgram("poll", preopens: [.init(hostPath: scratch.path, guestPath: "/sandbox")], stdin: "ping\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok\n")
    }

    /// More subscriptions than the cap: EINVAL at once, before the host allocates for them.
    @Test func pollOneoffRefusesTooManySubscriptions() throws {
        func errno(count: UInt32) throws -> UInt32 {
            let bytes = try wat2wasm("""
                (module
                  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 100)
                  (func (export "poll") (result i32)
                    (call $poll (i32.const 0) (i32.const 4000000) (i32.const \(count)) (i32.const 6000000))))
                """)
            let engine = Engine()
            let store = Store(engine: engine)
            let wasi = try WASI(WASIConfiguration())
            defer { wasi.close() }
            var linker = Linker()
            wasi.define(in: &linker, store: store)
            let instance = try linker.instantiate(try Module(engine: engine, bytes: bytes), in: store)
            let poll = try #require(instance.function("poll"))
            guard case .i32(let result) = try poll().first else { return UInt32.max }
            return result
        }
        // Zeroed subscriptions are clock subscriptions with a timeout of 0: they return at once.
        #expect(try errno(count: WASI.maximumSubscriptions) == 0)
        #expect(try errno(count: WASI.maximumSubscriptions + 1) == 28)  // EINVAL
    }

    @Test func standardInput() throws {
        var input = ""
        for i in 0..<5000 { input += "line \(i): the quick brown fox\n" }
        let result = try runProgram("stdin", stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == input.uppercased())
        #expect(result.stderr.hasPrefix("bytes=\(input.utf8.count) lines=5000 "))
        let empty = try runProgram("stdin", stdin: "")
        #expect(empty.stdout == "")
        #expect(empty.stderr.hasPrefix("bytes=0 lines=0 "))
    }

    @Test func trapEndsTheProgram() throws {
        let result = try runProgram("trap")
        #expect(result.status == 134)
        #expect(result.trap?.reason == .unreachable)
        #expect(result.stdout == "before the trap\n")
        let division = try runProgram("trap", arguments: ["divide"])
        #expect(division.trap?.reason == .integerDivideByZero)
    }

    @Test func socketsHandedOver() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 4) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        // Connect before the guest runs: the kernel completes the handshake from the backlog.
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) == 0 }
        }
        try #require(connected)
        #expect(write(client, "hello\n", 6) == 6)

        let result = try runProgram("sockets", listeningSockets: [listener])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "ok\n")
        var reply = [UInt8](repeating: 0, count: 64)
        var received = 0
        while received < reply.count {
            let n = reply.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return read(client, base + received, buffer.count - received)
            }
            if n <= 0 { break }
            received += n
        }
        #expect(String(decoding: reply[0..<received], as: UTF8.self) == "HELLO\n")
    }

    @Test func demoApp() throws {
        let echo = try runProgram("wasi-demo-app/wasi-demo-app.wasm", arguments: ["echo", "hello", "from", "wasm"])
        #expect(echo.status == 0)
        #expect(echo.stdout == "hello from wasm\n")
        #expect(echo.stderr == "exiting\n")
        #expect(try runProgram("wasi-demo-app/wasi-demo-app.wasm", arguments: ["exit", "3"]).status == 3)
        let scratch = try TemporaryDirectory()
        let written = try runProgram("wasi-demo-app/wasi-demo-app.wasm", arguments: ["write", "/out.txt", "some", "text"],
                                     preopens: [.init(hostPath: scratch.path, guestPath: "/")])
        #expect(written.status == 0)
        #expect(try readText(scratch.sub("out.txt")) == "some text")
        let unknown = try runProgram("wasi-demo-app/wasi-demo-app.wasm", arguments: ["dance"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "unknown command: dance\n")
        let badNumber = try runProgram("wasi-demo-app/wasi-demo-app.wasm", arguments: ["sleep", "soon"])
        #expect(badNumber.status == 134)
    }
}
