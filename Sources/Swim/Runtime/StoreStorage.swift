#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SwimTypes

/// Everything a store owns: its entities, translated code, the value stack, the
/// registry of function types and the host functions. All of it lives until the
/// store is released, as in wasmtime; exceptions alone are collected earlier (see
/// `ExceptionHeap`).
final class StoreStorage {
    let engine: Engine

    private(set) var functions: [UnsafeMutablePointer<FunctionEntity>] = []
    private(set) var memories: [UnsafeMutablePointer<MemoryEntity>] = []
    private(set) var tables: [UnsafeMutablePointer<TableEntity>] = []
    private(set) var globals: [UnsafeMutablePointer<GlobalEntity>] = []
    private var dataSegments: [UnsafeMutablePointer<DataSegmentEntity>] = []
    private var elementSegments: [UnsafeMutablePointer<ElementSegmentEntity>] = []
    private(set) var tags: [UnsafeMutablePointer<TagEntity>] = []
    /// Every translated function, by the address of its code (ascending): trap locations
    /// and the unwinder find a function from a pc.
    private var translatedCode: [TranslatedCode] = []
    /// The exceptions thrown in this store and still referenced.
    var exceptions = ExceptionHeap()
    /// Copies of passive data segments.
    var ownedBytes: [UnsafeMutablePointer<UInt8>] = []
    var instances: [InstanceStorage] = []

    var hostFunctions: [HostFunction] = []
    /// The error thrown by the last failing host function.
    var hostError: (any Error)?

    /// Function types, interned: equal types get the same id (the `call_indirect` check).
    /// A type index inside these types (`(ref $t)`) is the id of the referenced type, so
    /// equivalent types of different modules are equal here.
    private var typeIDs: [FunctionType: UInt32] = [:]
    private(set) var types: [FunctionType] = []

    /// The value stack, shared by every call on this store.
    let stack: UnsafeMutablePointer<UInt64>
    let stackSlots: Int
    private let stackBytes: Int
    /// Whether the stack is an mmap'ed region (else a heap allocation).
    private let stackIsMapped: Bool
    /// How deep calls from host functions back into wasm are nested right now.
    var activations = 0
    /// The first free slot for a new activation (above the frames of running calls).
    var stackTop: UnsafeMutablePointer<UInt64>

    /// Set to non-zero to interrupt running code (when the engine is interruptible).
    let interruptFlag: UnsafeMutablePointer<UInt8>
    /// Fuel left for the next calls, when the engine meters fuel.
    var fuel: Int64 = .max

    /// The bytes of all memories and tables, against the engine's `memoryLimit`.
    private(set) var accountant: MemoryAccountant

    /// An empty memory for instances that have none.
    let emptyMemory: UnsafeMutablePointer<MemoryEntity>

    /// Code words [halt] that the outermost frame returns to.
    let haltCode: UnsafeMutablePointer<UInt64>

