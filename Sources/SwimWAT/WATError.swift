/// An error in WebAssembly text (a module or a `.wast` script): what is wrong, and where.
///
/// `line` and `column` are 1-based; the column counts Unicode scalars.
public struct WATError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int

    public init(_ message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column): \(message)" }
}

/// An error found while lexing or parsing, positioned by byte offset in the source.
///
/// Parsing throws this cheap form; the entry points turn it into a `WATError` once,
/// since computing a line and column means scanning the source.
struct TextError: Error {
    var message: String
    var offset: Int

    init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }
}

/// Where a piece of source text starts inside a larger text (a module inside a script).
struct SourceOrigin: Hashable, Sendable {
    var line: Int
    var column: Int

    static let start = SourceOrigin(line: 1, column: 1)
}

extension TextError {
    /// The line and column of `offset` in `source`, shifted by where `source` itself starts.
    func located(in source: [UInt8], origin: SourceOrigin = .start) -> WATError {
        var lines = LineCounter(source: source)
        let position = lines.position(of: max(offset, 0))
        let column = position.line == 1 ? position.column + origin.column - 1 : position.column
        return WATError(message, line: position.line + origin.line - 1, column: column)
    }
}
