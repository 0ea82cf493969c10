/// A linear memory. Reads and writes are bounds-checked.
public struct Memory: @unchecked Sendable {
    let entity: MemoryRef
    let storage: StoreStorage

    init(entity: MemoryRef, store: StoreStorage) {
        self.entity = entity
        self.storage = store
    }

    public var type: MemoryType { entity.pointee.type }

    /// The size in bytes.
    public var size: Int { Int(entity.pointee.size) }

    /// The size in 64 KiB pages.
    public var pages: Int { size / MemoryType.pageSize }

    /// Grows by `pages`; returns the old size in pages, or nil when it cannot grow.
    @discardableResult
    public func grow(by pages: Int) -> Int? {
        guard pages >= 0 else { return nil }
        let old = storage.growMemory(entity, by: UInt64(pages))
        return old == UInt64.max ? nil : Int(old)
    }

    /// Runs `body` on the memory's bytes. Don't keep the buffer: growing the memory
    /// doesn't move it, but the memory's size changes.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: entity.pointee.base, count: size))
    }

    /// Copies `count` bytes from `offset`; nil when out of bounds.
    public func read(at offset: Int, count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else { return nil }
        return Array(UnsafeRawBufferPointer(start: entity.pointee.base + offset, count: count))
    }

    /// Writes `bytes` at `offset`; false when out of bounds.
    @discardableResult
    public func write(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= size, bytes.count <= size - offset else { return false }
        bytes.withUnsafeBytes { (entity.pointee.base + offset).copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(entity.pointee.base), byteCount: $0.count) }
        return true
    }
}

extension Memory {
    /// Creates a memory owned by the host, to be imported by modules.
    public init(store: Store, type: MemoryType) throws {
        let storage = store.storage
        guard let entity = storage.createMemory(type: type)
        else { throw InstantiationError("cannot allocate a memory of \(type.limits.min) pages") }
        self.init(entity: entity, store: storage)
    }
}
