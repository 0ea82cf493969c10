#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing

/// `swim run` end to end: the real binary (.build/debug/swim, built with the tests), its
/// options, exit statuses and streams, as wasmtime's CLI behaves.
@Suite struct CommandLineTests {
    static let binary = packageRoot + "/.build/debug/swim"

    /// Runs `swim ARGUMENTS` with `stdin` as input. `killAfter` seconds: SIGKILL, for daemons.
    static func swim(_ arguments: [String], stdin: String = "", killAfter: Double? = nil) throws -> ProcessOutcome {
        guard access(binary, X_OK) == 0 else { throw TestFailure("\(binary) is missing: build the swim product") }
        return try runProcess(binary, arguments, stdin: stdin, killAfter: killAfter)
    }

    static func testdata(_ path: String) -> String { packageRoot + "/testdata/" + path }

    @Test func helloWorld() throws {
        let result = try Self.swim(["run", Self.testdata("wasi/hello.wasm")])
        #expect(result.status == 0)
        #expect(result.stdout == "hello, world\n")
        #expect(result.stderr == "")
        // `run` is the default subcommand.
        #expect(try Self.swim([Self.testdata("wasi/hello.wasm")]).stdout == "hello, world\n")
    }

    @Test func exitStatuses() throws {
        let program = Self.testdata("wasi/exit_code.wasm")
        #expect(try Self.swim([program, "0"]).status == 0)
        #expect(try Self.swim(["run", program, "17"]).status == 17)
        #expect(try Self.swim([program, "return", "99"]).status == 99)
        let refused = try Self.swim([program, "200"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("exit with invalid exit status outside of [0..126)"))
    }

    @Test func trapsExitWith134() throws {
        let result = try Self.swim([Self.testdata("wasi/trap.wasm")])
        #expect(result.status == 134)
        #expect(result.stdout == "before the trap\n")
        #expect(result.stderr.hasPrefix("Error: failed to run main module"))
        #expect(result.stderr.contains("wasm trap: unreachable"))
    }

    @Test func uncaughtExceptionsExitLikeTraps() throws {
        let scratch = try TemporaryDirectory()
        try writeText(scratch.sub("throw.wat"), """
            (module (tag $e (export "failure") (param i32))
              (func (export "_start") (throw $e (i32.const 7))))
            """)
        let result = try Self.swim([scratch.sub("throw.wat")])
        #expect(result.status == 134)
        #expect(result.stderr.hasPrefix("Error: failed to run main module"))
        #expect(result.stderr.contains("uncaught wasm exception: tag \"failure\" with 7"))
        // With the proposal off (and the legacy instructions, which have tags and throw too),
        // the module does not load.
        let off = try Self.swim(["run", "-W", "exceptions=n,legacy-exceptions=n", scratch.sub("throw.wat")])
        #expect(off.status == 1)
        #expect(off.stderr.contains("not enabled"), "\(off.stderr)")
    }

    @Test func argumentsEnvironmentAndArgv0() throws {
        let result = try Self.swim(["run", "--env", "GREETING=hello world", "--env=EMPTY=", "--",
                                    Self.testdata("wasi/args_env.wasm"), "one", "two words", ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("argv[0]=args_env.wasm\n"))
        #expect(result.stdout.hasSuffix("ok\n"))
        let renamed = try Self.swim(["run", "--argv0", "prog", "--env", "GREETING=hello world", "--env", "EMPTY=",
                                     Self.testdata("wasi/args_env.wasm"), "one", "two words", ""])
        #expect(renamed.status == 1)
        #expect(renamed.stderr.contains("argv[0]"))
    }

    @Test func preopenedDirectoryAndStdin() throws {
        let scratch = try TemporaryDirectory()
        let files = try Self.swim(["run", "--dir", scratch.path + "::/sandbox", Self.testdata("wasi/files.wasm")])
        #expect(files.status == 0, "\(files.stderr)")
        #expect(files.stdout == "ok\n")
        #expect(exists(scratch.sub("a.txt")))
        let echoed = try Self.swim([Self.testdata("wasi/stdin.wasm")], stdin: "piped\n")
        #expect(echoed.stdout == "PIPED\n")
        // Without --dir the program has no file system at all.
        let none = try Self.swim([Self.testdata("wasi/files.wasm")])
        #expect(none.status == 1)
    }

    @Test func demoApp() throws {
        let app = Self.testdata("wasi-demo-app/wasi-demo-app.wasm")
        let echo = try Self.swim([app, "echo", "hello", "world"])
        #expect(echo.stdout == "hello world\n")
        #expect(echo.stderr == "exiting\n")
        #expect(try Self.swim([app, "exit", "5"]).status == 5)
        let slept = try Self.swim([app, "sleep", "0.1"])
        #expect(slept.status == 0 && slept.stderr == "exiting\n")
        let daemon = try Self.swim([app], killAfter: 1.5)
        #expect(daemon.status == 128 + SIGKILL)
        #expect(daemon.stdout.hasPrefix("This is a song that never ends.\nYes, it goes on and on my friends.\n"))
    }

    @Test func invokeAnExport() throws {
        let scratch = try TemporaryDirectory()
        try writeText(scratch.sub("add.wat"), """
            (module
              (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
              (memory 1)
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
              (func (export "random_ok") (result i32) i32.const 0 i32.const 16 call $random))
            """)
        let added = try Self.swim(["run", "--invoke", "add", scratch.sub("add.wat"), "40", "2"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "42\n")
        #expect(try Self.swim(["--invoke", "random_ok", scratch.sub("add.wat")]).stdout == "0\n")
        let missing = try Self.swim(["--invoke", "nope", scratch.sub("add.wat")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no func export named `nope`"))
        // A module without `_start` and no --invoke is only instantiated.
        #expect(try Self.swim([scratch.sub("add.wat")]).status == 0)
    }

    /// `-W NAME[=y|n]` turns proposals on and off by wasmtime's names.
    @Test func wasmProposalSwitches() throws {
        let scratch = try TemporaryDirectory()
        try writeText(scratch.sub("madd.wat"), """
            (module (func (export "madd") (param f32 f32 f32) (result f32)
              (f32x4.extract_lane 0 (f32x4.relaxed_madd
                (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2))))))
            """)
        let module = scratch.sub("madd.wat")
        func madd(_ switches: [String]) throws -> ProcessOutcome {
            try Self.swim(["run"] + switches + ["--invoke", "madd", module, "2", "3", "1"])
        }
        // Relaxed SIMD is on by default; every spelling of turning it on or off works.
        for on in [[], ["-W", "relaxed-simd"], ["-W", "relaxed-simd=y"], ["-Wrelaxed-simd=yes"],
                   ["--wasm", "relaxed-simd=true"], ["--wasm=simd=y,relaxed-simd=y"],
                   ["-W", "relaxed-simd=n,relaxed-simd=y"], ["-W", "all-proposals=y"],
                   ["-W", "relaxed-simd-deterministic=n"], ["-W", "gc=n,exceptions=n"]] {
            let result = try madd(on)
            #expect(result.status == 0 && result.stdout == "7.0\n", "\(on): \(result.stderr)")
        }
        for off in [["-W", "relaxed-simd=n"], ["-Wrelaxed-simd=no"], ["-W", "simd=n"], ["-W", "all-proposals=n"]] {
            let result = try madd(off)
            #expect(result.status == 1, "\(off)")
            #expect(result.stderr.contains("relaxed SIMD is not enabled"), "\(off): \(result.stderr)")
        }
        // Also in a binary module, which the decoder refuses.
        let binary = scratch.sub("madd.wasm")
        #expect(try Self.swim(["wat2wasm", module, "-o", binary]).status == 0)
        let refused = try Self.swim(["run", "-W", "relaxed-simd=n", "--invoke", "madd", binary, "2", "3", "1"])
        #expect(refused.status == 1 && refused.stderr.contains("illegal opcode fd 105"), "\(refused.stderr)")

        // Clear errors: unknown names, bad values, contradictions, proposals Swim lacks.
        let unknown = try madd(["-W", "relaxed-simd=y,nonsense=y"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown -W option `nonsense`") && unknown.stderr.contains("tail-call"))
        let value = try madd(["-W", "simd=maybe"])
        #expect(value.status == 1 && value.stderr.contains("-W simd=maybe: expected y or n"))
        let contradiction = try madd(["-W", "simd=n,relaxed-simd=y"])
        #expect(contradiction.status == 1 && contradiction.stderr.contains("-W relaxed-simd needs -W simd"))
        let gc = try madd(["-W", "gc=y"])
        #expect(gc.status == 1 && gc.stderr.contains("swim does not implement the gc proposal yet"))
        let missingValue = try Self.swim(["run", "-W"])
        #expect(missingValue.status == 1 && missingValue.stderr.contains("option -W needs a value"))
    }

    @Test func usageErrors() throws {
        let missing = try Self.swim(["run", "/nonexistent/module.wasm"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot open /nonexistent/module.wasm"))
        let option = try Self.swim(["run", "--bogus", "x.wasm"])
        #expect(option.status == 1)
        #expect(option.stderr.contains("unknown option --bogus"))
        let badDir = try Self.swim(["run", "--dir", "/nonexistent-dir", Self.testdata("wasi/hello.wasm")])
        #expect(badDir.status == 1)
        #expect(badDir.stderr.contains("cannot open directory /nonexistent-dir"))
        let help = try Self.swim(["run", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: swim run"))
    }
}
