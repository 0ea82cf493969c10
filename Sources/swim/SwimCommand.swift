import ArgumentParser

@main
struct SwimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swim",
        abstract: "A WebAssembly runtime written in Swift.",
        version: "0.1.0",
        subcommands: [Run.self, Validate.self, Wat2Wasm.self],
        defaultSubcommand: Run.self)
}
