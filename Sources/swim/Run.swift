#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Swim
import SwimNative
import SwimWASI

/// `swim run`: runs a WASI program (or invokes an export), with wasmtime's conventions. Parsed
/// by hand, not by ArgumentParser: this is the path that has to start in a millisecond.
enum RunCommand {
    static let usage = """
        USAGE: swim run [--dir HOST[::GUEST]]... [--env KEY[=VALUE]]... [--invoke NAME]
                        [--argv0 NAME] [--tcplisten ADDR:PORT]... [--native-lib PATH]...
                        [-W NAME[=y|n]]... [--] <module> [ARGS...]

        Runs a WebAssembly module (.wasm or .wat) with WASI: calls `_start`, or the export
        named by --invoke with ARGS as its arguments (its results are printed). The exit status
        is the program's `proc_exit` code (0 when `_start` returns), 134 after a trap or an
        uncaught exception, 1 when the module cannot be loaded or run.

        OPTIONS:
          --dir HOST[::GUEST]   Give the program the host directory HOST, as GUEST (default HOST).
          --env KEY[=VALUE]     Set an environment variable (KEY alone: copy the host's value).
          --invoke NAME         Call the export NAME instead of `_start`.
          --argv0 NAME          The program's argv[0] (default: the module's file name).
          --tcplisten ADDR:PORT Give the program a TCP socket listening on ADDR:PORT (IPv4).
          --native-lib PATH     Load host functions from the shared library PATH, written to
                                WAMR's native-library ABI (get_native_lib), as iwasm --native-lib.
          -W NAME[=y|n],...     Turn a WebAssembly proposal on or off, by wasmtime's names: simd,
                                relaxed-simd, extended-const, bulk-memory, multi-value,
                                reference-types, tail-call, function-references, exceptions,
                                legacy-exceptions, multi-memory, memory64, all-proposals
                                (also --wasm NAME[=y|n]).
          -h, --help            Show this help.
        """

    /// The options of `swim run`, each taking a value (inline as `--dir=x`, or as the next argument).
    enum Option: String {
        case dir = "--dir", env = "--env", invoke = "--invoke", argv0 = "--argv0", tcplisten = "--tcplisten"
        case nativeLibrary = "--native-lib"
        case wasm = "-W"

        /// The option `argument` names (`--dir` or `--dir=x`; `-W`, `-WNAME` or `--wasm`), if any.
        init?(argument: some StringProtocol) {
            let name = String(argument.prefix(while: { $0 != "=" }))
            if name.hasPrefix("-W") || name == "--wasm" {
                self = .wasm
                return
            }
            self.init(rawValue: name)
        }
    }

    struct Options {
        var preopens: [WASIConfiguration.Preopen] = []
        var environment: [String] = []
        var invoke: String?
        var argv0: String?
        var listen: [String] = []
        var nativeLibraries: [String] = []
        var wasm = WasmOptions()
        var module = ""
        var arguments: [String] = []
    }

    /// Parses the arguments after `run`. Options end at the module path (or `--`).
    static func parse(_ arguments: [String]) throws(CLIError) -> Options? {
        var options = Options()
        var rest = arguments[...]
        func value(_ option: Substring, inline: Substring?) throws(CLIError) -> String {
            if let inline { return String(inline) }
            guard let next = rest.popFirst() else { throw CLIError("option \(option) needs a value\n\n\(usage)") }
            return next
        }
        while let argument = rest.popFirst() {
            if argument == "--" {
                guard let module = rest.popFirst() else { break }
                options.module = module
                options.arguments = Array(rest)
                return options
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                options.module = argument
                options.arguments = Array(rest)
                return options
            }
            let parts = argument.split(separator: "=", maxSplits: 1)
            let name = parts[0], inline = parts.count > 1 ? parts[1] : nil
            if name == "-h" || name == "--help" { return nil }
            guard let option = Option(argument: name) else { throw CLIError("unknown option \(argument)\n\n\(usage)") }
            switch option {
            case .dir:
                let spec = try value(name, inline: inline)
                let pieces = spec.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
                guard let host = pieces.first, !host.isEmpty else { throw CLIError("--dir needs a host directory") }
                let guest = pieces.count > 1 ? String(pieces[1]) : String(host)
                options.preopens.append(.init(hostPath: String(host), guestPath: guest))
            case .env:
                let spec = try value(name, inline: inline)
                if spec.contains("=") {
                    options.environment.append(spec)
                } else if let hostValue = getenv(spec) {
                    options.environment.append(spec + "=" + String(cString: hostValue))
                }
            case .invoke:
                options.invoke = try value(name, inline: inline)
            case .argv0:
                options.argv0 = try value(name, inline: inline)
            case .tcplisten:
                options.listen.append(try value(name, inline: inline))
            case .nativeLibrary:
                options.nativeLibraries.append(try value(name, inline: inline))
            case .wasm:
                // -WNAME=y carries its value in the same argument; -W and --wasm take the next.
                let attached = argument.hasPrefix("-W") && argument.count > 2
                try options.wasm.add(attached ? String(argument.dropFirst(2)) : try value(name, inline: inline))
            }
        }
        throw CLIError("no module given\n\n\(usage)")
    }

