/// An entity that can be imported or exported.
public enum Extern: @unchecked Sendable {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    /// An exception tag (exception handling).
    case tag(Tag)

    var storage: StoreStorage {
        switch self {
        case .function(let f): return f.storage
        case .table(let t): return t.storage
        case .memory(let m): return m.storage
        case .global(let g): return g.storage
        case .tag(let t): return t.storage
        }
    }

    init(_ entity: ExternalEntity, store: StoreStorage) {
        switch entity {
        case .function(let f): self = .function(Function(entity: f, store: store))
        case .table(let t): self = .table(Table(entity: t, store: store))
        case .memory(let m): self = .memory(Memory(entity: m, store: store))
        case .global(let g): self = .global(Global(entity: g, store: store))
        case .tag(let t): self = .tag(Tag(entity: t, store: store))
        }
    }

    var entity: ExternalEntity {
        switch self {
        case .function(let f): return .function(f.entity)
        case .table(let t): return .table(t.entity)
        case .memory(let m): return .memory(m.entity)
        case .global(let g): return .global(g.entity)
        case .tag(let t): return .tag(t.entity)
        }
    }
}
