import SwimTypes

/// The module-level rules: everything outside function bodies.
///
/// Module-level constructs carry no byte offsets in `DecodedModule`, so their errors say where
/// they are by index instead ("in import 2", "in export \"main\""); constant expressions
/// do carry an offset.
struct ModuleValidator {
    let module: DecodedModule
    let context: ValidationContext
    var constants: ConstExpressionValidator

    var features: WasmFeatures { context.features }

    /// The globals a table initializer may read: the imported ones.
    var tableInitializerGlobalCount: Int { context.importedGlobalCount }

    /// The globals the initializer of defined global `index` may read. Wasm 2.0 allows only
    /// imported ones; Wasm 3.0 adds the globals defined before it (the spec validates globals in
    /// order, each in the context of those before). wasm-tools counts this as part of GC, which
    /// Swim does not implement yet: it comes with the 3.0 constant expressions, `extendedConst`.
    func constantGlobalCount(forGlobal index: Int) -> Int {
        features.contains(.extendedConst) ? context.importedGlobalCount + index : context.importedGlobalCount
    }

    /// The globals an element or data segment may read: in Wasm 3.0 all of them (segments are
    /// validated in the module's full context), in 2.0 the imported ones.
    var segmentGlobalCount: Int {
        features.contains(.extendedConst) ? context.globals.count : context.importedGlobalCount
    }

    init(module: DecodedModule, context: ValidationContext) {
        self.module = module
        self.context = context
        constants = ConstExpressionValidator(context: context)
    }

    mutating func validate() throws(ValidationError) {
        try validateTypes()
        try validateImports()
        try validateFunctionDeclarations()
        try validateTables()
        try validateMemories()
        try validateGlobals()
        try validateElements()
        try validateData()
        try validateStart()
        try validateExports()
    }

    func validateTypes() throws(ValidationError) {
        for (index, type) in module.types.enumerated() {
            // Without GC's recursive groups, a type refers only to the types defined before it.
            if type.refersToOrBeyond(UInt32(truncatingIfNeeded: index)) {
                let referenced = (type.parameters + type.results).compactMap(\.referencedTypeIndex).max() ?? 0
                throw ValidationError("unknown type \(referenced) in type \(index)")
            }
            if type.results.count > 1 && !features.contains(.multiValue) {
                throw ValidationError("invalid result arity: type \(index) has several results without multi-value")
            }
        }
    }

    func validateImports() throws(ValidationError) {
        for (index, entry) in module.imports.enumerated() {
            let location = "in import \(index) (\(entry.module).\(entry.name))"
            switch entry.descriptor {
            case .function(let type):
                guard Int(type) < module.types.count else { throw ValidationError("unknown type \(type) \(location)") }
            case .table(let table):
                try validate(table, location)
            case .memory(let memory):
                try validate(memory, location)
            case .global(let global):
                try context.checkValueType(global.valueType, at: nil)
                if global.mutability == .variable && !features.contains(.mutableGlobals) {
                    throw ValidationError("mutable globals cannot be imported \(location)")
                }
            case .tag(let type):
                try validateTag(type, location)
            }
        }
    }

    func validateFunctionDeclarations() throws(ValidationError) {
        for (index, type) in module.functions.enumerated() where Int(type) >= module.types.count {
            throw ValidationError("unknown type \(type) in function \(context.importedFunctionCount + index)")
        }
        for (index, type) in module.tags.enumerated() {
            try validateTag(type, "in tag \(index)")
        }
    }

    /// An exception tag's type must exist and return nothing (Wasm 3.0).
    private func validateTag(_ type: UInt32, _ location: String) throws(ValidationError) {
        let functionType = try context.functionType(ofType: type, at: nil)
        guard functionType.results.isEmpty else {
            throw ValidationError("non-empty tag result type \(location)")
        }
    }

    mutating func validateTables() throws(ValidationError) {
        for (index, table) in module.tables.enumerated() {
            let location = "in table \(context.tables.count - module.tables.count + index)"
            try validate(table.type, location)
            if let initializer = table.initializer {
                try constants.validate(
                    initializer, type: .ref(context.canonical(table.type.elementType)),
                    visibleGlobals: tableInitializerGlobalCount)
            } else if !table.type.elementType.nullable {
                throw ValidationError(
                    "type mismatch: a table of non-nullable references needs an initializer \(location)")
            }
        }
        if context.tables.count > 1 && !features.contains(.referenceTypes) {
            throw ValidationError("multiple tables")
        }
    }

    func validateMemories() throws(ValidationError) {
        for (index, memory) in module.memories.enumerated() {
            try validate(memory, "in memory \(context.memories.count - module.memories.count + index)")
        }
        if context.memories.count > 1 && !features.contains(.multiMemory) {
            throw ValidationError("multiple memories")
        }
    }

    mutating func validateGlobals() throws(ValidationError) {
        for (index, global) in module.globals.enumerated() {
            try context.checkValueType(global.type.valueType, at: global.initializer.offset)
            try constants.validate(
                global.initializer, type: context.canonical(global.type.valueType),
                visibleGlobals: constantGlobalCount(forGlobal: index))
        }
    }

    func validateStart() throws(ValidationError) {
        guard let start = module.start else { return }
        let type = try context.functionType(ofType: try context.typeIndex(ofFunction: start, at: nil), at: nil)
        guard type.parameters.isEmpty && type.results.isEmpty else {
            throw ValidationError("start function must not have parameters or results: function \(start) is \(type)")
        }
    }

    func validateExports() throws(ValidationError) {
        // Names are compared as bytes: Swift's `String ==` would equate canonically
        // equivalent Unicode spellings, which are distinct names in WebAssembly.
        var names = Set<[UInt8]>()
        names.reserveCapacity(module.exports.count)
        for export in module.exports {
            let location = "in export \"\(export.name)\""
            do throws(ValidationError) {
                switch export.descriptor {
                case .function(let index): _ = try context.typeIndex(ofFunction: index, at: nil)
                case .table(let index): _ = try context.table(index, at: nil)
                case .memory(let index): _ = try context.memory(index, at: nil)
                case .global(let index):
                    let global = try context.global(index, at: nil)
                    if global.mutability == .variable && !features.contains(.mutableGlobals) {
                        throw ValidationError("mutable globals cannot be exported")
                    }
                case .tag(let index): _ = try context.tagTypeIndex(index, at: nil)
                }
            } catch {
                throw ValidationError("\(error.message) \(location)")
            }
            guard names.insert(Array(export.name.utf8)).inserted else {
                throw ValidationError("duplicate export name \"\(export.name)\"")
            }
        }
    }
}
