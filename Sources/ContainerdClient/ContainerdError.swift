import GRPCCore

/// Why a request to containerd failed, in the terms a shim acts on.
public struct ContainerdError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// containerd has no such container, image or blob.
        case notFound
        /// containerd could not be reached (no socket, connection refused or closed).
        case unavailable
        /// Anything else: an error status, a deadline, a message that does not decode.
        case failed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Classifies an error thrown by gRPC (or by the caller's own code, passed through).
    init(_ error: any Error) {
        switch error {
        case let error as ContainerdError:
            self = error
        case let error as RPCError:
            switch error.code {
            case .notFound: self.init(.notFound, error.message)
            case .unavailable: self.init(.unavailable, Self.describe(error))
            default: self.init(.failed, Self.describe(error))
            }
        case let error as RuntimeError:
            self.init(.unavailable, "\(error)")
        default:
            self.init(.failed, "\(error)")
        }
    }

    private static func describe(_ error: RPCError) -> String {
        var text = "\(error.code): \(error.message)"
        if let cause = error.cause { text += " (\(cause))" }
        return text
    }

    public var description: String { message }
}
