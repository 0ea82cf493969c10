import Testing
import SwimWAT
import SwimTypes

/// Parses hex like "00 61 73 6d" (spaces ignored) into bytes.
func bytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var pending: UInt8?
    for c in hex.utf8 {
        let v: UInt8
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
        default: continue
        }
        if let high = pending {
            result.append(high << 4 | v)
            pending = nil
        } else {
            pending = v
        }
    }
    return result
}

/// The module header followed by the given section bytes.
func module(_ sections: String) -> [UInt8] {
    bytes("00 61 73 6d 01 00 00 00") + bytes(sections)
}

/// The bytes of the code section of a module with one `[] -> []` function whose body
/// (after the local declarations) is `body`, with its final `end`.
func singleFunctionModule(body: String, locals: String = "00") -> [UInt8] {
    let code = bytes(locals) + bytes(body)
    let entry = [UInt8(code.count)] + code
    let section = [UInt8(1)] + entry
    return module("01 04 01 60 00 00  03 02 01 00") + [0x0A, UInt8(section.count)] + section
}

/// Compiles and returns the bytes, or records the error and returns nil.
func compile(_ text: String, features: WasmFeatures = .default, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8]? {
    do {
        return try wat2wasm(text, features: features)
    } catch {
        Issue.record("wat2wasm failed: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The error wat2wasm throws for `text`, or nil (recording an issue) when it succeeds.
func compileError(_ text: String, features: WasmFeatures = .default, sourceLocation: SourceLocation = #_sourceLocation) -> WATError? {
    do {
        _ = try wat2wasm(text, features: features)
        Issue.record("expected wat2wasm to fail on: \(text)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
