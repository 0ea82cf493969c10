import ArgumentParser
import SwimParser
import SwimTypes
import SwimValidation

/// `swim validate FILE`: checks that a module (binary or text) is well-formed and valid.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that a module (a .wasm binary or .wat text) is well-formed and valid.",
        discussion: "Errors name the problem and its byte offset; the exit status is 1.")

    @Argument(help: "The module.")
    var file: String

    func run() throws {
        do {
            let bytes = try loadModuleBytes(file)
            let module = try parseModule(bytes: bytes)
            _ = try SwimValidation.validate(module)
        } catch let error as MalformedError {
            printError("\(file): \(error)")
            throw ExitCode.failure
        } catch let error as SwimTypes.ValidationError {
            printError("\(file): \(error)")
            throw ExitCode.failure
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}
