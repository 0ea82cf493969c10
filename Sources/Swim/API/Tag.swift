/// An exception tag (exception handling): what `catch` clauses match, and the types of
/// the values an exception of the tag carries (its `parameters`).
///
/// Tags are compared by identity: two modules that import one tag catch each other's
/// exceptions; two tags of the same type are still different tags. Get a module's tags
/// from its exports, or define one for the host with `init(store:parameters:name:)` and
/// give it to modules with `Linker.define`.
public struct Tag: Hashable, @unchecked Sendable {
    let entity: TagRef
    let storage: StoreStorage

    init(entity: TagRef, store: StoreStorage) {
        self.entity = entity
        self.storage = store
    }

    /// Defines a tag owned by the host. `name` is how uncaught exceptions name it.
    public init(store: Store, parameters: [ValueType], name: String = "host tag") {
        storage = store.storage
        entity = storage.allocateTag(type: FunctionType(parameters: parameters), name: name)
    }

    public static func == (a: Tag, b: Tag) -> Bool { a.entity == b.entity }
    public func hash(into hasher: inout Hasher) { hasher.combine(entity) }

    /// The types of an exception's payload.
    public var parameters: [ValueType] { storage.types[Int(entity.pointee.typeID)].parameters }

    /// The export name of the tag in the module that defined it (else "tag N"), or the
    /// name given to a host tag.
    public var name: String { entity.pointee.name }
}
