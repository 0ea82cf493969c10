import ContainerdAPI
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf
import NIOPosix
import SwiftProtobuf
import Synchronization

/// A client of containerd's gRPC API (its main socket, the shim's `-address`) for what a shim
/// reads: container records, images, and blobs of the content store. Every request carries
/// the namespace as `containerd-namespace` metadata, as containerd's own clients do.
///
/// Only the long-lived shim daemon uses it, during Create: nothing here may run in a
/// container's init process. `withClient` starts one event-loop thread for the connection and
/// stops it again, so an idle shim carries no gRPC threads.
public struct ContainerdClient: Sendable {
    private let grpc: GRPCClient<HTTP2ClientTransport.Posix>
    private let metadata: Metadata
    private let options: CallOptions

    private init(grpc: GRPCClient<HTTP2ClientTransport.Posix>, namespace: String, timeout: Duration) {
        self.grpc = grpc
        var metadata = Metadata()
        metadata.addString(namespace, forKey: "containerd-namespace")
        self.metadata = metadata
        var options = CallOptions.defaults
        options.timeout = timeout
        // Fail at once when containerd is not there, rather than wait for it to appear.
        options.waitForReady = false
        self.options = options
    }

    /// Connects to containerd at `address` (a socket path, with or without `unix://`), runs
    /// `body`, then closes the connection and its event loop.
    ///
    /// - Parameter timeout: the deadline of each request.
    public static func withClient<Result: Sendable>(
        address: String, namespace: String, timeout: Duration = .seconds(60),
        _ body: (ContainerdClient) async throws -> Result
    ) async throws -> Result {
        let path = address.hasPrefix("unix://") ? String(address.dropFirst("unix://".count)) : address
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let transport = try HTTP2ClientTransport.Posix(
                target: .unixDomainSocket(path: path), transportSecurity: .plaintext, eventLoopGroup: group)
            let result = try await withGRPCClient(transport: transport) { grpc in
                try await body(ContainerdClient(grpc: grpc, namespace: namespace, timeout: timeout))
            }
            try? await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw ContainerdError(error)
        }
    }

    /// `containerd.services.containers.v1.Containers/Get`: the container's record.
    public func container(id: String) async throws -> Containerd_Services_Containers_V1_Container {
        var request = Containerd_Services_Containers_V1_GetContainerRequest()
        request.id = id
        let response: Containerd_Services_Containers_V1_GetContainerResponse = try await unary(
            ContainerdMethods.getContainer, request)
        return response.container
    }

    /// `containerd.services.images.v1.Images/Get`: the image record (its target descriptor).
    public func image(name: String) async throws -> Containerd_Services_Images_V1_Image {
        var request = Containerd_Services_Images_V1_GetImageRequest()
        request.name = name
        let response: Containerd_Services_Images_V1_GetImageResponse = try await unary(ContainerdMethods.getImage, request)
        return response.image
    }

    /// `containerd.services.content.v1.Content/Read`: the blob `digest` from the start, handed
    /// to `chunk` piece by piece as containerd streams it. An error `chunk` throws stops the
    /// read and is rethrown as it is.
    public func readContent(digest: String, _ chunk: @escaping @Sendable ([UInt8]) throws -> Void) async throws {
        var request = Containerd_Services_Content_V1_ReadContentRequest()
        request.digest = digest
        let consumerError = FirstError()
        do {
            try await grpc.serverStreaming(
                request: ClientRequest(message: request, metadata: metadata), descriptor: ContainerdMethods.readContent,
                serializer: ProtobufSerializer(),
                deserializer: ProtobufDeserializer<Containerd_Services_Content_V1_ReadContentResponse>(), options: options
            ) { response in
                for try await message in response.messages {
                    do {
                        try chunk(Array(message.data))
                    } catch {
                        consumerError.record(error)
                        throw error
                    }
                }
            }
        } catch {
            if let consumer = consumerError.value { throw consumer }
            throw ContainerdError(error)
        }
    }

    private func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor, _ request: Request
    ) async throws -> Response {
        do {
            return try await grpc.unary(
                request: ClientRequest(message: request, metadata: metadata), descriptor: method,
                serializer: ProtobufSerializer(), deserializer: ProtobufDeserializer<Response>(), options: options
            ) { response in try response.message }
        } catch {
            throw ContainerdError(error)
        }
    }
}

/// The error a stream's consumer threw, kept to be rethrown as it is (gRPC wraps it).
private final class FirstError: Sendable {
    private let error = Mutex<(any Error)?>(nil)

    func record(_ error: any Error) {
        self.error.withLock { if $0 == nil { $0 = error } }
    }

    var value: (any Error)? { error.withLock { $0 } }
}
