#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The entry point. The command line is parsed by hand: no argument-parsing library (it would
/// bring FoundationEssentials, and its loading would dominate `swim run`'s start-up).
@main
enum Main {
    static let version = "0.1.0"

    static let usage = """
        USAGE: swim <subcommand>

        A WebAssembly runtime written in Swift.

        SUBCOMMANDS:
          run (default)   Run a module: swim [run] [OPTIONS] <module> [ARGS...] (see swim run --help)
          validate        Check that a module is well-formed and valid
          wat2wasm        Compile WebAssembly text to the binary format

        OPTIONS:
          --version       Show the version.
          -h, --help      Show this help.
        """

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let rest = Array(arguments.dropFirst())
        switch arguments.first {
        case "run": exit(RunCommand.main(rest))
        case "validate": exit(ValidateCommand.main(rest))
        case "wat2wasm": exit(Wat2WasmCommand.main(rest))
        case "--version":
            print(version)
        case nil, "help", "-h", "--help":
            print(usage)
        default:
            // As in wasmtime, `swim module.wasm ARGS...` runs the module.
            exit(RunCommand.main(arguments))
        }
    }
}
