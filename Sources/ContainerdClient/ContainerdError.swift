/// Why a request to containerd failed, in the terms a shim acts on.
public struct ContainerdError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// containerd has no such container, image or blob (gRPC NOT_FOUND).
        case notFound
        /// containerd could not be reached (no socket, connection refused or closed, UNAVAILABLE).
        case unavailable
        /// Anything else: another status, a deadline, a response that breaks the protocol.
        case failed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
