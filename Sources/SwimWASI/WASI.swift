#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Swim

/// What a WASI program sees of the world: its arguments, environment, standard streams,
/// and the directories and sockets it may use.
public struct WASIConfiguration: Sendable {
    /// `argv`, the program name first.
    public var arguments: [String] = []
    /// `KEY=VALUE` strings, in order.
    public var environment: [String] = []
    /// Host directories the guest may use, under the guest paths given.
    public var preopens: [Preopen] = []
    /// Host descriptors of listening sockets the guest may `sock_accept` on. They become
    /// guest descriptors after the preopened directories. The guest takes ownership.
    public var listeningSockets: [Int32] = []
    /// Host descriptors for the guest's descriptors 0, 1 and 2 (not closed by WASI).
    public var stdin: Int32 = 0
    public var stdout: Int32 = 1
    public var stderr: Int32 = 2

    public struct Preopen: Sendable, Equatable {
        public var hostPath: String
        public var guestPath: String

        public init(hostPath: String, guestPath: String) {
            self.hostPath = hostPath
            self.guestPath = guestPath
        }
    }

    public init(arguments: [String] = [], environment: [String] = [], preopens: [Preopen] = []) {
        self.arguments = arguments
        self.environment = environment
        self.preopens = preopens
    }
}

/// The program called `proc_exit(code)`: thrown out of `Function.call` to the embedder.
public struct WASIExit: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32
    public init(code: Int32) { self.code = code }
    public var description: String { "exit with status \(code)" }
}

/// WASI could not be set up (a preopened directory can't be opened), or the program did
/// something WASI turns into an error rather than an errno (an exit status outside 0..<126).
public struct WASIError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A `wasi_snapshot_preview1` host for one program. Define its functions in a linker with
/// `define(in:store:)`, instantiate, then `start` the instance:
///
/// ```swift
/// let wasi = try WASI(WASIConfiguration(arguments: ["prog"], preopens: [.init(hostPath: ".", guestPath: ".")]))
/// var linker = Linker()
/// wasi.define(in: &linker, store: store)
/// let instance = try linker.instantiate(module, in: store)
/// let status = try wasi.start(instance)   // proc_exit's code, or 0
/// ```
///
/// Like a `Store`, a WASI host is used from one thread at a time.
public final class WASI: @unchecked Sendable {
    /// The module name of the imports.
    public static let moduleName = "wasi_snapshot_preview1"

    let arguments: [String]
    let environment: [String]
    var descriptors = DescriptorTable()

    /// Opens the preopened directories; throws `WASIError` when one cannot be opened.
    public init(_ configuration: WASIConfiguration) throws {
        arguments = configuration.arguments
        environment = configuration.environment
        let stdio: [(Int32, Descriptor.Kind, WASIRights)] = [
            (configuration.stdin, .stdin, .fdRead),
            (configuration.stdout, .stdout, .fdWrite),
            (configuration.stderr, .stderr, .fdWrite),
        ]
        for (fd, kind, rights) in stdio {
            _ = try descriptors.insert(Descriptor(
                hostFD: fd, kind: kind, rightsBase: rights, rightsInheriting: rights,
                ownsHostFD: false, isTerminal: isatty(fd) == 1))
        }
        for preopen in configuration.preopens {
            let fd = open(preopen.hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                close()
                throw WASIError("cannot open directory \(preopen.hostPath): \(reason)")
            }
            _ = try descriptors.insert(Descriptor(
                hostFD: fd, kind: .directory, rightsBase: .preopenBase, rightsInheriting: .preopenInheriting,
                preopenPath: preopen.guestPath))
        }
        for socket in configuration.listeningSockets {
            _ = try descriptors.insert(Descriptor(
                hostFD: socket, kind: .socket, rightsBase: .listeningSocket, rightsInheriting: .connectedSocket))
        }
    }

    deinit {
        close()
    }

    /// Closes every descriptor the guest still has open (stdio excepted).
    public func close() {
        for d in descriptors.all { d.closeHost() }
        descriptors.removeAll()
    }

    /// Runs a command: calls the instance's `_start` export. Returns the exit status: the code
    /// given to `proc_exit`, or 0 when `_start` returns. Traps and other errors are thrown.
    public func start(_ instance: Instance) throws -> Int32 {
        guard let start = instance.function("_start") else {
            throw WASIError("the module exports no `_start` function")
        }
        do {
            try start.call([])
            return 0
        } catch let exit as WASIExit {
            return exit.code
        }
    }
}
