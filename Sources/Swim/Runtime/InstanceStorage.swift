import SwimTypes

/// The runtime state of an instantiated module: the addresses of its entities in
/// index-space order, and its exports.
final class InstanceStorage {
    let module: Module
    unowned let store: StoreStorage
    var functions: [UnsafeMutablePointer<FunctionEntity>] = []
    var tables: [UnsafeMutablePointer<TableEntity>] = []
    var memories: [UnsafeMutablePointer<MemoryEntity>] = []
    var globals: [UnsafeMutablePointer<GlobalEntity>] = []
    var tags: [UnsafeMutablePointer<TagEntity>] = []
    var dataSegments: [UnsafeMutablePointer<DataSegmentEntity>] = []
    var elementSegments: [UnsafeMutablePointer<ElementSegmentEntity>] = []
    var exports: [ExactName: ExternalEntity] = [:]

    init(module: Module, store: StoreStorage) {
        self.module = module
        self.store = store
    }

    /// Memory 0, or the store's empty memory.
    var memory0: UnsafeMutablePointer<MemoryEntity> {
        memories.first ?? store.emptyMemory
    }
}

/// An entity of a store, as imported or exported.
enum ExternalEntity {
    case function(UnsafeMutablePointer<FunctionEntity>)
    case table(UnsafeMutablePointer<TableEntity>)
    case memory(UnsafeMutablePointer<MemoryEntity>)
    case global(UnsafeMutablePointer<GlobalEntity>)
    case tag(UnsafeMutablePointer<TagEntity>)
}
