import SwimTypes

/// A block, loop, if or the function body, while it is being translated.
struct ControlFrame {
    enum Kind {
        case function
        case block
        case loop
        case `if`
        case `else`
    }

    var kind: Kind
    /// Stack height (entries) below the frame's parameters.
    var height: Int
    var parameters: [ValueType]
    var results: [ValueType]
    /// The canonical slot of the first parameter/result: where branches leave their values.
    var labelSlot: Int
    /// Forward branches to the end of the frame, patched at `end`.
    var endFixups: [BranchFixup] = []
    /// For a loop: the position of its first instruction (the target of its branches).
    var loopStart: Int = 0
    /// For an if: the branch taken when the condition is false, patched at `else` or `end`.
    var elseFixup: BranchFixup?
    /// Code after an unconditional branch is dead until the frame ends.
    var unreachable = false

    /// The values a branch to this frame carries.
    var labelTypes: [ValueType] { kind == .loop ? parameters : results }
}
