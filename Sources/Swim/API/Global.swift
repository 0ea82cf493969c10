/// A global variable.
public struct Global: @unchecked Sendable {
    let entity: GlobalRef
    let storage: StoreStorage

    init(entity: GlobalRef, store: StoreStorage) {
        self.entity = entity
        self.storage = store
    }

    /// Defines a global owned by the host, to be imported by modules.
    public init(store: Store, type: GlobalType, value: Value) throws {
        guard value.matches(type.valueType, in: store.storage) else {
            throw CallError("global value \(value) does not match type \(type.valueType)")
        }
        storage = store.storage
        entity = storage.allocateGlobal(type: type, value: try value.slotWords(in: storage))
    }

    public var type: GlobalType { entity.pointee.type }

    public var value: Value {
        var words = [entity.pointee.value.0, entity.pointee.value.1]
        return words.withUnsafeMutableBufferPointer { buffer in
            Value(slots: buffer.baseAddress.unsafelyUnwrapped, type: type.valueType, store: storage)
        }
    }

    /// Sets a mutable global; throws for an immutable one or a value of the wrong type.
    public func set(_ value: Value) throws {
        guard type.mutability == .variable else { throw CallError("global is immutable") }
        guard value.matches(type.valueType, in: storage) else {
            throw CallError("global value \(value) does not match type \(type.valueType)")
        }
        entity.pointee.value = try value.slotWords(in: storage)
    }
}
