import SwimTypes

/// The spec's validation context C: the index spaces of a module and the lookups into
/// them.
///
/// Every "unknown ..." error comes from here, and so do the address types of memories
/// and tables, so that several memories and 64-bit addresses (Wasm 3.0) change these
/// lookups rather than every instruction rule.
///
/// A class, so that the function validator's many lookups pass one reference instead
/// of copying a struct of a dozen arrays.
final class ValidationContext: Sendable {
    let features: WasmFeatures
    let types: [FunctionType]
    /// For each type index, the first index of an equivalent type (see `canonicalIndices`).
    let canonicalTypeIndices: [UInt32]
    /// The signatures of `types`, with canonical type indices.
    let pool: SignaturePool
    /// The type index of every function: imports first, then definitions.
    let functionTypeIndices: [UInt32]
    let importedFunctionCount: Int
    let tables: [TableType]
    let memories: [MemoryType]
    let globals: [GlobalType]
    let importedGlobalCount: Int
    /// The type index of every tag: imports first, then definitions.
    let tags: [UInt32]
    /// The reference type of each element segment.
    let elementTypes: [RefType]
    let dataSegmentCount: Int
    /// C.refs: the functions that `ref.func` may name inside function bodies.
    let declaredFunctions: [Bool]

    init(module: DecodedModule, features: WasmFeatures) {
        self.features = features
        types = module.types
        let canonical = Self.canonicalIndices(of: module.types)
        canonicalTypeIndices = canonical
        func map(_ index: UInt32) -> UInt32 { Int(index) < canonical.count ? canonical[Int(index)] : index }
        pool = SignaturePool(module.types.map { $0.mappingTypeIndices(map) })
        functionTypeIndices = module.functionTypeIndices
        importedFunctionCount = module.importedFunctionCount
        tables = module.allTables.map { TableType(elementType: $0.elementType.mappingTypeIndices(map), limits: $0.limits) }
        memories = module.allMemories
        globals = module.allGlobals.map {
            GlobalType(mutability: $0.mutability, valueType: $0.valueType.mappingTypeIndices(map))
        }
        importedGlobalCount = module.importedGlobalCount
        tags = module.allTags
        elementTypes = module.elements.map { $0.type.mappingTypeIndices(map) }
        dataSegmentCount = module.data.count
        declaredFunctions = Self.declaredFunctions(of: module, functionCount: functionTypeIndices.count)
    }

    // MARK: Lookups

    func functionType(ofType index: UInt32, at offset: Int?) throws(ValidationError) -> FunctionType {
        let i = Int(index)
        guard i < types.count else { throw ValidationError("unknown type \(index)", offset: offset) }
        return types[i]
    }

    func signature(ofType index: UInt32, at offset: Int?) throws(ValidationError) -> Signature {
        guard let signature = pool.signature(index) else {
            throw ValidationError("unknown type \(index)", offset: offset)
        }
        return signature
    }

    func typeIndex(ofFunction index: UInt32, at offset: Int?) throws(ValidationError) -> UInt32 {
        let i = Int(index)
        guard i < functionTypeIndices.count else {
            throw ValidationError("unknown function \(index)", offset: offset)
        }
        return functionTypeIndices[i]
    }

    func signature(ofFunction index: UInt32, at offset: Int?) throws(ValidationError) -> Signature {
        try signature(ofType: try typeIndex(ofFunction: index, at: offset), at: offset)
    }

    func table(_ index: UInt32, at offset: Int?) throws(ValidationError) -> TableType {
        let i = Int(index)
        guard i < tables.count else { throw ValidationError("unknown table \(index)", offset: offset) }
        return tables[i]
    }

    func memory(_ index: UInt32, at offset: Int?) throws(ValidationError) -> MemoryType {
        let i = Int(index)
        guard i < memories.count else { throw ValidationError("unknown memory \(index)", offset: offset) }
        return memories[i]
    }

    func global(_ index: UInt32, at offset: Int?) throws(ValidationError) -> GlobalType {
        let i = Int(index)
        guard i < globals.count else { throw ValidationError("unknown global \(index)", offset: offset) }
        return globals[i]
    }

    func tagTypeIndex(_ index: UInt32, at offset: Int?) throws(ValidationError) -> UInt32 {
        let i = Int(index)
        guard i < tags.count else { throw ValidationError("unknown tag \(index)", offset: offset) }
        return tags[i]
    }

    /// The signature of a tag's type: its parameters are the exception's payload.
    func tagSignature(_ index: UInt32, at offset: Int?) throws(ValidationError) -> Signature {
        try signature(ofType: try tagTypeIndex(index, at: offset), at: offset)
    }