    /// Runs `swim run ARGUMENTS` and returns the process's exit status.
    static func main(_ arguments: [String]) -> Int32 {
        let options: Options
        do {
            guard let parsed = try parse(arguments) else {
                print(usage)
                return 0
            }
            options = parsed
        } catch {
            printError("error: \(error)")
            return 1
        }
        // Writes to a closed pipe fail with EPIPE for the guest instead of killing us.
        signal(SIGPIPE, SIG_IGN)
        do {
            return try run(options)
        } catch let exit as WASIExit {
            return exit.code
        } catch let trap as Trap {
            printError("Error: failed to run main module `\(options.module)`\n\nCaused by:\n    \(trap)")
            return 128 + SIGABRT
        } catch let exception as Exception {
            // An exception no wasm handler caught ends the program as a trap does.
            printError("Error: failed to run main module `\(options.module)`\n\nCaused by:\n    \(exception)")
            return 128 + SIGABRT
        } catch where error is CLIError || error is NativeLibraryError {
            printError("Error: \(error)")
            return 1
        } catch {
            printError("Error: failed to run main module `\(options.module)`\n\nCaused by:\n    \(error)")
            return 1
        }
    }

    static func run(_ options: Options) throws -> Int32 {
        var engineConfiguration = Engine.Configuration()
        engineConfiguration.features = try options.wasm.features(
            from: engineConfiguration.features, supported: Engine.supportedFeatures)
        let bytes = try loadModuleBytes(options.module, features: engineConfiguration.features)
        let engine = Engine(configuration: engineConfiguration)
        let module = try Module(engine: engine, bytes: bytes)
        let store = Store(engine: engine)
        // Loaded (and their init_native_lib run) before the module is instantiated, unloaded
        // (deinit_native_lib) when the run ends.
        let libraries = try options.nativeLibraries.map { try NativeLibrary(path: $0) }
        defer { for library in libraries.reversed() { library.unload() } }

        var configuration = WASIConfiguration()
        // argv[0] is the module's base name, as in wasmtime (the path would leak host layout).
        let baseName = options.module.split(separator: "/").last.map(String.init) ?? options.module
        configuration.arguments = [options.argv0 ?? baseName] + options.arguments
        configuration.environment = options.environment
        configuration.preopens = options.preopens
        configuration.listeningSockets = try options.listen.map { try listeningSocket($0) }
        let wasi = try WASI(configuration)
        defer { wasi.close() }

        var linker = Linker()
        wasi.define(in: &linker, store: store, importsOf: module)
        for library in libraries {
            try linker.define(library, store: store, importsOf: module)
        }
        let instance = try linker.instantiate(module, in: store)

        guard let name = options.invoke else {
            // A module without `_start` (a reactor, or no WASI at all) is only instantiated.
            guard instance.function("_start") != nil else { return 0 }
            return try wasi.start(instance)
        }
        guard let function = instance.function(name) else {
            throw CLIError("failed to run main module `\(options.module)`\n\nCaused by:\n    no func export named `\(name)` found")
        }
        if let initialize = instance.function("_initialize") { try initialize.call([]) }
        let values = try parseArguments(options.arguments, for: function.type)
        for result in try function.call(values) {
            print(format(result))
        }
        return 0
    }

    /// A TCP socket listening on `ADDR:PORT` (IPv4; `*` or an empty address for any).
    static func listeningSocket(_ spec: String) throws -> Int32 {
        guard let colon = spec.lastIndex(of: ":"), let port = UInt16(spec[spec.index(after: colon)...]) else {
            throw CLIError("--tcplisten \(spec): expected ADDR:PORT")
        }
        let host = String(spec[..<colon])
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        if host.isEmpty || host == "*" || host == "0.0.0.0" {
            address.sin_addr.s_addr = 0
        } else if inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) != 1 {
            throw CLIError("--tcplisten \(spec): not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CLIError("--tcplisten \(spec): \(reason)")
        }
        return fd
    }
}

/// Parses command-line arguments as the function's parameter types (integers in decimal or 0x hex).
func parseArguments(_ arguments: [String], for type: FunctionType) throws -> [Value] {
    guard arguments.count == type.parameters.count else {
        throw CLIError("expected \(type.parameters.count) arguments for \(type), got \(arguments.count)")
    }
    return try zip(arguments, type.parameters).map { text, t in
        switch t {
        case .i32:
            guard let v = parseInteger(text), v >= Int64(Int32.min), v <= Int64(UInt32.max) else {
                throw CLIError("'\(text)' is not an i32")
            }
            return .i32(UInt32(truncatingIfNeeded: v))
        case .i64:
            if let v = parseInteger(text) { return .i64(UInt64(bitPattern: v)) }
            if let v = UInt64(text) { return .i64(v) }
            throw CLIError("'\(text)' is not an i64")
        case .f32:
            guard let v = Float(text) else { throw CLIError("'\(text)' is not an f32") }
            return Value(v)
        case .f64:
            guard let v = Double(text) else { throw CLIError("'\(text)' is not an f64") }
            return Value(v)
        default:
            throw CLIError("parameters of type \(t) cannot be passed from the command line")
        }
    }
}

private func parseInteger(_ text: String) -> Int64? {
    var s = Substring(text)
    let negative = s.hasPrefix("-")
    if negative || s.hasPrefix("+") { s = s.dropFirst() }
    let magnitude: UInt64?
    if s.hasPrefix("0x") || s.hasPrefix("0X") { magnitude = UInt64(s.dropFirst(2), radix: 16) } else { magnitude = UInt64(s) }
    guard let m = magnitude else { return nil }
    if negative {
        guard m <= UInt64(Int64.max) + 1 else { return nil }
        return m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m)
    }
    return m <= UInt64(Int64.max) ? Int64(m) : Int64(bitPattern: m)
}

/// Prints a result as wasmtime does: integers signed, floats as numbers.
func format(_ value: Value) -> String {
    switch value {
    case .i32(let v): return String(Int32(bitPattern: v))
    case .i64(let v): return String(Int64(bitPattern: v))
    case .f32(let bits): return String(Float(bitPattern: bits))
    case .f64(let bits): return String(Double(bitPattern: bits))
    default: return value.description
    }
}
