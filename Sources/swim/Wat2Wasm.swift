import ArgumentParser
import SwimWAT

/// `swim wat2wasm FILE -o OUTPUT`: compiles WebAssembly text to the binary format.
struct Wat2Wasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wat2wasm", abstract: "Compile WebAssembly text to the binary format.")

    @Argument(help: "The .wat file.")
    var file: String

    @Option(name: .shortAndLong, help: "Where to write the binary.")
    var output: String

    func run() throws {
        do {
            let bytes = try readFile(file)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CLIError("\(file): not UTF-8 text")
            }
            let binary: [UInt8]
            do { binary = try wat2wasm(text) } catch { throw CLIError("\(file):\(error)") }
            try writeFile(output, binary)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}