    init(engine: Engine) {
        self.engine = engine
        accountant = MemoryAccountant(limit: engine.configuration.memoryLimit)
        stackBytes = engine.configuration.stackSize
        stackSlots = stackBytes / 8
        if let p = mmap(nil, stackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
           p != MAP_FAILED {
            stack = p.bindMemory(to: UInt64.self, capacity: stackSlots)
            stackIsMapped = true
        } else {
            // mmap only fails when address space is exhausted; fall back to the heap.
            stack = UnsafeMutablePointer<UInt64>.allocate(capacity: stackSlots)
            stackIsMapped = false
        }
        stackTop = stack
        interruptFlag = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        interruptFlag.initialize(to: 0)
        emptyMemory = LinearMemory.allocateEmpty()
        haltCode = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        haltCode.initialize(to: handlerWord(h_halt))
    }

    deinit {
        for f in functions { f.deinitialize(count: 1); f.deallocate() }
        for m in memories { LinearMemory.deallocate(m) }
        for t in tables { t.pointee.elements.deallocate(); t.deinitialize(count: 1); t.deallocate() }
        for g in globals { g.deinitialize(count: 1); g.deallocate() }
        for d in dataSegments { d.deinitialize(count: 1); d.deallocate() }
        for e in elementSegments { e.pointee.elements?.deallocate(); e.deinitialize(count: 1); e.deallocate() }
        for c in translatedCode { c.words.deallocate() }
        for t in tags { t.deinitialize(count: 1); t.deallocate() }
        exceptions.deallocateAll()
        for b in ownedBytes { b.deallocate() }
        if stackIsMapped { munmap(stack, stackBytes) } else { stack.deallocate() }
        interruptFlag.deallocate()
        LinearMemory.deallocate(emptyMemory)
        haltCode.deallocate()
    }

    // MARK: Types

    /// The id of a type whose type indices are already store type ids.
    func typeID(of type: FunctionType) -> UInt32 {
        if let id = typeIDs[type] { return id }
        let id = UInt32(types.count)
        types.append(type)
        typeIDs[type] = id
        return id
    }

    /// The store type id of each type of a module's type section. A type refers only to the
    /// types before it (validated), so their ids are known when it is interned.
    func internTypes(_ moduleTypes: [FunctionType]) -> [UInt32] {
        var ids: [UInt32] = []
        ids.reserveCapacity(moduleTypes.count)
        for type in moduleTypes {
            ids.append(typeID(of: type.mappingTypeIndices { Int($0) < ids.count ? ids[Int($0)] : $0 }))
        }
        return ids
    }

    // MARK: Allocation

    func allocateFunction(_ entity: FunctionEntity) -> UnsafeMutablePointer<FunctionEntity> {
        let p = UnsafeMutablePointer<FunctionEntity>.allocate(capacity: 1)
        p.initialize(to: entity)
        functions.append(p)
        return p
    }

    /// Creates a memory of `type`, its initial pages counted; nil when the limits or the
    /// accountant don't allow it, or its address space can't be reserved.
    func createMemory(type: MemoryType) -> UnsafeMutablePointer<MemoryEntity>? {
        let pageSize = LinearMemory.pageSize
        guard type.limits.min <= accountant.available / pageSize else { return nil }
        // The memory can never hold more than the bytes left now: reserve no more than that.
        let limitPages = Swift.min(engine.configuration.maxMemoryPages, accountant.available / pageSize)
        guard let memory = LinearMemory.allocate(type: type, limitPages: limitPages) else { return nil }
        let taken = accountant.take(memory.pointee.size)
        assert(taken, "the initial pages were checked against the accountant")
        memories.append(memory)
        return memory
    }

    /// `memory.grow` of a memory of this store: returns the old size in pages, or all ones
    /// when the memory or the accountant doesn't allow it.
    func growMemory(_ memory: UnsafeMutablePointer<MemoryEntity>, by deltaPages: UInt64) -> UInt64 {
        let pageSize = LinearMemory.pageSize
        guard deltaPages <= accountant.available / pageSize else { return UInt64.max }
        let bytes = deltaPages * pageSize
        guard accountant.take(bytes) else { return UInt64.max }
        let old = LinearMemory.grow(memory, by: deltaPages)
        if old == UInt64.max { accountant.give(bytes) }
        return old
    }

    /// Creates a table of `type` with its minimum of elements set to `initial`; nil when the
    /// engine's element limit or the accountant doesn't allow it.
    func allocateTable(type: TableType, initial: UInt64) -> UnsafeMutablePointer<TableEntity>? {
        guard type.limits.min <= UInt64(engine.configuration.maxTableElements) else { return nil }
        let count = Int(type.limits.min)
        let capacity = Swift.max(count, 1)
        guard accountant.take(UInt64(capacity) * 8) else { return nil }
        let elements: UnsafeMutablePointer<UInt64>
        if initial == 0, let zeroed = calloc(capacity, 8) {
            // Null elements: calloc leaves a large table's pages untouched until used.
            elements = zeroed.bindMemory(to: UInt64.self, capacity: capacity)
        } else {
            elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
            elements.initialize(repeating: initial, count: capacity)
        }
        let p = UnsafeMutablePointer<TableEntity>.allocate(capacity: 1)
        p.initialize(to: TableEntity(elements: elements, count: count, capacity: capacity, type: type))
        tables.append(p)
        return p
    }

    /// `table.grow`: adds `delta` elements set to `initial`; returns the old size, or all ones
    /// when the table's maximum, the engine's element limit or the accountant doesn't allow it.
    func growTable(_ table: UnsafeMutablePointer<TableEntity>, by delta: UInt64, initial: UInt64) -> UInt64 {
        let old = UInt64(table.pointee.count)
        let declaredMax = table.pointee.type.limits.max
            ?? (table.pointee.type.limits.is64 ? UInt64.max : UInt64(UInt32.max))
        let limit = Swift.min(declaredMax, UInt64(engine.configuration.maxTableElements))
        let (new, overflow) = old.addingReportingOverflow(delta)
        if overflow || new > limit { return UInt64.max }
        let newCount = Int(new)
        if newCount > table.pointee.capacity {
            // Double the capacity when the accountant allows it, else take just what is needed.
            let oldCapacity = table.pointee.capacity
            var capacity = Swift.max(newCount, oldCapacity * 2)
            if !accountant.take(UInt64(capacity - oldCapacity) * 8) {
                capacity = newCount
                guard accountant.take(UInt64(capacity - oldCapacity) * 8) else { return UInt64.max }
            }
            let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
            elements.initialize(from: table.pointee.elements, count: table.pointee.count)
            table.pointee.elements.deallocate()
            table.pointee.elements = elements
            table.pointee.capacity = capacity
        }
        (table.pointee.elements + table.pointee.count).initialize(repeating: initial, count: Int(delta))
        table.pointee.count = newCount
        return old
    }

    func allocateGlobal(type: GlobalType, value: (UInt64, UInt64)) -> UnsafeMutablePointer<GlobalEntity> {
        let p = UnsafeMutablePointer<GlobalEntity>.allocate(capacity: 1)
        p.initialize(to: GlobalEntity(value: value, type: type))
        globals.append(p)
        return p
    }

    func allocateTag(type: FunctionType, name: String) -> UnsafeMutablePointer<TagEntity> {
        let p = UnsafeMutablePointer<TagEntity>.allocate(capacity: 1)
        p.initialize(to: TagEntity(
            typeID: typeID(of: type), payloadSlots: type.parameters.reduce(0) { $0 + $1.slotCount }, name: name))
        tags.append(p)
        return p
    }

    func allocateDataSegment(bytes: UnsafePointer<UInt8>?, count: Int) -> UnsafeMutablePointer<DataSegmentEntity> {
        let p = UnsafeMutablePointer<DataSegmentEntity>.allocate(capacity: 1)
        p.initialize(to: DataSegmentEntity(bytes: bytes, count: count))
        dataSegments.append(p)
        return p
    }

    func allocateElementSegment(_ values: [UInt64]) -> UnsafeMutablePointer<ElementSegmentEntity> {
        var storage: UnsafeMutablePointer<UInt64>?
        if !values.isEmpty {
            let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: values.count)
            buffer.initialize(from: values, count: values.count)
            storage = buffer
        }
        let p = UnsafeMutablePointer<ElementSegmentEntity>.allocate(capacity: 1)
        p.initialize(to: ElementSegmentEntity(elements: storage, count: values.count))
        elementSegments.append(p)
        return p
    }

