import SwimParser

/// Splits WebAssembly text into tokens.
///
/// A token is a parenthesis or a maximal run of characters up to white space, a
/// parenthesis or a comment. A run that is exactly one string literal is a string; a run
/// of identifier characters is a keyword, an identifier or a number by its first
/// character; anything else (`$l"a"`, `0$x`, `"a""b"`) is reserved and rejected where
/// it is used, as the spec requires tokens to be separated.
struct Lexer {
    let source: [UInt8]

    init(_ source: [UInt8]) {
        self.source = source
    }

    /// Tokenizes the whole source; parentheses are matched and each `(` records its `)`.
    /// Annotations are white space here.
    func tokenize() throws(TextError) -> [Token] {
        var ignored: [Annotation]?
        return try tokenize(0..<source.count, annotations: &ignored)
    }

    /// Tokenizes the whole source, and keeps the annotations the compiler acts on.
    func lex() throws(TextError) -> (tokens: [Token], annotations: [Annotation]) {
        var annotations: [Annotation]? = []
        let tokens = try tokenize(0..<source.count, annotations: &annotations)
        return (tokens, annotations ?? [])
    }

    /// Tokenizes `range`, which ends with the end-of-file token. Recognized annotations are
    /// appended to `annotations` when it is not nil; all others are skipped.
    private func tokenize(_ range: Range<Int>, annotations: inout [Annotation]?) throws(TextError) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(range.count / 4 + 1)
        var openParens: [Int] = []
        var i = range.lowerBound
        let n = range.upperBound
        while i < n {
            let c = source[i]
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D:
                i += 1
            case UInt8(ascii: "("):
                if i + 1 < n, source[i + 1] == UInt8(ascii: ";") {
                    i = try skipBlockComment(from: i)
                } else if i + 1 < n, source[i + 1] == UInt8(ascii: "@") {
                    let (end, kind, body) = try skipAnnotation(from: i)
                    if let kind, annotations != nil {
                        // The body's tokens, for the annotation's own parser.
                        var nested: [Annotation]?
                        let items = try tokenize(body, annotations: &nested)
                        annotations?.append(Annotation(kind: kind, start: i, tokenIndex: tokens.count, items: items))
                    }
                    i = end
                } else {
                    openParens.append(tokens.count)
                    tokens.append(Token(kind: .leftParen, start: i, end: i + 1, partner: -1))
                    i += 1
                }
            case UInt8(ascii: ")"):
                guard let open = openParens.popLast() else {
                    throw TextError("unexpected `)` without a matching `(`", at: i)
                }
                tokens[open].partner = tokens.count
                tokens.append(Token(kind: .rightParen, start: i, end: i + 1, partner: -1))
                i += 1
            case UInt8(ascii: ";") where i + 1 < n && source[i + 1] == UInt8(ascii: ";"):
                i += 2
                while i < n, source[i] != 0x0A, source[i] != 0x0D { i += 1 }
            default:
                let token = try scanRun(from: i)
                tokens.append(token)
                i = token.end
            }
        }
        if let open = openParens.last {
            throw TextError("unclosed `(`: missing `)`", at: tokens[open].start)
        }
        tokens.append(Token(kind: .endOfFile, start: n, end: n, partner: -1))
        return tokens
    }

    /// Skips a `(; ... ;)` comment, which may nest; returns the offset after it.
    private func skipBlockComment(from start: Int) throws(TextError) -> Int {
        var depth = 0
        var i = start
        let n = source.count
        while i + 1 < n {
            if source[i] == UInt8(ascii: "("), source[i + 1] == UInt8(ascii: ";") {
                depth += 1
                i += 2
            } else if source[i] == UInt8(ascii: ";"), source[i + 1] == UInt8(ascii: ")") {
                depth -= 1
                i += 2
                if depth == 0 { return i }
            } else {
                i += 1
            }
        }
        throw TextError("unterminated block comment", at: start)
    }

    /// Skips an annotation `(@id ...)` (Wasm 3.0), which the text format treats as white
    /// space; its body may hold any tokens, balanced parentheses and comments. Returns the
    /// offset after it, its kind if the compiler acts on it, and its body (between the id
    /// and the closing parenthesis).
    private func skipAnnotation(from start: Int) throws(TextError) -> (end: Int, kind: Annotation.Kind?, body: Range<Int>) {
        let n = source.count
        var i = start + 2
        // The annotation id: identifier characters or a non-empty string.
        let id: [UInt8]
        if i < n, source[i] == UInt8(ascii: "\"") {
            let end = try skipString(from: i)
            id = try Lexer.decodeString(source, start: i, end: end)
            guard !id.isEmpty else { throw TextError("empty annotation id", at: start) }
            guard isWellFormedUTF8(id, id.indices) else { throw TextError("malformed UTF-8 encoding in annotation id", at: i) }
            i = end
        } else {
            let idStart = i
            while i < n, Lexer.isIdentifierChar(source[i]) { i += 1 }
            guard i > idStart else { throw TextError("empty annotation id", at: start) }
            id = Array(source[idStart..<i])
        }
        let bodyStart = i
        var depth = 1
        while i < n {
            let c = source[i]
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D:
                i += 1
            case UInt8(ascii: "("):
                if i + 1 < n, source[i + 1] == UInt8(ascii: ";") {
                    i = try skipBlockComment(from: i)
                } else {
                    depth += 1
                    i += 1
                }
            case UInt8(ascii: ")"):
                depth -= 1
                i += 1
                if depth == 0 { return (i, Annotation.Kind(id: id), bodyStart..<(i - 1)) }
            case UInt8(ascii: ";") where i + 1 < n && source[i + 1] == UInt8(ascii: ";"):
                while i < n, source[i] != 0x0A, source[i] != 0x0D { i += 1 }
            case UInt8(ascii: "\""):
                i = try skipString(from: i)
            default:
                guard c > 0x20 && c < 0x7F else { throw Lexer.illegalCharacter(source, at: i) }
                i += 1
            }
        }
        throw TextError("unclosed annotation", at: start)
    }

    /// The error for a character that can't appear outside strings and comments.
    static func illegalCharacter(_ source: [UInt8], at i: Int) -> TextError {
        let c = source[i]
        let what = c >= 0x80 ? "a non-ASCII character" : "control character 0x\(String(c, radix: 16))"
        return TextError("illegal character: \(what) outside strings and comments", at: i)
    }

    /// Scans one run of non-delimiter characters (strings included) and classifies it.
    private func scanRun(from start: Int) throws(TextError) -> Token {
        let n = source.count
        var i = start
        var stringSegments = 0
        var allIdentifierChars = true
        // Byte values are written as literals here: this loop sees every character.
        while i < n {
            let c = source[i]
            // space, tab, LF, CR, `(`, `)`
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x28 || c == 0x29 { break }
            if c == 0x3B, i + 1 < n, source[i + 1] == 0x3B { break }  // `;;`
            if c == 0x22 {  // `"`
                i = try skipString(from: i)
                stringSegments += 1
                allIdentifierChars = false
                continue
            }
            if !Lexer.isIdentifierChar(c) {
                // Besides identifier characters only `,` `;` `[` `]` `{` `}` may appear (in
                // reserved tokens); anything else is never valid outside strings and comments.
                guard c > 0x20 && c < 0x7F else { throw Lexer.illegalCharacter(source, at: i) }
                allIdentifierChars = false
            }
            i += 1
        }
        let first = source[start]
        let kind: TokenKind
        if stringSegments == 1 && first == UInt8(ascii: "\"") && source[i - 1] == UInt8(ascii: "\"") && isSingleString(start, i) {
            kind = .string
        } else if first == UInt8(ascii: "$") && stringSegments == 1 && i - start >= 3
            && source[start + 1] == UInt8(ascii: "\"") && isSingleString(start + 1, i)
        {
            kind = .identifier  // `$"name"`
        } else if !allIdentifierChars {
            kind = .reserved
        } else if first == UInt8(ascii: "$") {
            kind = i - start > 1 ? .identifier : .reserved
        } else if first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") {
            kind = .keyword
        } else if (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            kind = .number
        } else {
            kind = .reserved
        }
        return Token(kind: kind, start: start, end: i, partner: -1)
    }

    /// True when `start..<end` is exactly one string literal.
    private func isSingleString(_ start: Int, _ end: Int) -> Bool {
        guard source[start] == UInt8(ascii: "\"") else { return false }
        guard let close = try? skipString(from: start) else { return false }
        return close == end
    }

    /// Returns the offset just after the closing quote of the string starting at `start`.
    private func skipString(from start: Int) throws(TextError) -> Int {
        let n = source.count
        var i = start + 1
        while i < n {
            let c = source[i]
            if c == UInt8(ascii: "\"") { return i + 1 }
            if c == UInt8(ascii: "\\") { i += 2 } else { i += 1 }
        }
        throw TextError("unterminated string", at: start)
    }

    /// The spec's `idchar`: printable ASCII except space, `"`, `(`, `)`, `,`, `;`, `[`, `]`,
    /// `{` and `}`.
    @inline(__always)
    static func isIdentifierChar(_ c: UInt8) -> Bool {
        guard c > 0x20 && c < 0x7F else { return false }
        switch c {
        case 0x22, 0x28, 0x29, 0x2C, 0x3B, 0x5B, 0x5D, 0x7B, 0x7D: return false
        default: return true
        }
    }
}

