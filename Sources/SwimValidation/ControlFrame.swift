/// An entry of the validation algorithm's control stack: one enclosing block, loop,
/// if/else or the function body itself.
struct ControlFrame {
    enum Kind: UInt8 {
        case function
        case block
        case loop
        case `if`
        case `else`
        /// The body of a legacy `try`, before its first `catch`.
        case `try`
        /// A legacy `catch` or `catch_all` handler: `rethrow` may name it.
        case `catch`
        case catchAll
    }

    var kind: Kind
    /// The block type: its parameters (the start types) and results (the end types).
    var signature: Signature
    /// The operand stack height when the frame was entered, below its parameters.
    var height: Int
    /// Set after an unconditional branch: the rest of the frame is unreachable code.
    var unreachable: Bool
    /// `LocalTypes.initializationHeight` when the frame was entered: the locals first set
    /// inside the frame are uninitialized again after it.
    var initializationHeight: Int

    /// The types a branch to this frame must provide: a loop's parameters (the branch
    /// goes back to the start), any other frame's results.
    var labelTypes: TypeList {
        kind == .loop ? signature.parameters : signature.results
    }
}
