#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The calling instance's linear memory during one WASI call. Every guest pointer and length
/// is checked against the memory's size; out of bounds gives `fault`, never a crash. Values
/// are little-endian, and guest pointers need no alignment.
struct GuestMemory {
    let base: UnsafeMutableRawPointer?
    let size: UInt64

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress
        size = UInt64(buffer.count)
    }

    /// A memory of size zero, for a caller without one: every non-empty access faults.
    static var none: GuestMemory { GuestMemory(UnsafeMutableRawBufferPointer(start: nil, count: 0)) }

    /// Where an empty access lands when the caller has no memory: never read or written.
    nonisolated(unsafe) private static let nowhere = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)

    /// The host address of `count` guest bytes at `offset`.
    func pointer(_ offset: UInt32, _ count: UInt64) throws(WASIErrno) -> UnsafeMutableRawPointer {
        guard count <= UInt64(UInt32.max) + 1, UInt64(offset) + count <= size else { throw .fault }
        guard let base else { return GuestMemory.nowhere }  // size 0: only empty accesses at 0 get here
        return base + Int(offset)
    }

    func buffer(_ offset: UInt32, _ count: UInt32) throws(WASIErrno) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: try pointer(offset, UInt64(count)), count: Int(count))
    }

    func load8(_ offset: UInt32) throws(WASIErrno) -> UInt8 {
        try pointer(offset, 1).load(as: UInt8.self)
    }

    func load16(_ offset: UInt32) throws(WASIErrno) -> UInt16 {
        UInt16(littleEndian: try pointer(offset, 2).loadUnaligned(as: UInt16.self))
    }

    func load32(_ offset: UInt32) throws(WASIErrno) -> UInt32 {
        UInt32(littleEndian: try pointer(offset, 4).loadUnaligned(as: UInt32.self))
    }

    func load64(_ offset: UInt32) throws(WASIErrno) -> UInt64 {
        UInt64(littleEndian: try pointer(offset, 8).loadUnaligned(as: UInt64.self))
    }

    func store8(_ offset: UInt32, _ value: UInt8) throws(WASIErrno) {
        try pointer(offset, 1).storeBytes(of: value, as: UInt8.self)
    }

    func store16(_ offset: UInt32, _ value: UInt16) throws(WASIErrno) {
        try pointer(offset, 2).storeBytes(of: value.littleEndian, as: UInt16.self)
    }

    func store32(_ offset: UInt32, _ value: UInt32) throws(WASIErrno) {
        try pointer(offset, 4).storeBytes(of: value.littleEndian, as: UInt32.self)
    }

    func store64(_ offset: UInt32, _ value: UInt64) throws(WASIErrno) {
        try pointer(offset, 8).storeBytes(of: value.littleEndian, as: UInt64.self)
    }

    /// Copies `bytes` to guest memory at `offset`.
    func write<C: Collection>(_ bytes: C, at offset: UInt32) throws(WASIErrno) where C.Element == UInt8 {
        let target = try pointer(offset, UInt64(bytes.count))
        var p = target
        for b in bytes {
            p.storeBytes(of: b, as: UInt8.self)
            p += 1
        }
    }

    /// The guest string at `offset` (a path or a name): UTF-8 required (else `ilseq`), and no
    /// NUL byte (the host could not pass it on; `inval`).
    func string(_ offset: UInt32, _ length: UInt32) throws(WASIErrno) -> String {
        let bytes = UnsafeRawBufferPointer(try buffer(offset, length))
        if bytes.contains(0) { throw .inval }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw .ilseq }
        return s
    }

    /// The guest's array of `count` iovecs (or ciovecs) at `offset`, as host iovecs pointing
    /// into guest memory: every buffer is bounds-checked here. (Their total cannot exceed
    /// `readv`'s SSIZE_MAX: at most 2^29 entries fit in 4 GiB, each under 2^32 bytes.)
    func iovecs(_ offset: UInt32, _ count: UInt32) throws(WASIErrno) -> [iovec] {
        let array = try pointer(offset, UInt64(count) * Layout.iovecSize)
        var result: [iovec] = []
        result.reserveCapacity(Int(count))
        for i in 0..<Int(count) {
            let entry = array + i * Int(Layout.iovecSize)
            let buf = UInt32(littleEndian: entry.loadUnaligned(as: UInt32.self))
            let len = UInt32(littleEndian: entry.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            result.append(iovec(iov_base: try pointer(buf, UInt64(len)), iov_len: Int(len)))
        }
        return result
    }
}
