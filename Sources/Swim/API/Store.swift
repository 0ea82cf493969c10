/// Owns instances and everything they create. Everything in a store lives until the
/// store is released. A store is not thread-safe: use it from one thread at a time
/// (`interrupt()` excepted).
public final class Store: @unchecked Sendable {
    let storage: StoreStorage

    public init(engine: Engine) {
        storage = StoreStorage(engine: engine)
    }

    public var engine: Engine { storage.engine }

    /// Asks running code to stop with `Trap.interrupted`. Safe from any thread;
    /// takes effect when the engine is `interruptible`. Cleared by `resetInterrupt()`.
    public func interrupt() {
        storage.interruptFlag.pointee = 1
    }

    public func resetInterrupt() {
        storage.interruptFlag.pointee = 0
    }

    /// Fuel for later calls on an interruptible engine: each function entry and loop
    /// iteration burns one unit; at zero, execution stops with `Trap.outOfFuel`.
    public var fuel: Int64 {
        get { storage.fuel }
        set { storage.fuel = newValue }
    }

    /// Frees the GC objects (structs, arrays, exceptions) nothing refers to any more. The store
    /// collects by itself as wasm code allocates; this is for hosts that want the memory back
    /// now. Call it from the host, not while a raw host function holds references in its slots.
    public func collectGarbage() {
        storage.collectGarbage(runningAt: nil, nil)
    }

    /// The definition of store type `id` (as in `GCObject.typeID` and typed references in
    /// `Function.type`), with the type indices in it store ids too; nil for an unknown id.
    public func definedType(_ id: UInt32) -> DefinedType? {
        Int(id) < storage.types.definitions.count ? storage.types.definitions[Int(id)] : nil
    }

    /// What the store's GC heap holds now, and how often it was collected.
    public var gcHeap: GCHeapStatistics {
        GCHeapStatistics(objects: storage.heap.objectCount, bytes: storage.heap.bytes,
                         collections: storage.heap.collections)
    }
}

/// The state of a store's GC heap.
public struct GCHeapStatistics: Sendable, Hashable {
    /// The structs, arrays, exceptions and host value boxes allocated and not freed yet.
    public var objects: Int
    /// Their bytes, as counted against the engine's memory limit.
    public var bytes: UInt64
    /// How many collections have run.
    public var collections: Int
}