    func elementType(ofSegment index: UInt32, at offset: Int?) throws(ValidationError) -> RefType {
        let i = Int(index)
        guard i < elementTypes.count else {
            throw ValidationError("unknown elem segment \(index)", offset: offset)
        }
        return elementTypes[i]
    }

    func checkDataSegment(_ index: UInt32, at offset: Int?) throws(ValidationError) {
        guard Int(index) < dataSegmentCount else {
            throw ValidationError("unknown data segment \(index)", offset: offset)
        }
    }

    /// Whether `ref.func index` is allowed in a function body.
    func isDeclared(function index: UInt32) -> Bool {
        let i = Int(index)
        return i < declaredFunctions.count && declaredFunctions[i]
    }

    // MARK: Address types

    /// The type of addresses into a memory: i64 for a 64-bit memory (memory64), else i32.
    func addressType(of memory: MemoryType) -> OperandType {
        memory.limits.is64 ? .i64 : .i32
    }

    /// The type of indices into a table: i64 for a 64-bit table (table64), else i32.
    func addressType(of table: TableType) -> OperandType {
        table.limits.is64 ? .i64 : .i32
    }

    /// The type of a length spanning two address spaces (`memory.copy`, `table.copy`):
    /// i32 unless both are 64-bit.
    func commonAddressType(_ a: OperandType, _ b: OperandType) -> OperandType {
        a == .i64 && b == .i64 ? .i64 : .i32
    }

    // MARK: Types

    /// Type equivalence without GC: a type may only refer to types defined before it, so two
    /// function types are equivalent when they have the same shape and refer to equivalent
    /// types. Each index maps to the first index of its class; indices out of range (invalid
    /// modules, rejected later) map to themselves.
    private static func canonicalIndices(of types: [FunctionType]) -> [UInt32] {
        var canonical: [UInt32] = []
        canonical.reserveCapacity(types.count)
        var firstIndex: [FunctionType: UInt32] = [:]
        for (i, type) in types.enumerated() {
            let index = UInt32(truncatingIfNeeded: i)
            // A reference to this type or a later one is invalid ("unknown type"): keep it apart.
            let shape = type.mappingTypeIndices { $0 < index ? canonical[Int($0)] : UInt32.max }
            if let first = firstIndex[shape], !type.refersToOrBeyond(index) {
                canonical.append(first)
            } else {
                canonical.append(index)
                if !type.refersToOrBeyond(index) { firstIndex[shape] = index }
            }
        }
        return canonical
    }

    /// A type as the validator compares it: its type indices replaced by their canonical ones.
    func canonical(_ type: ValueType) -> ValueType {
        type.mappingTypeIndices(canonicalIndex)
    }

    func canonical(_ type: RefType) -> RefType {
        type.mappingTypeIndices(canonicalIndex)
    }

    func canonicalIndex(_ index: UInt32) -> UInt32 {
        Int(index) < canonicalTypeIndices.count ? canonicalTypeIndices[Int(index)] : index
    }

    /// The non-null reference to type `index` (the type of `ref.func` of a function of that type).
    func reference(toType index: UInt32) -> OperandType {
        OperandType(RefType(nullable: false, heapType: .index(canonicalIndex(index))))
    }

    /// Checks that a value type refers only to existing types (typed references).
    func checkValueType(_ type: ValueType, at offset: Int?) throws(ValidationError) {
        if case .ref(let ref) = type { try checkRefType(ref, at: offset) }
    }

    func checkRefType(_ type: RefType, at offset: Int?) throws(ValidationError) {
        if case .index(let i) = type.heapType, Int(i) >= types.count {
            throw ValidationError("unknown type \(i)", offset: offset)
        }
    }

    // MARK: Declared references

    /// C.refs: every function index that occurs in the module outside function bodies and
    /// the start section (exports, element segments, global and table initializers, offsets).
    private static func declaredFunctions(of module: DecodedModule, functionCount: Int) -> [Bool] {
        var declared = [Bool](repeating: false, count: functionCount)
        func mark(_ index: UInt32) {
            let i = Int(index)
            if i < declared.count { declared[i] = true }
        }
        func mark(_ expression: ConstExpression) {
            for case .refFunc(let f) in expression.instructions { mark(f) }
        }
        for export in module.exports {
            if case .function(let f) = export.descriptor { mark(f) }
        }
        for segment in module.elements {
            switch segment.items {
            case .functions(let functions): functions.forEach(mark)
            case .expressions(let expressions): expressions.forEach(mark)
            }
            if case .active(_, let offset) = segment.mode { mark(offset) }
        }
        for global in module.globals { mark(global.initializer) }
        for table in module.tables {
            if let initializer = table.initializer { mark(initializer) }
        }
        for segment in module.data {
            if case .active(_, let offset) = segment.mode { mark(offset) }
        }
        return declared
    }
}
