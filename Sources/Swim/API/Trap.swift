/// Execution stopped: a wasm trap, an interruption, or a limit.
public struct Trap: Error, Equatable, CustomStringConvertible {
    public let reason: TrapReason
    /// Where it happened, when known: "in function NAME".
    public let location: String?
    /// The message of a trap a host function raised (`init(hostMessage:)`).
    let hostMessage: String?

    public init(_ reason: TrapReason, location: String? = nil) {
        self.reason = reason
        self.location = location
        self.hostMessage = nil
    }

    /// A trap raised by a host function, with its own message (reason `.hostTrap`): for
    /// hosts whose guests expect a trap rather than an error, such as WAMR's native libraries.
    public init(hostMessage: String) {
        self.reason = .hostTrap
        self.location = nil
        self.hostMessage = hostMessage
    }

    /// Traps are equal when they are the same kind of trap, wherever they happened.
    public static func == (a: Trap, b: Trap) -> Bool { a.reason == b.reason }

    /// The spec's wording ("integer divide by zero", "out of bounds memory access", ...).
    public var message: String { hostMessage ?? reason.message }

    public var description: String {
        if let location { return "wasm trap: \(message) (\(location))" }
        return "wasm trap: \(message)"
    }
}

/// Instantiation failed before any code ran: an import is missing or has the wrong type,
/// or a memory or table could not be created.
public struct InstantiationError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A call from the embedder was malformed: wrong argument count or types.
public struct CallError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
