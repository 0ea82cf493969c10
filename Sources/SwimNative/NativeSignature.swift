import Swim

/// A native function's signature in WAMR's notation, checked against the wasm type it serves:
/// `(ii*~$)i`. Inside the parentheses one letter per wasm parameter, after them at most one
/// result letter:
/// - `i` i32, `I` i64, `f` f32, `F` f64: passed by value;
/// - `*` an i32 address in linear memory, passed to C as a native pointer;
/// - `~` an i32 after a `*`: the byte length of that buffer (checked with it);
/// - `$` an i32 address of a NUL-terminated string in linear memory, passed as `char *`.
public struct NativeSignature: Equatable, Sendable, CustomStringConvertible {
    /// How one wasm parameter reaches C.
    public enum Parameter: Equatable, Sendable {
        case i32, i64, f32, f64
        /// An address checked against `length` bytes (the next parameter's value when
        /// `hasLength`, else 1), passed as a native pointer.
        case pointer(hasLength: Bool)
        /// The length after a `pointer(hasLength: true)`.
        case length
        /// An address of a NUL-terminated string, passed as a native pointer.
        case string

        /// Its letter in the signature.
        var letter: Character {
            switch self {
            case .i32: return "i"
            case .i64: return "I"
            case .f32: return "f"
            case .f64: return "F"
            case .pointer: return "*"
            case .length: return "~"
            case .string: return "$"
            }
        }
    }

    public enum Result: Equatable, Sendable, CaseIterable { case i32, i64, f32, f64 }

    public let parameters: [Parameter]
    public let result: Result?

    /// Whether a call converts linear-memory addresses, and so needs the caller's memory 0.
    public var usesMemory: Bool {
        parameters.contains { if case .pointer = $0 { return true }; return $0 == .string }
    }

    public var description: String {
        "(" + String(parameters.map(\.letter)) + ")" + (result.map { String(Self.parameter($0).letter) } ?? "")
    }

    /// The signature `text` gives a function of wasm type `type`, as WAMR checks it; nil
    /// when they do not match. A nil or empty `text` means "no signature": every parameter
    /// and the result pass by value, as the wasm type says.
    public init?(_ text: String?, type: FunctionType) {
        guard type.results.count <= 1 else { return nil }
        var result: Result?
        if let r = type.results.first {
            guard let n = Self.number(r) else { return nil }
            result = n
        }
        guard let text, !text.isEmpty else {
            var parameters: [Parameter] = []
            for p in type.parameters {
                guard let n = Self.number(p) else { return nil }
                parameters.append(Self.parameter(n))
            }
            self.parameters = parameters
            self.result = result
            return
        }
        var letters = text.utf8[...]
        guard letters.popFirst() == UInt8(ascii: "(") else { return nil }
        var parameters: [Parameter] = []
        var i = 0
        while i < type.parameters.count {
            guard let letter = letters.popFirst() else { return nil }
            let wasmType = type.parameters[i]
            i += 1
            if let n = Self.number(wasmType), let letterType = Self.number(letter), letterType == n {
                parameters.append(Self.parameter(n))
                continue
            }
            // `*`, `~` and `$` stand for i32 addresses and lengths.
            guard wasmType == .i32 else { return nil }
            switch letter {
            case UInt8(ascii: "*"):
                // A `~` takes the next i32 parameter as this buffer's length.
                let hasLength = i < type.parameters.count && type.parameters[i] == .i32 && letters.first == UInt8(ascii: "~")
                parameters.append(.pointer(hasLength: hasLength))
                if hasLength {
                    letters.removeFirst()
                    parameters.append(.length)
                    i += 1
                }
            case UInt8(ascii: "$"):
                parameters.append(.string)
            default:
                return nil
            }
        }
        guard letters.popFirst() == UInt8(ascii: ")") else { return nil }
        if let result {
            guard let letter = letters.popFirst(), Self.number(letter) == result else { return nil }
        }
        guard letters.isEmpty else { return nil }
        self.parameters = parameters
        self.result = result
    }

    private static func number(_ type: ValueType) -> Result? {
        switch type {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        default: return nil
        }
    }

    private static func number(_ letter: UInt8) -> Result? {
        Result.allCases.first { parameter($0).letter.asciiValue == letter }
    }

    private static func parameter(_ n: Result) -> Parameter {
        switch n {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        }
    }
}
