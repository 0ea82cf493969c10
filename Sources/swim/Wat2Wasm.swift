import WAT

/// `swim wat2wasm FILE -o OUTPUT`: compiles WebAssembly text to the binary format.
enum Wat2WasmCommand {
    static let usage = """
        USAGE: swim wat2wasm <file> --output <output>

        Compiles WebAssembly text to the binary format.

        OPTIONS:
          -o, --output <output>   Where to write the binary.
        """

    static func main(_ arguments: [String]) -> Int32 {
        var file: String?
        var output: String?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help":
                print(usage)
                return 0
            case "-o", "--output":
                output = rest.popFirst()
            default:
                if argument.hasPrefix("--output=") {
                    output = String(argument.dropFirst("--output=".count))
                } else if file == nil && !argument.hasPrefix("-") {
                    file = argument
                } else {
                    printError("error: unexpected argument \(argument)\n\n\(usage)")
                    return 1
                }
            }
        }
        guard let file, let output else {
            printError("error: expected a file and --output\n\n\(usage)")
            return 1
        }
        do {
            let bytes = try readFile(file)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CLIError("\(file): not UTF-8 text")
            }
            let binary: [UInt8]
            do { binary = try wat2wasm(text) } catch { throw CLIError("\(file):\(error)") }
            try writeFile(output, binary)
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }
}
