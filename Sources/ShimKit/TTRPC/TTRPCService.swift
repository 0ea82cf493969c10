import FoundationEssentials
import ContainerdAPI
import SwiftProtobuf

/// A ttrpc service: a name (e.g. "containerd.task.v2.Task") and a handler for its methods.
///
/// Every request runs on its own thread, so `handle` may block (a `Wait` waits for the
/// task to exit) while other requests of the same connection are answered.
public protocol TTRPCService: Sendable {
    var name: String { get }
    /// Answers one call: `payload` is the serialized request message, the result the
    /// serialized response. A method the service lacks throws `TTRPCError.unimplementedMethod`.
    func handle(method: String, request: TTRPCRequestContext, payload: Data) throws(TTRPCError) -> Data
    /// Whether `method` blocks until something happens elsewhere (the Task service's `Wait`):
    /// such requests do not count against the server's cap on requests being served.
    func waits(_ method: String) -> Bool
}

extension TTRPCService {
    public func waits(_ method: String) -> Bool { false }
}

/// What a request carries besides its payload.
public struct TTRPCRequestContext: Sendable {
    /// Request metadata, lower-case keys (e.g. "containerd-namespace-ttrpc": ["k8s.io"]).
    public var metadata: [String: [String]]
    /// The caller's deadline relative to receipt, in nanoseconds; 0 means none.
    public var timeoutNanos: Int64

    public init(metadata: [String: [String]] = [:], timeoutNanos: Int64 = 0) {
        self.metadata = metadata
        self.timeoutNanos = timeoutNanos
    }

    /// The first value of a metadata key (looked up lower-cased).
    public func metadataValue(_ key: String) -> String? {
        metadata[key.lowercased()]?.first
    }
}

/// Protobuf (de)serialization with ttrpc's error conventions, for services and clients.
public enum TTRPCPayload {
    /// Decodes a request; malformed bytes are INVALID_ARGUMENT.
    public static func decode<Message: SwiftProtobuf.Message>(_ type: Message.Type, from payload: Data) throws(TTRPCError) -> Message {
        do {
            return try Message(serializedBytes: payload)
        } catch {
            throw TTRPCError(.invalidArgument, "cannot decode \(Message.protoMessageName): \(error)")
        }
    }

    /// Encodes a message; a failure (a required field missing in a proto2 type) is INTERNAL.
    public static func encode(_ message: some SwiftProtobuf.Message) throws(TTRPCError) -> Data {
        do {
            return try message.serializedBytes()
        } catch {
            throw TTRPCError(.internal, "cannot encode \(type(of: message).protoMessageName): \(error)")
        }
    }
}

extension TTRPCRequestContext {
    /// Builds the context of a decoded ttrpc.Request.
    init(_ request: Ttrpc_Request) {
        var metadata: [String: [String]] = [:]
        for pair in request.metadata {
            metadata[pair.key.lowercased(), default: []].append(pair.value)
        }
        self.init(metadata: metadata, timeoutNanos: request.timeoutNano)
    }
}

extension Ttrpc_Response {
    /// A response answering a call with `result`; an OK response carries no status, as
    /// containerd's Go server sends it.
    init(_ result: Result<Data, TTRPCError>) {
        self.init()
        switch result {
        case .success(let payload):
            self.payload = payload
        case .failure(let error):
            var status = Google_Rpc_Status()
            status.code = error.code.rawValue
            status.message = error.message
            self.status = status
        }
    }
}
