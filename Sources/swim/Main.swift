#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser

/// The tools: `swim validate`, `swim wat2wasm`, help and version, parsed by ArgumentParser.
struct SwimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swim",
        abstract: "A WebAssembly runtime written in Swift.",
        discussion: """
            swim [run] [OPTIONS] <module> [ARGS...] runs a module with WASI (see swim run --help).
            """,
        version: "0.1.0",
        subcommands: [Validate.self, Wat2Wasm.self])
}

/// The entry point. `swim run` (and `swim module.wasm`, as in wasmtime) is parsed by hand:
/// it is the path that must start in about a millisecond, and its arguments after the
/// module belong to the guest. Everything else goes to ArgumentParser.
@main
enum Main {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "run":
            exit(RunCommand.main(Array(arguments.dropFirst())))
        case let first? where !first.hasPrefix("-") && !["validate", "wat2wasm", "help"].contains(first):
            exit(RunCommand.main(arguments))
        case let first? where first == "--" || RunCommand.Option(argument: first) != nil:
            exit(RunCommand.main(arguments))
        default:
            SwimCommand.main(arguments)
        }
    }
}
