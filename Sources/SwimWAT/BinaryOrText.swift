import SwimTypes

/// Why `wasmBinary(fromBinaryOrText:)` found no module in a file's bytes.
public enum ModuleFileError: Error, Sendable {
    /// The bytes neither start with the wasm magic header nor are UTF-8 text.
    case neitherBinaryNorText
    /// UTF-8 text that is not a valid module.
    case invalidText(WATError)
}

/// A module file's binary: the bytes themselves when they start with the wasm magic header
/// (decoding is left to the caller), else the bytes compiled as WebAssembly text. Lets every
/// tool that takes a module accept `.wat` as well as `.wasm`. Text is parsed with `features`.
public func wasmBinary(
    fromBinaryOrText bytes: [UInt8], features: WasmFeatures = .default
) throws(ModuleFileError) -> [UInt8] {
    if bytes.starts(with: [0x00, 0x61, 0x73, 0x6D]) { return bytes }
    guard let text = String(validating: bytes, as: UTF8.self) else { throw .neitherBinaryNorText }
    do {
        return try wat2wasm(text, features: features)
    } catch {
        throw .invalidText(error)
    }
}
