import SwimParser
import SwimTypes

/// A cursor over the tokens of one text module, with the helpers every parsing step uses.
///
/// The module parser, type parser and instruction parser are extensions of this class
/// (one file each); the state they share (names, types, the current function's locals and
/// labels) lives here.
final class TextParser {
    let source: [UInt8]
    let tokens: [Token]
    let features: WasmFeatures
    /// Index of the current token; never past the final end-of-file token.
    var position: Int

    // Module-wide state, filled by the declaration scan and the field parser.
    var names = ModuleNames()
    var module = ModuleDefinition()
    /// The first index of each function type, for type-use inference.
    var typeIndexBySignature: [FunctionType: UInt32] = [:]

    /// How deeply blocks, folded instructions and script results nest right now.
    var nesting = 0
    /// Deeper nesting is rejected rather than risking the stack: parsing recurses.
    static let maximumNesting = 3_000

    /// The annotations the compiler acts on, and what they amount to.
    var annotationState = AnnotationState()

    // Per-function state.
    var localNames: [String: UInt32] = [:]
    /// Labels of the enclosing blocks, innermost last.
    var labels: [String?] = []

    init(source: [UInt8], tokens: [Token], features: WasmFeatures, position: Int = 0) {
        self.source = source
        self.tokens = tokens
        self.features = features
        self.position = position
    }

    // MARK: Looking at tokens

    var current: Token { tokens[position] }

    /// The token `offset` places ahead, or the end-of-file token.
    func peek(_ offset: Int = 1) -> Token {
        let i = position + offset
        return i < tokens.count ? tokens[i] : tokens[tokens.count - 1]
    }

