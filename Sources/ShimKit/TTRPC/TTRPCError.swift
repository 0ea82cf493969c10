/// The canonical status codes ttrpc shares with gRPC (google.rpc.Code).
public enum TTRPCCode: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16

    /// The code for a raw status value; values outside 0...16 are UNKNOWN, as in gRPC.
    public init(status: Int32) {
        self = TTRPCCode(rawValue: status) ?? .unknown
    }

    /// The upper-case name gRPC uses, e.g. "NOT_FOUND".
    public var description: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }
}

/// A failed ttrpc call: the status a handler answers with, or the status a client received
/// (or made up for a transport failure: UNAVAILABLE, DEADLINE_EXCEEDED, ...).
public struct TTRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: TTRPCCode
    public var message: String

    public init(_ code: TTRPCCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The answer to a method the service does not have ("method Y", as containerd's ttrpc says it).
    public static func unimplementedMethod(_ method: String) -> TTRPCError {
        TTRPCError(.unimplemented, "method \(method)")
    }

    public var description: String { "\(code): \(message)" }
}
