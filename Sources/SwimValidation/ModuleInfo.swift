/// What validation learned about a module that later stages reuse.
///
/// The translator trusts a module that `validate` accepted and sizes its frames from
/// these figures instead of re-deriving them.
public struct ModuleInfo: Sendable {
    /// One entry per function defined by the module (not imports), in order.
    public var functions: [FunctionInfo]

    public init(functions: [FunctionInfo]) {
        self.functions = functions
    }
}

/// Per-function figures gathered while type-checking a body.
public struct FunctionInfo: Hashable, Sendable {
    /// The largest operand stack height (number of values) reached in the body.
    public var maxStackHeight: Int
    /// The same height counted in 8-byte slots: a `v128` takes 2 slots, every other type 1.
    public var maxStackSlots: Int
    /// The deepest control stack; the function's own frame counts as 1.
    public var maxControlDepth: Int

    public init(maxStackHeight: Int, maxStackSlots: Int, maxControlDepth: Int) {
        self.maxStackHeight = maxStackHeight
        self.maxStackSlots = maxStackSlots
        self.maxControlDepth = maxControlDepth
    }
}
