import Glibc

/// The `main` of a shim binary: dispatches on the mode containerd (or the shim itself)
/// started it in.
public enum ShimMain {
    /// What `-v` prints and the runtime name containerd uses (`io.containerd.<name>.v1`).
    public struct Identity: Sendable {
        public var name: String
        public var version: String

        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    /// A shim whose tasks are `ContainerInstance`s: confined processes of this binary, started
    /// in `init` mode, that run `payload`. `init` is handled before anything starts a thread.
    /// `preparation` runs in the daemon during each Create, before the container's init starts.
    public static func runContainers(identity: Identity, preparation: (any ContainerPreparation)? = nil,
                                     payload: (OCISpec) throws -> any ContainerPayload) -> Never {
        if CommandLine.arguments.dropFirst().first == "init" { ContainerInit.main(payload: payload) }
        run(ContainerInstance.self, identity: identity, preparation: preparation)
    }

    /// A shim whose tasks are instances of `I`: `start`, `delete`, `-v` and the daemon.
    public static func run<I: TaskInstance>(_ instance: I.Type, identity: Identity,
                                            preparation: (any ContainerPreparation)? = nil) -> Never {
        let words = Array(CommandLine.arguments.dropFirst())
        let arguments: ShimArguments
        do {
            arguments = try ShimArguments(parsing: words)
        } catch {
            standardError("\(error)\n")
            exit(2)
        }
        if arguments.version {
            let program = CommandLine.arguments.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? ""
            print("\(program):\n  Runtime: io.containerd.\(identity.name).v1\n  Version: \(identity.version)")
            exit(0)
        }
        switch arguments.action {
        case "start":
            exit(StartCommand.run(arguments))
        case "delete":
            exit(DeleteCommand.run(arguments))
        case nil:
            exit(Daemon.run(I.self, arguments, preparation: preparation))
        case let other?:
            standardError("unknown action \(other): expected start or delete\n")
            exit(2)
        }
    }
}

func standardError(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
