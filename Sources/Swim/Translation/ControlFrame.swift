import SwimTypes

/// A block, loop, if, try or the function body, while it is being translated.
struct ControlFrame {
    enum Kind {
        case function
        case block
        case loop
        case `if`
        case `else`
        /// The body of a legacy `try`, before its first handler.
        case `try`
        /// A legacy `catch` or `catch_all` handler.
        case `catch`
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

    // Exception handling (see `HandlerTable`).
    /// The catch scope covering code directly inside the frame (-1: none).
    var scope = -1
    /// The scope around the frame, which covers the code after it.
    var outerScope = -1
    /// For a legacy `try`: the scope its handlers are added to.
    var tryScope = -1
    /// Catches whose destination is this frame's end, patched there: (scope, catch).
    var catchFixups: [(scope: Int, index: Int)] = []
    /// For a legacy handler: the slot holding the caught exception, for `rethrow`. It lies
    /// at `height`, below the handler's operands.
    var caughtSlot = 0

    /// The operand stack height below which the frame's code never pops: a legacy handler
    /// keeps its caught exception there.
    var floor: Int { kind == .catch ? height + 1 : height }

    /// The values a branch to this frame carries.
    var labelTypes: [ValueType] { kind == .loop ? parameters : results }
}
