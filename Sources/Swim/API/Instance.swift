/// An instantiated module. It keeps its store alive.
public struct Instance: @unchecked Sendable {
    let storage: InstanceStorage
    /// Held strongly: an instance's store owns everything the instance uses.
    private let store: StoreStorage

    init(storage: InstanceStorage) {
        self.storage = storage
        self.store = storage.store
    }

    /// Every export by name.
    public var exports: [String: Extern] {
        var result: [String: Extern] = [:]
        for (name, entity) in storage.exports { result[name.string] = Extern(entity, store: storage.store) }
        return result
    }

    public func export(_ name: String) -> Extern? {
        storage.exports[ExactName(name)].map { Extern($0, store: storage.store) }
    }

    public func function(_ name: String) -> Function? {
        if case .function(let f)? = storage.exports[ExactName(name)] { return Function(entity: f, store: storage.store) }
        return nil
    }

    public func memory(_ name: String) -> Memory? {
        if case .memory(let m)? = storage.exports[ExactName(name)] { return Memory(entity: m, store: storage.store) }
        return nil
    }

    public func table(_ name: String) -> Table? {
        if case .table(let t)? = storage.exports[ExactName(name)] { return Table(entity: t, store: storage.store) }
        return nil
    }

    public func global(_ name: String) -> Global? {
        if case .global(let g)? = storage.exports[ExactName(name)] { return Global(entity: g, store: storage.store) }
        return nil
    }

    public func tag(_ name: String) -> Tag? {
        if case .tag(let t)? = storage.exports[ExactName(name)] { return Tag(entity: t, store: storage.store) }
        return nil
    }
}

/// Resolves imports by module and field name, and instantiates modules.
public struct Linker {
    private var definitions: [ExactName: [ExactName: Extern]] = [:]

    public init() {}

    public mutating func define(_ module: String, _ name: String, _ value: Extern) {
        definitions[ExactName(module), default: [:]][ExactName(name)] = value
    }

    /// Defines every export of `instance` under the module name `module` (the spec's `register`).
    public mutating func define(_ module: String, instance: Instance) {
        for (name, entity) in instance.storage.exports {
            definitions[ExactName(module), default: [:]][name] = Extern(entity, store: instance.storage.store)
        }
    }

    /// Defines a host function.
    public mutating func defineFunction(_ module: String, _ name: String, store: Store, type: FunctionType,
                                        body: @escaping (Caller, [Value]) throws -> [Value]) {
        define(module, name, .function(Function(store: store, type: type, body: body)))
    }

    public func resolve(_ module: String, _ name: String) -> Extern? {
        definitions[ExactName(module)]?[ExactName(name)]
    }

    /// Instantiates `module` in `store`: resolves its imports, initializes its tables and
    /// memories, and runs its start function. Throws `InstantiationError` when an import
    /// is missing or has the wrong type, and `Trap` when initialization traps.
    public func instantiate(_ module: Module, in store: Store) throws -> Instance {
        var imports: [ExternalEntity] = []
        for i in module.parsed.imports {
            guard let value = resolve(i.module, i.name) else {
                throw InstantiationError("unknown import: \(i.module).\(i.name)")
            }
            guard value.storage === store.storage else {
                throw InstantiationError("import \(i.module).\(i.name) belongs to another store")
            }
            imports.append(value.entity)
        }
        return Instance(storage: try store.storage.instantiate(module, imports: imports))
    }
}
