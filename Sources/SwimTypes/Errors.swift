/// The binary or text is not a well-formed module (the spec's "malformed").
///
/// `message` uses the spec's wording where it has one ("unexpected end",
/// "integer too large", ...); `offset` is the byte offset in the binary, or the
/// character offset in a text source.
public struct MalformedError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "malformed module: \(message) at offset \(offset)" }
}

/// The module is well-formed but breaks a validation rule (the spec's "invalid").
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// Byte offset in the module binary of the construct at fault, when known.
    public var offset: Int?

    public init(_ message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    public var description: String {
        if let offset { return "invalid module: \(message) at offset \(offset)" }
        return "invalid module: \(message)"
    }
}
