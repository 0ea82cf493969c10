/// A table of references.
public struct Table: @unchecked Sendable {
    let entity: TableRef
    let storage: StoreStorage

    init(entity: TableRef, store: StoreStorage) {
        self.entity = entity
        self.storage = store
    }

    public var type: TableType { entity.pointee.type }

    public var count: Int { entity.pointee.count }

    /// The element at `index`, or nil when out of bounds.
    public subscript(index: Int) -> Value? {
        guard index >= 0, index < entity.pointee.count else { return nil }
        return Value(slots: entity.pointee.elements + index, type: .ref(type.elementType), store: storage)
    }

    /// Sets the element at `index`; false when out of bounds or of the wrong type.
    @discardableResult
    public func set(_ index: Int, _ value: Value) -> Bool {
        guard index >= 0, index < entity.pointee.count, value.matches(.ref(type.elementType), in: storage) else { return false }
        entity.pointee.elements[index] = value.slotWords.0
        return true
    }
}

extension Table {
    /// Creates a table owned by the host, its elements set to null: its element type must be
    /// nullable. (Type indices in `type` are the store's type ids, as in `Function.type`.)
    public init(store: Store, type: TableType) throws {
        guard type.elementType.nullable else {
            throw InstantiationError("a table of non-nullable \(type.elementType) cannot start with null elements")
        }
        guard let entity = store.storage.allocateTable(type: type, initial: 0) else {
            throw InstantiationError("cannot allocate a table of \(type.limits.min) elements")
        }
        self.init(entity: entity, store: store.storage)
    }
}
