/// The command line containerd gives a shim, parsed as Go's `flag` package does:
/// `-namespace NS -address ADDR -publish-binary BIN -id ID [-debug] [-bundle DIR] [-socket ADDR] ACTION`.
/// Flags take `-name value`, `-name=value` or `--name`; the first other word is the action.
public struct ShimArguments: Sendable, Equatable {
    public var namespace = ""
    public var address = ""
    public var publishBinary = ""
    public var id = ""
    public var bundle = ""
    /// The ttrpc socket a daemon serves (`unix://...`), given to the daemon by `start`.
    public var socket = ""
    public var debug = false
    public var version = false
    /// `start`, `delete`, `init`, or nil for the daemon (words after it are ignored).
    public var action: String?

    public init() {}

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing arguments: [String]) throws(ParseError) {
        var words = arguments[...]
        while let word = words.popFirst() {
            guard word.hasPrefix("-"), word != "-" else {
                action = word
                return
            }
            var name = word.drop(while: { $0 == "-" })
            var inline: Substring?
            if let equals = name.firstIndex(of: "=") {
                inline = name[name.index(after: equals)...]
                name = name[..<equals]
            }
            func value() throws(ParseError) -> String {
                if let inline { return String(inline) }
                guard let next = words.popFirst() else { throw ParseError(description: "flag needs an argument: -\(name)") }
                return next
            }
            switch name {
            case "namespace": namespace = try value()
            case "address": address = try value()
            case "publish-binary": publishBinary = try value()
            case "id": id = try value()
            case "bundle": bundle = try value()
            case "socket": socket = try value()
            case "debug": debug = inline.map { $0 != "false" } ?? true
            case "v", "version": version = true
            default: throw ParseError(description: "flag provided but not defined: -\(name)")
            }
        }
    }

    /// The daemon's command line: the same flags, the socket, and no action.
    public func daemonArguments(socket: String) -> [String] {
        var words = ["-namespace", namespace, "-id", id, "-address", address, "-socket", socket]
        if !publishBinary.isEmpty { words += ["-publish-binary", publishBinary] }
        if debug { words.append("-debug") }
        return words
    }
}
