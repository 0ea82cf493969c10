import SwimTypes

/// A module as the text parser builds it: every index resolved, every abbreviation
/// expanded, instructions in binary order. `BinaryEncoder` turns it into bytes.
struct ModuleDefinition {
    var types: [FunctionType] = []
    var imports: [Import] = []
    var functions: [FunctionDefinition] = []
    var tables: [TableDefinition] = []
    var memories: [MemoryType] = []
    /// The type index of each tag defined (not imported).
    var tags: [UInt32] = []
    var globals: [GlobalDefinition] = []
    var exports: [Export] = []
    var start: UInt32?
    var elements: [ElementSegment] = []
    var data: [DataDefinition] = []
    /// Whether some function uses `memory.init` or `data.drop`, which need the data count section.
    var needsDataCount = false
    /// Custom sections from annotations, in text order; placed when the binary is written.
    var customSections: [CustomSectionDefinition] = []
}

struct FunctionDefinition {
    var typeIndex: UInt32
    /// The declared locals, parameters excluded.
    var locals: [ValueType]
    /// The body, including its final `end`.
    var body: [Instruction]
}

struct DataDefinition {
    var mode: DataSegment.Mode
    var bytes: [UInt8]
}
