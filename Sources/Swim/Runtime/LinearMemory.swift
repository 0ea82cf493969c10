#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SwimTypes

/// Allocation of linear memories: the whole address range a memory may grow to is
/// reserved at creation (PROT_NONE, no backing store) and made accessible page by
/// page as it grows, so the base address never moves and untouched pages cost nothing.
///
/// What a memory may grow to, and so what it reserves, is the least of its declared maximum,
/// the engine's `maxMemoryPages` and the bytes the store's accountant has left. A 64-bit
/// memory's declared maximum (up to 2^48 pages) can't be reserved; these bounds keep its
/// reservation to what it could ever be allowed to use, so its base never moves either.
/// Accounting is the caller's: see `StoreStorage.createMemory` and `StoreStorage.growMemory`.
enum LinearMemory {
    static let pageSize = UInt64(MemoryType.pageSize)
    /// The most pages a reservation may span: 128 TiB, the user address space of x86-64 and
    /// arm64 Linux (and far beyond what the engine's limits allow by default).
    static let maxReservablePages: UInt64 = 1 << 31

    /// Creates a memory entity of `type`, growable to at most `limitPages`.
    static func allocate(type: MemoryType, limitPages: UInt64) -> UnsafeMutablePointer<MemoryEntity>? {
        let declaredMax = type.limits.max ?? (type.limits.is64 ? MemoryType.maxPages64 : MemoryType.maxPages32)
        let addressBound = type.limits.is64 ? maxReservablePages : MemoryType.maxPages32
        let maxPages = Swift.min(declaredMax, limitPages, addressBound)
        if type.limits.min > maxPages { return nil }
        // Reserve the address space (at least one OS page so that base is never null).
        let reserveBytes = Swift.max(Int(maxPages * pageSize), 4096)
        guard let base = mmap(nil, reserveBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              base != MAP_FAILED
        else { return nil }
        let initialBytes = Int(type.limits.min * pageSize)
        if initialBytes > 0 && mprotect(base, initialBytes, PROT_READ | PROT_WRITE) != 0 {
            munmap(base, reserveBytes)
            return nil
        }
        let entity = UnsafeMutablePointer<MemoryEntity>.allocate(capacity: 1)
        entity.initialize(to: MemoryEntity(
            base: base, size: UInt64(initialBytes), maxPages: maxPages, reserved: reserveBytes, type: type))
        return entity
    }

    /// An empty memory for instances that have none: handlers always have a valid base.
    static func allocateEmpty() -> UnsafeMutablePointer<MemoryEntity> {
        let entity = UnsafeMutablePointer<MemoryEntity>.allocate(capacity: 1)
        let base = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)
        entity.initialize(to: MemoryEntity(
            base: base, size: 0, maxPages: 0, reserved: 0, type: MemoryType(limits: Limits(min: 0, max: 0))))
        return entity
    }

    /// `memory.grow` within the reservation: returns the old size in pages, or -1 (as all
    /// ones) when it cannot grow. The accountant is asked first, by `StoreStorage.growMemory`.
    static func grow(_ memory: UnsafeMutablePointer<MemoryEntity>, by deltaPages: UInt64) -> UInt64 {
        let oldPages = memory.pointee.size / pageSize
        if deltaPages == 0 { return oldPages }
        let (newPages, overflow) = oldPages.addingReportingOverflow(deltaPages)
        if overflow || newPages > memory.pointee.maxPages { return UInt64.max }
        let oldBytes = Int(memory.pointee.size)
        let newBytes = Int(newPages * pageSize)
        if mprotect(memory.pointee.base + oldBytes, newBytes - oldBytes, PROT_READ | PROT_WRITE) != 0 {
            return UInt64.max
        }
        memory.pointee.size = UInt64(newBytes)
        return oldPages
    }

    static func deallocate(_ memory: UnsafeMutablePointer<MemoryEntity>) {
        if memory.pointee.reserved > 0 {
            munmap(memory.pointee.base, memory.pointee.reserved)
        } else {
            memory.pointee.base.deallocate()
        }
        memory.deinitialize(count: 1)
        memory.deallocate()
    }
}
