#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The entry point: `run` (also the default, as in wasmtime: `swim module.wasm args`) goes
/// straight to `RunCommand`; the other subcommands and `--help`/`--version` to ArgumentParser.
@main
enum Main {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "run":
            exit(RunCommand.main(Array(arguments.dropFirst())))
        case nil, "help", "-h", "--help", "--version", "validate", "wat2wasm":
            SwimCommand.main()
        default:
            exit(RunCommand.main(arguments))
        }
    }
}
