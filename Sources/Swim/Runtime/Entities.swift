import SwimTypes

/// The runtime objects of a store. Each lives at a fixed address for the life of
/// its store, so translated code embeds pointers to them and handlers reach them
/// without ARC, without arrays and without going through the instance.

/// A function: defined in wasm, or a host function.
struct FunctionEntity {
    /// What runs on a call: the translated code, else the lazy-translation stub
    /// (`stub`), or the host-call trampoline.
    var code: Pc
    /// Slot index, from the callee's frame pointer, of the 3-slot frame header
    /// (return pc, caller's frame pointer, caller's memory).
    var headerSlot: Int
    /// Slots the frame may use from its frame pointer; checked against the stack limit on every call.
    var frameSlots: Int
    /// The memory 0 of the function's instance (an empty memory when it has none).
    var memory: UnsafeMutablePointer<MemoryEntity>
    /// The store-wide id of the function's type, for `call_indirect`.
    var typeID: UInt32
    var kind: Kind
    /// The instance that defined the function (unowned: the store keeps instances alive).
    var instance: Unmanaged<InstanceStorage>?
    /// Two code words [handler, entity address] that run the translator on the first call.
    var stub: (UInt64, UInt64) = (0, 0)

    enum Kind {
        /// The index of the function among its module's defined functions.
        case wasm(definedIndex: Int)
        /// The index of the host function in `StoreStorage.hostFunctions`.
        case host(index: Int)
    }
}

/// A linear memory. Its address space is reserved once, so `base` never moves.
struct MemoryEntity {
    var base: UnsafeMutableRawPointer
    /// The current size in bytes.
    var size: UInt64
    /// The largest size in pages that `memory.grow` may reach (the declared maximum, or the engine's limit).
    var maxPages: UInt64
    /// The bytes reserved (mapped PROT_NONE beyond `size`).
    var reserved: Int
    var type: MemoryType
}

/// A table of references. Null is 0; a funcref is the address of a `FunctionEntity`;
/// an externref is its host value plus one.
struct TableEntity {
    var elements: UnsafeMutablePointer<UInt64>
    var count: Int
    var capacity: Int
    var type: TableType
}

/// A global's value (two words so that a v128 fits) and type.
struct GlobalEntity {
    var value: (UInt64, UInt64)
    var type: GlobalType
}

/// An exception tag. Tags are told apart by address: every import of a tag is that tag.
struct TagEntity {
    /// The store-wide id of the tag's function type, whose parameters are the payload.
    var typeID: UInt32
    /// The payload's size in slots.
    var payloadSlots: Int
    /// How errors name the tag: its export name, or its index in the defining module.
    var name: String
}

/// A data segment of an instance: dropped segments have count 0.
struct DataSegmentEntity {
    var bytes: UnsafePointer<UInt8>?
    var count: Int
}

/// An element segment of an instance, evaluated at instantiation: dropped segments have count 0.
struct ElementSegmentEntity {
    var elements: UnsafeMutablePointer<UInt64>?
    var count: Int
}
