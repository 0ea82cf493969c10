import ContainerdAPI
import NIOCore
import NIOPosix
import SwiftProtobuf

/// A client of containerd's gRPC API (its main socket, the shim's `-address`) for what a shim
/// reads: container records, images, and blobs of the content store. Every request carries
/// the namespace as `containerd-namespace` metadata, as containerd's own clients do.
///
/// Only the long-lived shim daemon uses it, during Create: nothing here may run in a
/// container's init process. `withClient` starts one event-loop thread for the connection and
/// stops it again, so an idle shim carries no event-loop thread.
///
/// gRPC here is SwiftNIO's HTTP/2 (swift-nio-http2) with gRPC's message framing and status
/// trailers on top (`GRPCConnection`): see docs/shim.md for why not grpc-swift's transport.
public struct ContainerdClient: Sendable {
    private let connection: GRPCConnection
    private let metadata: [(String, String)]
    private let timeout: TimeAmount

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
            let connection = try await GRPCConnection.connect(path: path, group: group)
            let client = ContainerdClient(
                connection: connection, metadata: [("containerd-namespace", namespace)],
                timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            do {
                let result = try await body(client)
                await connection.close()
                try? await group.shutdownGracefully()
                return result
            } catch {
                await connection.close()
                throw error
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// `containerd.services.containers.v1.Containers/Get`: the container's record.
    public func container(id: String) async throws -> Containerd_Services_Containers_V1_Container {
        var request = Containerd_Services_Containers_V1_GetContainerRequest()
        request.id = id
        let response: Containerd_Services_Containers_V1_GetContainerResponse = try await unary(
            "/containerd.services.containers.v1.Containers/Get", request)
        return response.container
    }

    /// `containerd.services.images.v1.Images/Get`: the image record (its target descriptor).
    public func image(name: String) async throws -> Containerd_Services_Images_V1_Image {
        var request = Containerd_Services_Images_V1_GetImageRequest()
        request.name = name
        let response: Containerd_Services_Images_V1_GetImageResponse = try await unary(
            "/containerd.services.images.v1.Images/Get", request)
        return response.image
    }

    /// `containerd.services.content.v1.Content/Read` (a server stream): the blob `digest` from
    /// the start, handed to `chunk` piece by piece as containerd streams it. An error `chunk`
    /// throws stops the read and is rethrown as it is.
    public func readContent(digest: String, _ chunk: @escaping @Sendable ([UInt8]) throws -> Void) async throws {
        var request = Containerd_Services_Content_V1_ReadContentRequest()
        request.digest = digest
        try await connection.call(
            path: "/containerd.services.content.v1.Content/Read", metadata: metadata, request: try encode(request),
            timeout: timeout
        ) { bytes in
            let response = try decode(Containerd_Services_Content_V1_ReadContentResponse.self, bytes)
            try chunk(Array(response.data))
        }
    }

    private func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ path: String, _ request: Request
    ) async throws -> Response {
        var response: Response?
        try await connection.call(path: path, metadata: metadata, request: try encode(request), timeout: timeout) { bytes in
            guard response == nil else { throw ContainerdError(.failed, "\(path): more than one response message") }
            response = try decode(Response.self, bytes)
        }
        guard let response else { throw ContainerdError(.failed, "\(path): no response message") }
        return response
    }

    private func encode(_ message: some SwiftProtobuf.Message) throws(ContainerdError) -> [UInt8] {
        do {
            return try message.serializedBytes()
        } catch {
            throw ContainerdError(.failed, "encoding \(type(of: message)): \(error)")
        }
    }

    private func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ bytes: [UInt8]) throws(ContainerdError) -> M {
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw ContainerdError(.failed, "decoding \(M.self) from containerd: \(error)")
        }
    }
}