    func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    /// Whether `token` is the keyword `word`.
    func isKeyword(_ token: Token, _ word: StaticString) -> Bool {
        guard token.kind == .keyword, token.length == word.utf8CodeUnitCount else { return false }
        let p = word.utf8Start
        var i = 0
        while i < token.length {
            if source[token.start + i] != p[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether the current token is `(` followed by the keyword `word`.
    func atParen(_ word: StaticString) -> Bool {
        current.kind == .leftParen && isKeyword(peek(), word)
    }

    func text(_ token: Token) -> String {
        String(decoding: source[token.start..<token.end], as: UTF8.self)
    }

    /// How a token is shown in an error message.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfFile: return "end of input"
        case .leftParen: return "`(`"
        case .rightParen: return "`)`"
        default:
            let t = text(token)
            return "`\(t.count > 40 ? String(t.prefix(40)) + "…" : t)`"
        }
    }

    func error(_ message: String, at token: Token? = nil) -> TextError {
        TextError(message, at: (token ?? current).start)
    }

    func unexpected(_ expected: String) -> TextError {
        if current.kind == .reserved {
            return error("unknown operator \(describe(current)) (tokens must be separated by white space), expected \(expected)")
        }
        return error("unexpected token \(describe(current)), expected \(expected)")
    }

    /// Enters one level of nesting; pair with `leaveNesting()`.
    func enterNesting() throws(TextError) {
        guard nesting < TextParser.maximumNesting else {
            throw error("nesting too deep: more than \(TextParser.maximumNesting) levels")
        }
        nesting += 1
    }

    func leaveNesting() { nesting -= 1 }

    // MARK: Consuming tokens

    func expectLeftParen() throws(TextError) {
        guard current.kind == .leftParen else { throw unexpected("`(`") }
        advance()
    }

    func expectRightParen() throws(TextError) {
        guard current.kind == .rightParen else { throw unexpected("`)`") }
        advance()
    }

    func expectKeyword(_ word: StaticString) throws(TextError) {
        guard isKeyword(current, word) else { throw unexpected("`\(word)`") }
        advance()
    }

    /// Consumes `(` and the keyword `word` when they are next.
    func takeParen(_ word: StaticString) -> Bool {
        guard atParen(word) else { return false }
        advance()
        advance()
        return true
    }

    /// Consumes an identifier if one is next and returns its name (without `$`).
    func takeIdentifier() throws(TextError) -> String? {
        guard current.kind == .identifier else { return nil }
        let name = try identifierName(current)
        advance()
        return name
    }

    func identifierName(_ token: Token) throws(TextError) -> String {
        if source[token.start + 1] == UInt8(ascii: "\"") {
            let bytes = try Lexer.decodeString(source, start: token.start + 1, end: token.end)
            guard !bytes.isEmpty, isWellFormedUTF8(bytes, bytes.indices) else { throw error("malformed identifier: empty or not UTF-8", at: token) }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: source[(token.start + 1)..<token.end], as: UTF8.self)
    }

    /// Consumes a string literal and returns its bytes.
    func expectString() throws(TextError) -> [UInt8] {
        guard current.kind == .string else { throw unexpected("a string") }
        let bytes = try Lexer.decodeString(source, start: current.start, end: current.end)
        advance()
        return bytes
    }

    /// Consumes a string that must be valid UTF-8 (import and export names).
    func expectName() throws(TextError) -> String {
        let token = current
        let bytes = try expectString()
        guard isWellFormedUTF8(bytes, bytes.indices) else { throw error("malformed UTF-8 encoding", at: token) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Consumes any number of strings and concatenates their bytes.
    func takeStrings() throws(TextError) -> [UInt8] {
        var bytes: [UInt8] = []
        while current.kind == .string { bytes += try expectString() }
        return bytes
    }

    // MARK: Numbers

    /// Consumes an unsigned integer literal below 2^bits.
    func expectUnsigned(bits: Int = 32, what: String = "an unsigned integer") throws(TextError) -> UInt64 {
        let token = current
        guard token.kind == .number else { throw unexpected(what) }
        switch IntegerLiteral.parse(source[token.start..<token.end]) {
        case .malformed:
            throw error("unknown operator \(describe(token)): malformed integer, expected \(what)", at: token)
        case .overflow:
            throw error("i\(bits) constant out of range: \(describe(token))", at: token)
        case .value(_, let signed, let m):
            guard !signed else {
                throw error("unexpected token \(describe(token)): \(what) takes no sign", at: token)
            }
            if bits < 64 && m >> UInt64(bits) != 0 { throw error("i\(bits) constant out of range: \(describe(token))", at: token) }
            advance()
            return m
        }
    }

    func expectU32(what: String = "an unsigned 32-bit integer") throws(TextError) -> UInt32 {
        UInt32(truncatingIfNeeded: try expectUnsigned(bits: 32, what: what))
    }

    /// Consumes an `i<bits>` literal (signed or unsigned) and returns its bit pattern.
    func expectInteger(bits: Int) throws(TextError) -> UInt64 {
        let token = current
        guard token.kind == .number else { throw unexpected("an i\(bits) literal") }
        switch IntegerLiteral.bitPattern(source[token.start..<token.end], bits: bits) {
        case .malformed: throw error("unknown operator \(describe(token)): malformed i\(bits) literal", at: token)
        case .outOfRange: throw error("constant out of range: \(describe(token)) does not fit in i\(bits)", at: token)
        case .value(let v):
            advance()
            return v
        }
    }

    /// Consumes a float literal and returns its bit pattern in the given format.
    func expectFloat(_ format: FloatLiteral.Format) throws(TextError) -> UInt64 {
        let token = current
        let name = format.precision == 24 ? "f32" : "f64"
        guard token.kind == .number || token.kind == .keyword else { throw unexpected("an \(name) literal") }
        switch FloatLiteral.parse(source[token.start..<token.end], format: format) {
        case .malformed:
            if token.kind == .keyword { throw unexpected("an \(name) literal") }
            throw error("unknown operator \(describe(token)): malformed \(name) literal", at: token)
        case .outOfRange: throw error("constant out of range: \(describe(token)) does not fit in \(name)", at: token)
        case .value(let v):
            advance()
            return v
        }
    }
}
