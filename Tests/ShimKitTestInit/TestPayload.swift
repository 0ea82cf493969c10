import Glibc
import ShimKit

/// Small payloads whose behaviour the container tests check from outside: output on stdout,
/// exit status, and what the confinement lets them do.
struct TestPayload: ContainerPayload {
    enum Behaviour {
        /// Writes a greeting and exits with the code.
        case hello(Int32)
        /// Calls getppid and socket, which the allow-list does not include, and prints the results.
        case forbidden
        /// Prints the hostname.
        case hostname
        /// Allocates and touches this many MiB, then exits 0 (if it is still alive).
        case allocate(Int)
        /// Forks up to this many sleeping children; exits with how many forks succeeded.
        case fork(Int)
        /// Sleeps until a signal ends it.
        case sleep
        /// Prints the working directory.
        case cwd
        /// Fails in prepare.
        case failPrepare
        /// Never finishes prepare.
        case hangPrepare
        /// Asks for a syscall that does not exist.
        case badAllowList
        /// Reads the daemon's files in prepare; prints them, whether they were sealed, and
        /// whether their descriptors are closed once it runs.
        case handedFiles
        /// Allowed ioctl(FIONREAD) only: calls it (also with garbage in the request's high
        /// half, which the kernel ignores) and TIOCSTI, and prints the errno of each (0: allowed).
        case ioctl
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let behaviour: Behaviour
    /// What `handedFiles` read in prepare: name, content, sealed, descriptor.
    private var handed: [(String, String, Bool, Int32)] = []

    init(arguments: [String]) throws {
        let number = arguments.count > 1 ? Int(arguments[1]) : nil
        switch arguments.first {
        case "hello": behaviour = .hello(Int32(number ?? 0))
        case "forbidden": behaviour = .forbidden
        case "hostname": behaviour = .hostname
        case "allocate": behaviour = .allocate(number ?? 64)
        case "fork": behaviour = .fork(number ?? 10)
        case "sleep": behaviour = .sleep
        case "cwd": behaviour = .cwd
        case "fail-prepare": behaviour = .failPrepare
        case "hang-prepare": behaviour = .hangPrepare
        case "bad-allow-list": behaviour = .badAllowList
        case "handed-files": behaviour = .handedFiles
        case "ioctl": behaviour = .ioctl
        default: throw Failure(description: "unknown test payload \(arguments)")
        }
    }

    mutating func prepare(_ container: ContainerContext) throws {
        if case .failPrepare = behaviour { throw Failure(description: "deliberate failure in prepare") }
        if case .hangPrepare = behaviour { while true { pause() } }
        if case .allocate = behaviour, container.memoryLimitBytes == nil {
            throw Failure(description: "no memory limit visible to the payload")
        }
        if case .handedFiles = behaviour {
            for (name, fd) in container.files.sorted(by: { $0.key < $1.key }) {
                let bytes = try SealedFile.read(fd)
                handed.append((name, String(decoding: bytes, as: UTF8.self), SealedFile.isSealed(fd), fd))
            }
        }
    }

    var allowedSyscalls: [AllowedSyscall] {
        switch behaviour {
        case .hello, .forbidden, .allocate, .failPrepare, .hangPrepare: return []
        case .badAllowList: return ["no_such_syscall"]
        case .hostname: return ["uname"]
        case .fork: return ["clone", "clone3", "fork", "set_robust_list", "rseq", "pause"]
        case .sleep: return ["pause"]
        case .cwd: return ["getcwd"]
        case .handedFiles: return ["fcntl"]
        case .ioctl: return [.ioctl(requests: [UInt(FIONREAD)])]
        }
    }

    mutating func run() -> Int32 {
        switch behaviour {
        case .hello(let code):
            say("hello from the container\n")
            return code
        case .forbidden:
            // glibc's getppid cannot fail, so it returns the kernel's -EPERM as is (errno untouched).
            let parent = getppid()
            let socketResult = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let error = errno
            say("getppid=\(parent) socket=\(socketResult) errno=\(error)\n")
            return 0
        case .hostname:
            var name = [CChar](repeating: 0, count: 256)
            guard gethostname(&name, name.count - 1) == 0 else {
                say("gethostname failed errno=\(errno)\n")
                return 1
            }
            say(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "\n")
            return 0
        case .allocate(let mebibytes):
            let size = mebibytes << 20
            guard let memory = malloc(size) else { return 2 }
            memset(memory, 1, size)
            say("allocated \(mebibytes) MiB\n")
            return 0
        case .fork(let count):
            var forked: Int32 = 0
            for _ in 0..<count {
                let child = Glibc.fork()
                if child == 0 {
                    while true { pause() }
                }
                if child < 0 { break }
                forked += 1
            }
            say("forked \(forked)\n")
            return forked
        case .sleep:
            while true { pause() }
        case .cwd:
            var buffer = [CChar](repeating: 0, count: 4096)
            guard getcwd(&buffer, buffer.count) != nil else {
                say("getcwd failed errno=\(errno)\n")
                return 1
            }
            say(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "\n")
            return 0
        case .handedFiles:
            for (name, content, sealed, fd) in handed {
                let closed = fcntl(fd, F_GETFD) < 0 && errno == EBADF
                say("\(name)=\(content) sealed=\(sealed) closed=\(closed)\n")
            }
            return 0
        case .ioctl:
            func errnoOf(_ request: UInt) -> Int32 {
                var value: Int32 = 0
                // glibc passes the request's 64 bits as they are: the filter sees the high half.
                return ioctl(0, request, &value) == 0 ? 0 : errno
            }
            let fionread = errnoOf(UInt(FIONREAD))
            let highBits = errnoOf(UInt(FIONREAD) | 1 << 32)
            let tiocsti = errnoOf(UInt(TIOCSTI))
            say("fionread=\(fionread == EPERM ? "EPERM" : "allowed") highbits=\(highBits == EPERM ? "EPERM" : "allowed") tiocsti=\(tiocsti == EPERM ? "EPERM" : "allowed")\n")
            return 0
        case .failPrepare, .hangPrepare, .badAllowList:
            return 1
        }
    }

    private func say(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
}
