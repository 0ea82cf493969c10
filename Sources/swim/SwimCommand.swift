import ArgumentParser

/// The subcommands parsed by ArgumentParser. `run` is not among them: `Main` handles it by
/// hand so that running a module doesn't pay for the parser (see Run.swift).
struct SwimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swim",
        abstract: "A WebAssembly runtime written in Swift.",
        discussion: "swim run [OPTIONS] <module> [ARGS...] runs a module (the default: swim <module> ...); see swim run --help.",
        version: "0.1.0",
        subcommands: [Validate.self, Wat2Wasm.self])
}
