/// An annotation `(@id ...)` that the compiler acts on (the spec's appendix "Custom
/// Annotations"); the lexer treats every other annotation as white space.
struct Annotation {
    enum Kind {
        /// `(@custom "name" (before|after section)? "bytes"*)`: a custom section.
        case custom
        /// `(@name "name")`: the module's or a function's or tag's name, in the `name` section.
        case name
        /// `(@metadata.code.branch_hint "\00"|"\01")` before an `if` or `br_if`.
        case branchHint

        /// The kind of an annotation id (its bytes, from `@id` or `@"id"`), if one we act on.
        init?(id: [UInt8]) {
            switch String(decoding: id, as: UTF8.self) {
            case "custom": self = .custom
            case "name": self = .name
            case "metadata.code.branch_hint": self = .branchHint
            default: return nil
            }
        }

        /// How messages name it.
        var label: String {
            switch self {
            case .custom: return "@custom"
            case .name: return "@name"
            case .branchHint: return "@metadata.code.branch_hint"
            }
        }
    }

    var kind: Kind
    /// The byte offset of its `(@`, for errors.
    var start: Int
    /// The index of the token that follows it: where it stands among the module's tokens.
    var tokenIndex: Int
    /// The tokens of its body after the id, ending with an end-of-file token.
    var items: [Token]
}
