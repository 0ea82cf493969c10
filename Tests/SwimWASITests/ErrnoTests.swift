#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
@testable import SwimWASI

@Suite struct ErrnoTests {
    /// The witx numbering: a few anchors pin the whole sequence.
    @Test func values() {
        #expect(WASIErrno.success.rawValue == 0)
        #expect(WASIErrno.toobig.rawValue == 1)
        #expect(WASIErrno.badf.rawValue == 8)
        #expect(WASIErrno.fault.rawValue == 21)
        #expect(WASIErrno.inval.rawValue == 28)
        #expect(WASIErrno.noent.rawValue == 44)
        #expect(WASIErrno.notdir.rawValue == 54)
        #expect(WASIErrno.perm.rawValue == 63)
        #expect(WASIErrno.xdev.rawValue == 75)
        #expect(WASIErrno.notcapable.rawValue == 76)
        #expect(WASIErrno.allCases.count == 77)
        #expect(WASIErrno.allCases.enumerated().allSatisfy { $0.offset == Int($0.element.rawValue) })
    }

    @Test func names() {
        #expect(WASIErrno.toobig.description == "2big")
        #expect(WASIErrno.noent.description == "noent")
        #expect(WASIErrno.notcapable.description == "notcapable")
    }

    /// Every Linux errno with a WASI counterpart maps to it by name.
    @Test(arguments: [
        (EPERM, WASIErrno.perm), (ENOENT, .noent), (ESRCH, .srch), (EINTR, .intr), (EIO, .io),
        (ENXIO, .nxio), (E2BIG, .toobig), (ENOEXEC, .noexec), (EBADF, .badf), (ECHILD, .child),
        (EAGAIN, .again), (EWOULDBLOCK, .again), (ENOMEM, .nomem), (EACCES, .acces), (EFAULT, .fault),
        (EBUSY, .busy), (EEXIST, .exist), (EXDEV, .xdev), (ENODEV, .nodev), (ENOTDIR, .notdir),
        (EISDIR, .isdir), (EINVAL, .inval), (ENFILE, .nfile), (EMFILE, .mfile), (ENOTTY, .notty),
        (ETXTBSY, .txtbsy), (EFBIG, .fbig), (ENOSPC, .nospc), (ESPIPE, .spipe), (EROFS, .rofs),
        (EMLINK, .mlink), (EPIPE, .pipe), (EDOM, .dom), (ERANGE, .range), (EDEADLK, .deadlk),
        (ENAMETOOLONG, .nametoolong), (ENOLCK, .nolck), (ENOSYS, .nosys), (ENOTEMPTY, .notempty),
        (ELOOP, .loop), (ENOMSG, .nomsg), (EIDRM, .idrm), (ENOLINK, .nolink), (EPROTO, .proto),
        (EMULTIHOP, .multihop), (EBADMSG, .badmsg), (EOVERFLOW, .overflow), (EILSEQ, .ilseq),
        (ENOTSOCK, .notsock), (EDESTADDRREQ, .destaddrreq), (EMSGSIZE, .msgsize), (EPROTOTYPE, .prototype),
        (ENOPROTOOPT, .noprotoopt), (EPROTONOSUPPORT, .protonosupport), (EOPNOTSUPP, .notsup),
        (ENOTSUP, .notsup), (EAFNOSUPPORT, .afnosupport), (EADDRINUSE, .addrinuse),
        (EADDRNOTAVAIL, .addrnotavail), (ENETDOWN, .netdown), (ENETUNREACH, .netunreach),
        (ENETRESET, .netreset), (ECONNABORTED, .connaborted), (ECONNRESET, .connreset), (ENOBUFS, .nobufs),
        (EISCONN, .isconn), (ENOTCONN, .notconn), (ETIMEDOUT, .timedout), (ECONNREFUSED, .connrefused),
        (EHOSTUNREACH, .hostunreach), (EALREADY, .already), (EINPROGRESS, .inprogress), (ESTALE, .stale),
        (EDQUOT, .dquot), (ECANCELED, .canceled), (EOWNERDEAD, .ownerdead), (ENOTRECOVERABLE, .notrecoverable),
    ])
    func linuxMapping(host: Int32, wasi: WASIErrno) {
        #expect(WASIErrno(hostErrno: host) == wasi, "errno \(host) (\(String(cString: strerror(host))))")
    }

    /// Linux errnos WASI has no name for become `io`, and nothing maps to `notcapable`
    /// (that one is WASI's own, for rights).
    @Test func unmapped() {
        #expect(WASIErrno(hostErrno: ENOTBLK) == .io)
        #expect(WASIErrno(hostErrno: ECHRNG) == .io)
        #expect(WASIErrno(hostErrno: 4095) == .io)
        #expect(WASIErrno(hostErrno: 0) == .success)
        for code in Int32(0)..<Int32(200) { #expect(WASIErrno(hostErrno: code) != .notcapable) }
    }
}
