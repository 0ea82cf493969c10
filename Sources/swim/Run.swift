import ArgumentParser
import Swim

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a module: call an export with --invoke and print its results.")

    @Option(help: "The export to call; its arguments follow the module, its results are printed one per line.")
    var invoke: String?

    @Argument(help: "The module (.wasm or .wat).")
    var module: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the module.")
    var arguments: [String] = []

    func run() throws {
        do {
            let bytes = try loadModuleBytes(module)
            let engine = Engine()
            let compiled = try Module(engine: engine, bytes: bytes)
            let store = Store(engine: engine)
            let instance = try Linker().instantiate(compiled, in: store)
            guard let name = invoke else {
                throw CLIError("running a module without --invoke needs WASI, which this build does not have yet")
            }
            guard let function = instance.function(name) else {
                throw CLIError("\(module): no exported function named '\(name)'")
            }
            let values = try parseArguments(arguments, for: function.type)
            for result in try function.call(values) {
                print(format(result))
            }
        } catch let error as CLIError {
            printError("\(error)")
            throw ExitCode(1)
        } catch let trap as Trap {
            printError("Error: \(trap)")
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("Error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Parses command-line arguments as the function's parameter types (integers in decimal or 0x hex).
func parseArguments(_ arguments: [String], for type: FunctionType) throws -> [Value] {
    guard arguments.count == type.parameters.count else {
        throw CLIError("expected \(type.parameters.count) arguments for \(type), got \(arguments.count)")
    }
    return try zip(arguments, type.parameters).map { text, t in
        switch t {
        case .i32:
            guard let v = parseInteger(text), v >= Int64(Int32.min), v <= Int64(UInt32.max) else {
                throw CLIError("'\(text)' is not an i32")
            }
            return .i32(UInt32(truncatingIfNeeded: v))
        case .i64:
            if let v = parseInteger(text) { return .i64(UInt64(bitPattern: v)) }
            if let v = UInt64(text) { return .i64(v) }
            throw CLIError("'\(text)' is not an i64")
        case .f32:
            guard let v = Float(text) else { throw CLIError("'\(text)' is not an f32") }
            return Value(v)
        case .f64:
            guard let v = Double(text) else { throw CLIError("'\(text)' is not an f64") }
            return Value(v)
        default:
            throw CLIError("parameters of type \(t) cannot be passed from the command line")
        }
    }
}

private func parseInteger(_ text: String) -> Int64? {
    var s = Substring(text)
    let negative = s.hasPrefix("-")
    if negative || s.hasPrefix("+") { s = s.dropFirst() }
    let magnitude: UInt64?
    if s.hasPrefix("0x") || s.hasPrefix("0X") { magnitude = UInt64(s.dropFirst(2), radix: 16) } else { magnitude = UInt64(s) }
    guard let m = magnitude else { return nil }
    if negative {
        guard m <= UInt64(Int64.max) + 1 else { return nil }
        return m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m)
    }
    return m <= UInt64(Int64.max) ? Int64(m) : Int64(bitPattern: m)
}

/// Prints a result as wasmtime does: integers signed, floats as numbers.
func format(_ value: Value) -> String {
    switch value {
    case .i32(let v): return String(Int32(bitPattern: v))
    case .i64(let v): return String(Int64(bitPattern: v))
    case .f32(let bits): return String(Float(bitPattern: bits))
    case .f64(let bits): return String(Double(bitPattern: bits))
    default: return value.description
    }
}
