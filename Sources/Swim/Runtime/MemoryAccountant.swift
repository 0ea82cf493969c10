/// The one count of the bytes a store's memories and tables hold, against the engine's
/// `memoryLimit`. Every creation and growth of a memory or table asks it first: over the
/// limit, a grow fails (-1) and an instantiation throws, so a guest can never make the
/// host abort or the kernel's OOM killer act on its behalf.
///
/// A memory counts its accessible pages (reserved address space is free until touched);
/// a table counts its allocated element capacity at 8 bytes an element.
struct MemoryAccountant {
    /// The most bytes the store may hold.
    let limit: UInt64
    /// The bytes held now.
    private(set) var used: UInt64 = 0

    init(limit: UInt64) {
        self.limit = limit
    }

    /// The bytes still available.
    var available: UInt64 { limit - used }

    /// Takes `bytes` from what is available; false (and nothing taken) when they don't fit.
    mutating func take(_ bytes: UInt64) -> Bool {
        guard bytes <= available else { return false }
        used += bytes
        return true
    }

    /// Gives back `bytes` taken earlier (a growth that failed after all).
    mutating func give(_ bytes: UInt64) {
        precondition(bytes <= used, "giving back more bytes than were taken")
        used -= bytes
    }
}
