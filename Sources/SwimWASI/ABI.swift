/// The types and constants of `wasi_snapshot_preview1` (its witx), with their values and the
/// guest layouts of its structures.

/// File descriptor rights (witx `rights`, a u64 bit set).
public struct WASIRights: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let fdDatasync = WASIRights(rawValue: 1 << 0)
    public static let fdRead = WASIRights(rawValue: 1 << 1)
    public static let fdSeek = WASIRights(rawValue: 1 << 2)
    public static let fdFdstatSetFlags = WASIRights(rawValue: 1 << 3)
    public static let fdSync = WASIRights(rawValue: 1 << 4)
    public static let fdTell = WASIRights(rawValue: 1 << 5)
    public static let fdWrite = WASIRights(rawValue: 1 << 6)
    public static let fdAdvise = WASIRights(rawValue: 1 << 7)
    public static let fdAllocate = WASIRights(rawValue: 1 << 8)
    public static let pathCreateDirectory = WASIRights(rawValue: 1 << 9)
    public static let pathCreateFile = WASIRights(rawValue: 1 << 10)
    public static let pathLinkSource = WASIRights(rawValue: 1 << 11)
    public static let pathLinkTarget = WASIRights(rawValue: 1 << 12)
    public static let pathOpen = WASIRights(rawValue: 1 << 13)
    public static let fdReaddir = WASIRights(rawValue: 1 << 14)
    public static let pathReadlink = WASIRights(rawValue: 1 << 15)
    public static let pathRenameSource = WASIRights(rawValue: 1 << 16)
    public static let pathRenameTarget = WASIRights(rawValue: 1 << 17)
    public static let pathFilestatGet = WASIRights(rawValue: 1 << 18)
    public static let pathFilestatSetSize = WASIRights(rawValue: 1 << 19)
    public static let pathFilestatSetTimes = WASIRights(rawValue: 1 << 20)
    public static let fdFilestatGet = WASIRights(rawValue: 1 << 21)
    public static let fdFilestatSetSize = WASIRights(rawValue: 1 << 22)
    public static let fdFilestatSetTimes = WASIRights(rawValue: 1 << 23)
    public static let pathSymlink = WASIRights(rawValue: 1 << 24)
    public static let pathRemoveDirectory = WASIRights(rawValue: 1 << 25)
    public static let pathUnlinkFile = WASIRights(rawValue: 1 << 26)
    public static let pollFdReadwrite = WASIRights(rawValue: 1 << 27)
    public static let sockShutdown = WASIRights(rawValue: 1 << 28)
    public static let sockAccept = WASIRights(rawValue: 1 << 29)

    public static let all = WASIRights(rawValue: (1 << 30) - 1)

    /// What wasmtime grants a preopened directory itself.
    public static let preopenBase: WASIRights = [
        .pathCreateDirectory, .pathCreateFile, .pathLinkSource, .pathLinkTarget, .pathOpen, .fdReaddir,
        .pathReadlink, .pathRenameSource, .pathRenameTarget, .pathSymlink, .pathRemoveDirectory,
        .pathUnlinkFile, .pathFilestatGet, .pathFilestatSetTimes, .fdFilestatGet, .fdFilestatSetTimes,
    ]
    /// What wasmtime lets descriptors opened under a preopened directory have.
    public static let preopenInheriting: WASIRights = preopenBase.union([
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite, .fdAdvise,
        .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes, .pollFdReadwrite,
    ])
    /// Rights that make no sense on a directory.
    static let notForDirectories: WASIRights = [.fdSeek, .fdFilestatSetSize, .pathFilestatSetSize, .fdWrite, .fdAllocate]
    /// A listening socket handed to the guest.
    static let listeningSocket: WASIRights = [.sockAccept, .pollFdReadwrite, .fdFdstatSetFlags, .fdFilestatGet]
    /// A connection accepted from a listening socket.
    static let connectedSocket: WASIRights = [
        .fdRead, .fdWrite, .sockShutdown, .pollFdReadwrite, .fdFdstatSetFlags, .fdFilestatGet,
    ]
}

/// witx `filetype` (u8).
enum FileType: UInt8 {
    case unknown = 0, blockDevice, characterDevice, directory, regularFile, socketDgram, socketStream, symbolicLink
}

/// witx `fdflags` (u16).
enum FDFlags {
    static let append: UInt16 = 1, dsync: UInt16 = 2, nonblock: UInt16 = 4, rsync: UInt16 = 8, sync: UInt16 = 16
    static let all: UInt16 = 31
}

/// witx `oflags` (u16).
enum OFlags {
    static let creat: UInt16 = 1, directory: UInt16 = 2, excl: UInt16 = 4, trunc: UInt16 = 8
    static let all: UInt16 = 15
}

/// witx `lookupflags` (u32).
enum LookupFlags {
    static let symlinkFollow: UInt32 = 1
}

/// witx `fstflags` (u16).
enum FSTFlags {
    static let atim: UInt16 = 1, atimNow: UInt16 = 2, mtim: UInt16 = 4, mtimNow: UInt16 = 8
}

/// witx `clockid` (u32).
enum ClockID: UInt32 {
    case realtime = 0, monotonic, processCPUTime, threadCPUTime
}

/// witx `eventtype` (u8) and the flags of events and subscriptions.
enum EventType: UInt8 {
    case clock = 0, fdRead, fdWrite
}

enum EventRWFlags {
    static let hangup: UInt16 = 1
}

enum SubclockFlags {
    static let absoluteTime: UInt16 = 1
}

/// witx `riflags`, `roflags`, `sdflags`.
enum SocketFlags {
    static let recvPeek: UInt16 = 1, recvWaitall: UInt16 = 2
    static let recvDataTruncated: UInt16 = 1
    static let shutRead: UInt8 = 1, shutWrite: UInt8 = 2
}

/// Guest layouts (sizes and field offsets in bytes) of the structures WASI reads and writes.
enum Layout {
    static let iovecSize: UInt64 = 8
    static let fdstatSize: UInt64 = 24
    static let filestatSize: UInt64 = 64
    static let direntSize = 24
    static let prestatSize: UInt64 = 8
    static let subscriptionSize: UInt64 = 48
    static let eventSize: UInt64 = 32
}
