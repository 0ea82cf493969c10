#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One open WASI file descriptor: a host descriptor plus what the guest may do with it.
final class Descriptor {
    enum Kind: Equatable {
        case stdin, stdout, stderr
        case file
        case directory
        /// A socket handed to the guest, or accepted from one.
        case socket
    }

    var hostFD: Int32
    let kind: Kind
    var rightsBase: WASIRights
    var rightsInheriting: WASIRights
    /// The guest path of a preopened directory (what `fd_prestat_dir_name` returns).
    let preopenPath: String?
    /// Stdio descriptors belong to the embedder: closing them in the guest leaves them open.
    let ownsHostFD: Bool
    /// Stdio on a terminal: its filetype is then `character_device`, as in wasmtime.
    let isTerminal: Bool
    /// The entries `fd_readdir` serves cookies from: read when a listing starts (cookie 0).
    var listing: [DirectoryEntry]?

    init(hostFD: Int32, kind: Kind, rightsBase: WASIRights, rightsInheriting: WASIRights,
         preopenPath: String? = nil, ownsHostFD: Bool = true, isTerminal: Bool = false) {
        self.hostFD = hostFD
        self.kind = kind
        self.rightsBase = rightsBase
        self.rightsInheriting = rightsInheriting
        self.preopenPath = preopenPath
        self.ownsHostFD = ownsHostFD
        self.isTerminal = isTerminal
    }

    var isStdio: Bool { kind == .stdin || kind == .stdout || kind == .stderr }

    /// Fails with `notcapable` unless the descriptor has every right in `rights`.
    func require(_ rights: WASIRights) throws(WASIErrno) {
        if !rightsBase.isSuperset(of: rights) { throw .notcapable }
    }

    func closeHost() {
        if ownsHostFD && hostFD >= 0 { closeQuietly(hostFD) }
        hostFD = -1
    }
}

/// The guest's descriptor numbers. Numbers are allocated as wasmtime does: the highest
/// number freed by `fd_close` first, else one past the highest in use.
struct DescriptorTable {
    private var entries: [Descriptor?] = []
    /// Freed numbers below `entries.count`, ascending.
    private var freed: [UInt32] = []
    /// Far more than a host process may open; keeps the table's array small.
    static let limit = 1 << 20

    subscript(_ fd: UInt32) -> Descriptor? {
        Int(fd) < entries.count ? entries[Int(fd)] : nil
    }

    func get(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        guard let d = self[fd] else { throw .badf }
        return d
    }

    mutating func insert(_ descriptor: Descriptor) throws(WASIErrno) -> UInt32 {
        if let fd = freed.popLast() {
            entries[Int(fd)] = descriptor
            return fd
        }
        // Trailing closed slots are in `freed`, so the next number is the array's end.
        guard entries.count < DescriptorTable.limit else { throw .nfile }
        entries.append(descriptor)
        return UInt32(entries.count - 1)
    }

    /// Removes `fd` from the table and returns it (the caller closes the host descriptor).
    mutating func remove(_ fd: UInt32) throws(WASIErrno) -> Descriptor {
        let d = try get(fd)
        entries[Int(fd)] = nil
        let position = freed.firstIndex(where: { $0 > fd }) ?? freed.count
        freed.insert(fd, at: position)
        return d
    }

    /// `fd_renumber`: both numbers must be open; `to`'s descriptor is closed and replaced.
    mutating func renumber(from: UInt32, to: UInt32) throws(WASIErrno) {
        let replaced = try get(to)
        let source = try get(from)
        if from == to { return }
        replaced.closeHost()
        entries[Int(to)] = source
        _ = try remove(from)
    }

    /// Every open descriptor, for closing them all.
    var all: [Descriptor] { entries.compactMap { $0 } }

    mutating func removeAll() {
        entries = []
        freed = []
    }
}
