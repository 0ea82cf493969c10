import WasmParser
import WasmTypes
import WasmValidation

/// `swim validate FILE`: checks that a module (binary or text) is well-formed and valid.
enum ValidateCommand {
    static let usage = """
        USAGE: swim validate <file>

        Checks that a module (a .wasm binary or .wat text) is well-formed and valid.
        """

    static func main(_ arguments: [String]) -> Int32 {
        if arguments.first == "-h" || arguments.first == "--help" {
            print(usage)
            return 0
        }
        guard arguments.count == 1, let file = arguments.first else {
            printError("error: expected one module\n\n\(usage)")
            return 1
        }
        do {
            let bytes = try loadModuleBytes(file)
            let module = try parseModule(bytes: bytes)
            _ = try WasmValidation.validate(module)
            return 0
        } catch let error as MalformedError {
            printError("\(file): \(error)")
        } catch let error as WasmTypes.ValidationError {
            printError("\(file): \(error)")
        } catch {
            printError("\(error)")
        }
        return 1
    }
}
