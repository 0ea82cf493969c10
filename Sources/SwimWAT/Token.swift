/// The lexical classes of the text format.
enum TokenKind: UInt8, Sendable {
    case leftParen
    case rightParen
    /// Starts with a lowercase letter: `func`, `i32.add`, `offset=4`, `nan:0x1`, `inf`.
    case keyword
    /// `$name` or `$"name"`.
    case identifier
    /// A string literal, quotes included in the token's range.
    case string
    /// Starts with a digit or a sign: an integer or float literal, or something malformed
    /// that only the literal parser can reject precisely (`1x`, `0x`, `+inf`).
    case number
    /// Any other run of characters (`0$l`, `$l"a"`, `"a""b"`): never valid.
    case reserved
    case endOfFile
}

/// One token: a byte range of the source.
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int
    /// For `(`, the index of its matching `)` in the token array; -1 otherwise.
    var partner: Int

    var length: Int { end - start }
}
