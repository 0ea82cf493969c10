/// A decoded WebAssembly module: the sections of the binary format, in order.
///
/// Function bodies and data segments are not copied: they are ranges of `bytes`,
/// the module's binary, so a large module costs little memory until its code runs.
public struct DecodedModule: Sendable {
    /// The binary the module was decoded from.
    public var bytes: [UInt8]
    public var types: [FunctionType] = []
    public var imports: [Import] = []
    /// The type index of each function defined by the module (the function section).
    public var functions: [UInt32] = []
    public var tables: [TableDefinition] = []
    public var memories: [MemoryType] = []
    /// Tag types (Wasm 3.0 exception handling), as type indices.
    public var tags: [UInt32] = []
    public var globals: [GlobalDefinition] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var elements: [ElementSegment] = []
    public var dataCount: UInt32?
    public var codes: [FunctionBody] = []
    public var data: [DataSegment] = []
    public var customSections: [CustomSection] = []
    /// The contents of the `name` custom section, when present and well-formed.
    public var names: NameSection?

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

public struct Import: Hashable, Sendable {
    public var module: String
    public var name: String
    public var descriptor: ImportDescriptor

    public init(module: String, name: String, descriptor: ImportDescriptor) {
        self.module = module
        self.name = name
        self.descriptor = descriptor
    }
}

public enum ImportDescriptor: Hashable, Sendable {
    /// A function of the given type index.
    case function(UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// A tag of the given type index (Wasm 3.0).
    case tag(UInt32)
}

public struct Export: Hashable, Sendable {
    public var name: String
    public var descriptor: ExportDescriptor

    public init(name: String, descriptor: ExportDescriptor) {
        self.name = name
        self.descriptor = descriptor
    }
}

public enum ExportDescriptor: Hashable, Sendable {
    case function(UInt32)
    case table(UInt32)
    case memory(UInt32)
    case global(UInt32)
    case tag(UInt32)
}

/// A table definition; `initializer` is Wasm 3.0's table initial value (nil: null).
public struct TableDefinition: Hashable, Sendable {
    public var type: TableType
    public var initializer: ConstExpression?

    public init(type: TableType, initializer: ConstExpression? = nil) {
        self.type = type
        self.initializer = initializer
    }
}

public struct GlobalDefinition: Hashable, Sendable {
    public var type: GlobalType
    public var initializer: ConstExpression

    public init(type: GlobalType, initializer: ConstExpression) {
        self.type = type
        self.initializer = initializer
    }
}

/// A constant expression: the instructions before its final `end`.
public struct ConstExpression: Hashable, Sendable {
    public var instructions: [Instruction]
    /// Offset of the first instruction in the module binary, for error messages.
    public var offset: Int

    public init(instructions: [Instruction], offset: Int = 0) {
        self.instructions = instructions
        self.offset = offset
    }
}

public struct ElementSegment: Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        case passive
        case active(table: UInt32, offset: ConstExpression)
        case declarative
    }

    public enum Items: Hashable, Sendable {
        /// Function indices (the `elemkind` encodings).
        case functions([UInt32])
        /// One constant expression per element.
        case expressions([ConstExpression])
    }

    public var type: RefType
    public var mode: Mode
    public var items: Items

    public init(type: RefType, mode: Mode, items: Items) {
        self.type = type
        self.mode = mode
        self.items = items
    }

    public var count: Int {
        switch items {
        case .functions(let f): return f.count
        case .expressions(let e): return e.count
        }
    }
}

public struct DataSegment: Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        case passive
        case active(memory: UInt32, offset: ConstExpression)
    }

    public var mode: Mode
    /// The bytes of the segment, as a range of `DecodedModule.bytes`.
    public var range: Range<Int>

    public init(mode: Mode, range: Range<Int>) {
        self.mode = mode
        self.range = range
    }
}

/// A function body: its local declarations and the range of its instructions.
public struct FunctionBody: Hashable, Sendable {
    /// Local declarations as (count, type) runs, as in the binary.
    public var locals: [LocalRun]
    /// The total number of declared locals (not counting parameters).
    public var localCount: Int
    /// The instructions, from just after the local declarations through the final `end`.
    public var range: Range<Int>

    public init(locals: [LocalRun], localCount: Int, range: Range<Int>) {
        self.locals = locals
        self.localCount = localCount
        self.range = range
    }
}

public struct LocalRun: Hashable, Sendable {
    public var count: UInt32
    public var type: ValueType

    public init(count: UInt32, type: ValueType) {
        self.count = count
        self.type = type
    }
}

public struct CustomSection: Hashable, Sendable {
    public var name: String
    /// The payload after the name, as a range of `DecodedModule.bytes`.
    public var range: Range<Int>

    public init(name: String, range: Range<Int>) {
        self.name = name
        self.range = range
    }
}

/// The `name` custom section.
public struct NameSection: Hashable, Sendable {
    public var moduleName: String?
    public var functionNames: [UInt32: String] = [:]
    public var localNames: [UInt32: [UInt32: String]] = [:]

    public init(moduleName: String? = nil) {
        self.moduleName = moduleName
    }
}

extension DecodedModule {
    /// The number of imported functions (they come first in the function index space).
    public var importedFunctionCount: Int {
        imports.reduce(0) { if case .function = $1.descriptor { return $0 + 1 } else { return $0 } }
    }

    public var importedGlobalCount: Int {
        imports.reduce(0) { if case .global = $1.descriptor { return $0 + 1 } else { return $0 } }
    }

    /// The type index of every function in the index space: imports, then definitions.
    public var functionTypeIndices: [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(importedFunctionCount + functions.count)
        for i in imports { if case .function(let t) = i.descriptor { result.append(t) } }
        result.append(contentsOf: functions)
        return result
    }

    /// Every table in the index space: imports, then definitions.
    public var allTables: [TableType] {
        var result: [TableType] = []
        for i in imports { if case .table(let t) = i.descriptor { result.append(t) } }
        result.append(contentsOf: tables.map(\.type))
        return result
    }

    /// Every memory in the index space: imports, then definitions.
    public var allMemories: [MemoryType] {
        var result: [MemoryType] = []
        for i in imports { if case .memory(let m) = i.descriptor { result.append(m) } }
        result.append(contentsOf: memories)
        return result
    }

    /// The type index of every tag in the index space: imports, then definitions.
    public var allTags: [UInt32] {
        var result: [UInt32] = []
        for i in imports { if case .tag(let t) = i.descriptor { result.append(t) } }
        result.append(contentsOf: tags)
        return result
    }

    /// Every global's type in the index space: imports, then definitions.
    public var allGlobals: [GlobalType] {
        var result: [GlobalType] = []
        for i in imports { if case .global(let g) = i.descriptor { result.append(g) } }
        result.append(contentsOf: globals.map(\.type))
        return result
    }
}
