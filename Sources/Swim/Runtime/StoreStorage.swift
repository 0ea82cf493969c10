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
/// store is released, as in wasmtime.
final class StoreStorage {
    let engine: Engine

    private(set) var functions: [UnsafeMutablePointer<FunctionEntity>] = []
    private(set) var memories: [UnsafeMutablePointer<MemoryEntity>] = []
    private(set) var tables: [UnsafeMutablePointer<TableEntity>] = []
    private(set) var globals: [UnsafeMutablePointer<GlobalEntity>] = []
    private var dataSegments: [UnsafeMutablePointer<DataSegmentEntity>] = []
    private var elementSegments: [UnsafeMutablePointer<ElementSegmentEntity>] = []
    private var codeBuffers: [UnsafeMutableBufferPointer<UInt64>] = []
    /// Which function each code buffer holds, for trap locations.
    private var codeOwners: [(instance: Unmanaged<InstanceStorage>, function: Int)] = []
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
        for c in codeBuffers { c.deallocate() }
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
        let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        elements.initialize(repeating: initial, count: capacity)
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

    /// Copies the translated code of `function` (an index in its instance's function space)
    /// into a buffer that lives as long as the store.
    func installCode(_ words: [UInt64], instance: InstanceStorage, function: Int) -> UnsafeMutablePointer<UInt64> {
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(words.count, 1))
        buffer.initialize(from: words, count: words.count)
        codeBuffers.append(UnsafeMutableBufferPointer(start: buffer, count: words.count))
        codeOwners.append((Unmanaged.passUnretained(instance), function))
        return buffer
    }

    /// "in function NAME" for a pc inside translated code (a trap's location).
    func describeLocation(of pc: Pc) -> String? {
        for (i, buffer) in codeBuffers.enumerated() {
            guard let base = buffer.baseAddress, pc >= base, pc < base + buffer.count else { continue }
            let owner = codeOwners[i]
            let module = owner.instance.takeUnretainedValue().module
            if let name = module.functionName(owner.function) { return "in function \(owner.function) (\(name))" }
            return "in function \(owner.function)"
        }
        return nil
    }
}
