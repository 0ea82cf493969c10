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
    /// The store type id of each type index of the module.
    var typeIDs: [UInt32] = []

    init(module: Module, store: StoreStorage) {
        self.module = module
        self.store = store
    }

    /// A type of the module as the store sees it: type indices replaced by store type ids.
    func storeType(_ type: ValueType) -> ValueType {
        type.mappingTypeIndices { typeIDs[Int($0)] }
    }

    func storeType(_ type: RefType) -> RefType {
        type.mappingTypeIndices { typeIDs[Int($0)] }
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
