#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The error codes of `wasi_snapshot_preview1` (witx `errno`, a u16). Every WASI function
/// returns one; host failures are mapped here and never trap.
public enum WASIErrno: UInt16, Error, Sendable, CaseIterable {
    case success = 0
    case toobig, acces, addrinuse, addrnotavail, afnosupport, again, already, badf, badmsg
    case busy, canceled, child, connaborted, connrefused, connreset, deadlk, destaddrreq, dom, dquot
    case exist, fault, fbig, hostunreach, idrm, ilseq, inprogress, intr, inval, io
    case isconn, isdir, loop, mfile, mlink, msgsize, multihop, nametoolong, netdown, netreset
    case netunreach, nfile, nobufs, nodev, noent, noexec, nolck, nolink, nomem, nomsg
    case noprotoopt, nospc, nosys, notconn, notdir, notempty, notrecoverable, notsock, notsup, notty
    case nxio, overflow, ownerdead, perm, pipe, proto, protonosupport, prototype, range, rofs
    case spipe, srch, stale, timedout, txtbsy, xdev, notcapable

    /// The WASI errno for a Linux errno value. Values with no WASI counterpart become `io`.
    public init(hostErrno code: Int32) {
        switch code {
        case 0: self = .success
        case E2BIG: self = .toobig
        case EACCES: self = .acces
        case EADDRINUSE: self = .addrinuse
        case EADDRNOTAVAIL: self = .addrnotavail
        case EAFNOSUPPORT: self = .afnosupport
        case EAGAIN: self = .again
        case EALREADY: self = .already
        case EBADF: self = .badf
        case EBADMSG: self = .badmsg
        case EBUSY: self = .busy
        case ECANCELED: self = .canceled
        case ECHILD: self = .child
        case ECONNABORTED: self = .connaborted
        case ECONNREFUSED: self = .connrefused
        case ECONNRESET: self = .connreset
        case EDEADLK: self = .deadlk
        case EDESTADDRREQ: self = .destaddrreq
        case EDOM: self = .dom
        case EDQUOT: self = .dquot
        case EEXIST: self = .exist
        case EFAULT: self = .fault
        case EFBIG: self = .fbig
        case EHOSTUNREACH, EHOSTDOWN: self = .hostunreach
        case EIDRM: self = .idrm
        case EILSEQ: self = .ilseq
        case EINPROGRESS: self = .inprogress
        case EINTR: self = .intr
        case EINVAL: self = .inval
        case EIO: self = .io
        case EISCONN: self = .isconn
        case EISDIR: self = .isdir
        case ELOOP: self = .loop
        case EMFILE: self = .mfile
        case EMLINK: self = .mlink
        case EMSGSIZE: self = .msgsize
        case EMULTIHOP: self = .multihop
        case ENAMETOOLONG: self = .nametoolong
        case ENETDOWN: self = .netdown
        case ENETRESET: self = .netreset
        case ENETUNREACH: self = .netunreach
        case ENFILE: self = .nfile
        case ENOBUFS: self = .nobufs
        case ENODEV: self = .nodev
        case ENOENT: self = .noent
        case ENOEXEC: self = .noexec
        case ENOLCK: self = .nolck
        case ENOLINK: self = .nolink
        case ENOMEM: self = .nomem
        case ENOMSG: self = .nomsg
        case ENOPROTOOPT: self = .noprotoopt
        case ENOSPC: self = .nospc
        case ENOSYS: self = .nosys
        case ENOTCONN: self = .notconn
        case ENOTDIR: self = .notdir
        case ENOTEMPTY: self = .notempty
        case ENOTRECOVERABLE: self = .notrecoverable
        case ENOTSOCK: self = .notsock
        case EOPNOTSUPP, ESOCKTNOSUPPORT, EPFNOSUPPORT: self = .notsup  // ENOTSUP == EOPNOTSUPP on Linux
        case ENOTTY: self = .notty
        case ENXIO: self = .nxio
        case EOVERFLOW: self = .overflow
        case EOWNERDEAD: self = .ownerdead
        case EPERM: self = .perm
        case EPIPE, ESHUTDOWN: self = .pipe
        case EPROTO: self = .proto
        case EPROTONOSUPPORT: self = .protonosupport
        case EPROTOTYPE: self = .prototype
        case ERANGE: self = .range
        case EROFS: self = .rofs
        case ESPIPE: self = .spipe
        case ESRCH: self = .srch
        case ESTALE: self = .stale
        case ETIMEDOUT: self = .timedout
        case ETXTBSY: self = .txtbsy
        case EXDEV: self = .xdev
        default: self = .io
        }
    }

    /// The errno of the last failed Glibc call.
    static var last: WASIErrno { WASIErrno(hostErrno: errno) }
}

extension WASIErrno: CustomStringConvertible {
    /// The witx name ("badf", "noent", ...), as in wasi-libc's `__WASI_ERRNO_*` constants.
    public var description: String { WASIErrno.names[Int(rawValue)] }

    private static let names: [String] = [
        "success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport", "again", "already", "badf",
        "badmsg", "busy", "canceled", "child", "connaborted", "connrefused", "connreset", "deadlk",
        "destaddrreq", "dom", "dquot", "exist", "fault", "fbig", "hostunreach", "idrm", "ilseq",
        "inprogress", "intr", "inval", "io", "isconn", "isdir", "loop", "mfile", "mlink", "msgsize",
        "multihop", "nametoolong", "netdown", "netreset", "netunreach", "nfile", "nobufs", "nodev", "noent",
        "noexec", "nolck", "nolink", "nomem", "nomsg", "noprotoopt", "nospc", "nosys", "notconn", "notdir",
        "notempty", "notrecoverable", "notsock", "notsup", "notty", "nxio", "overflow", "ownerdead", "perm",
        "pipe", "proto", "protonosupport", "prototype", "range", "rofs", "spipe", "srch", "stale",
        "timedout", "txtbsy", "xdev", "notcapable"
    ]
}