    /// Copies the translated code of defined function `definedIndex` of `instance` into a
    /// buffer that lives as long as the store.
    func installCode(_ output: Translator.Output, instance: InstanceStorage, definedIndex: Int) -> UnsafeMutablePointer<UInt64> {
        let words = output.code
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(words.count, 1))
        buffer.initialize(from: words, count: words.count)
        let size = instance.module.frameSizes[definedIndex]
        let record = TranslatedCode(
            words: UnsafeMutableBufferPointer(start: buffer, count: Swift.max(words.count, 1)),
            instance: Unmanaged.passUnretained(instance),
            function: instance.module.importedFunctionCount + definedIndex,
            headerSlot: size.headerSlot, frameSlots: size.frameSlots, handlers: output.handlers)
        let position = translatedCodeIndex(after: UnsafePointer(buffer))
        translatedCode.insert(record, at: position)
        return buffer
    }

    /// The translated function whose code contains `pc`.
    func translatedCode(containing pc: Pc) -> TranslatedCode? {
        let i = translatedCodeIndex(after: pc)
        guard i > 0 else { return nil }
        let candidate = translatedCode[i - 1]
        return candidate.contains(pc) ? candidate : nil
    }

    /// The number of translated functions whose code starts at or before `pc`.
    private func translatedCodeIndex(after pc: Pc) -> Int {
        var low = 0
        var high = translatedCode.count
        while low < high {
            let mid = low + (high - low) / 2
            if UnsafePointer(translatedCode[mid].words.baseAddress.unsafelyUnwrapped) <= pc { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// "in function NAME" for a pc inside translated code (a trap's location).
    func describeLocation(of pc: Pc) -> String? {
        guard let code = translatedCode(containing: pc) else { return nil }
        let module = code.instance.takeUnretainedValue().module
        if let name = module.functionName(code.function) { return "in function \(code.function) (\(name))" }
        return "in function \(code.function)"
    }
}

/// The code of one translated function and what the unwinder needs to know about it.
struct TranslatedCode {
    let words: UnsafeMutableBufferPointer<UInt64>
    let instance: Unmanaged<InstanceStorage>
    /// The function's index in its instance's function space.
    let function: Int
    /// The slot of the frame header, and the slots the frame may use, from its frame pointer.
    let headerSlot: Int
    let frameSlots: Int
    let handlers: HandlerTable

    func contains(_ pc: Pc) -> Bool {
        guard let base = words.baseAddress else { return false }
        return pc >= UnsafePointer(base) && pc < UnsafePointer(base + words.count)
    }

    /// The position of `pc` in the code, in words.
    func position(of pc: Pc) -> Int {
        pc - UnsafePointer(words.baseAddress.unsafelyUnwrapped)
    }
}
