import ArgumentParser
import WasmParser
import WasmTypes
import WasmValidation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that a module (binary or text) is well-formed and valid.")

    @Argument(help: "The module: a .wasm binary or .wat text.")
    var file: String

    func run() throws {
        do {
            let bytes = try loadModuleBytes(file)
            let module = try parseModule(bytes: bytes)
            _ = try WasmValidation.validate(module)
        } catch let error as MalformedError {
            printError("\(file): \(error)")
            throw ExitCode(1)
        } catch let error as WasmTypes.ValidationError {
            printError("\(file): \(error)")
            throw ExitCode(1)
        } catch let error as CLIError {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}