extension Lexer {
    /// Decodes the string literal `start..<end` (quotes included) into its bytes.
    static func decodeString(_ source: [UInt8], start: Int, end: Int) throws(TextError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start + 1
        let last = end - 1  // the closing quote
        while i < last {
            let c = source[i]
            if c == UInt8(ascii: "\\") {
                guard i + 1 < last else { throw TextError("malformed escape at end of string", at: i) }
                let e = source[i + 1]
                switch e {
                case UInt8(ascii: "t"): out.append(0x09); i += 2
                case UInt8(ascii: "n"): out.append(0x0A); i += 2
                case UInt8(ascii: "r"): out.append(0x0D); i += 2
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): out.append(e); i += 2
                case UInt8(ascii: "u"):
                    i = try decodeUnicodeEscape(source, at: i, limit: last, into: &out)
                default:
                    guard i + 2 < last, let hi = hexValue(e), let lo = hexValue(source[i + 2]) else {
                        throw TextError("malformed escape in string: unknown escape `\\\(Character(Unicode.Scalar(e)))`", at: i)
                    }
                    out.append(hi << 4 | lo)
                    i += 3
                }
            } else if c < 0x20 || c == 0x7F {
                throw TextError("malformed string: control character 0x\(String(c, radix: 16)) must be escaped", at: i)
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// Decodes `\u{hex}` at `i`, appending the scalar's UTF-8; returns the offset after `}`.
    private static func decodeUnicodeEscape(_ source: [UInt8], at i: Int, limit: Int, into out: inout [UInt8]) throws(TextError) -> Int {
        var j = i + 2
        guard j < limit, source[j] == UInt8(ascii: "{") else { throw TextError("malformed \\u escape: expected `{`", at: i) }
        j += 1
        var value: UInt32 = 0
        var digits = 0
        var lastWasDigit = false
        while j < limit, source[j] != UInt8(ascii: "}") {
            let c = source[j]
            if c == UInt8(ascii: "_") && lastWasDigit {
                lastWasDigit = false
                j += 1
                continue
            }
            guard let d = hexValue(c) else { throw TextError("malformed \\u escape: bad hex digit", at: j) }
            if value > 0x10FFFF { throw TextError("malformed \\u escape: code point out of range", at: i) }
            value = value << 4 | UInt32(d)
            digits += 1
            lastWasDigit = true
            j += 1
        }
        guard j < limit, digits > 0, lastWasDigit else { throw TextError("malformed \\u escape", at: i) }
        guard let scalar = Unicode.Scalar(value) else {
            throw TextError("malformed \\u escape: U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value", at: i)
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
        return j + 1
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
