import SwimParser
import SwimTypes

/// Compiles a module in the WebAssembly text format to the binary format.
///
/// Accepts `(module $name? field*)`, a bare list of fields, `(module binary "...")` (the
/// bytes are returned as written) and `(module quote "...")` (the quoted text is compiled).
/// Every identifier is resolved and every abbreviation expanded; the result is decoded
/// and validated like any other binary. Malformed text throws a `WATError` naming the
/// problem and its line and column.
///
/// ```swift
/// let bytes = try wat2wasm("(module (func (export \"answer\") (result i32) (i32.const 42)))")
/// ```
public func wat2wasm(_ text: String, features: WasmFeatures = .default) throws(WATError) -> [UInt8] {
    try TextCompiler.compile(Array(text.utf8), features: features, origin: .start)
}

enum TextCompiler {
    /// Compiles module text given as bytes. `origin` is where the text starts in a larger
    /// file, so errors inside a script report the script's lines.
    static func compile(_ source: [UInt8], features: WasmFeatures, origin: SourceOrigin) throws(WATError) -> [UInt8] {
        let document: ModuleDocument
        do {
            let (tokens, annotations) = try Lexer(source).lex()
            let parser = TextParser(source: source, tokens: tokens, features: features)
            parser.annotationState.annotations = annotations
            document = try parser.parseDocument()
        } catch {
            throw error.located(in: source, origin: origin)
        }
        switch document {
        case .text(let module):
            return CustomSectionPlacement.insert(module.customSections, into: BinaryEncoder.encode(module))
        case .binary(let bytes):
            return bytes
        case .quote(let text):
            return try compileQuoted(text, features: features)
        }
    }

    /// Compiles the text of a `(module quote ...)`: any bytes, which must be UTF-8.
    static func compileQuoted(_ text: [UInt8], features: WasmFeatures) throws(WATError) -> [UInt8] {
        guard isWellFormedUTF8(text, text.indices) else { throw WATError("malformed UTF-8 encoding in quoted module text", line: 1, column: 1) }
        return try compile(text, features: features, origin: .start)
    }
}
