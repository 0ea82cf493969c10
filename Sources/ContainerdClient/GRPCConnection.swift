import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// One HTTP/2 connection to a gRPC server on a unix socket (prior knowledge, no TLS), and
/// gRPC calls on it: each call is a stream carrying request headers, one length-prefixed
/// message, then the response's headers, messages and `grpc-status` trailers.
struct GRPCConnection: Sendable {
    typealias Stream = NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>

    private let channel: any Channel
    private let multiplexer: NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

    static func connect(path: String, group: any EventLoopGroup) async throws(ContainerdError) -> GRPCConnection {
        do {
            let (channel, multiplexer) = try await ClientBootstrap(group: group).connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // containerd opens no streams of its own: none is ever accepted.
                    let multiplexer = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(mode: .client) { stream in
                        stream.close()
                    }
                    return (channel, multiplexer)
                }
            }
            return GRPCConnection(channel: channel, multiplexer: multiplexer)
        } catch {
            throw ContainerdError(.unavailable, "connecting to \(path): \(error)")
        }
    }

    func close() async {
        try? await channel.close()
    }

    /// Calls `path` (`/package.Service/Method`) with `request`, handing every response message
    /// to `message`; throws the call's status when it is not OK. `timeout` bounds the call.
    func call(path: String, metadata: [(String, String)], request: [UInt8], timeout: TimeAmount,
              message: ([UInt8]) throws -> Void) async throws {
        let stream: Stream
        do {
            stream = try await multiplexer.openStream { channel in
                channel.eventLoop.makeCompletedFuture { try Stream(wrappingChannelSynchronously: channel) }
            }
        } catch {
            throw ContainerdError(.unavailable, "opening a stream to containerd: \(error)")
        }
        let deadline = stream.channel.eventLoop.scheduleTask(in: timeout) { stream.channel.close(promise: nil) }
        defer { deadline.cancel() }
        var headers: HPACKHeaders = [
            ":method": "POST", ":scheme": "http", ":path": path, ":authority": "localhost",
            "content-type": "application/grpc", "te": "trailers",
            "grpc-timeout": "\(max(1, timeout.nanoseconds / 1_000_000))m",
        ]
        for (name, value) in metadata { headers.add(name: name, value: value) }
        let body = GRPCMessageFraming.frame(request, allocator: stream.channel.allocator)

        var status: GRPCStatus?
        do {
            try await stream.executeThenClose { inbound, outbound in
                try await outbound.write(.headers(.init(headers: headers)))
                try await outbound.write(.data(.init(data: .byteBuffer(body), endStream: true)))
                var deframer = GRPCMessageDeframer()
                var sawHeaders = false
                for try await payload in inbound {
                    switch payload {
                    case .headers(let frame):
                        if !sawHeaders {
                            sawHeaders = true
                            try Self.checkResponseHeaders(frame.headers)
                        }
                        // Trailers, or a trailers-only response: the status ends the call.
                        if let found = GRPCStatus(frame.headers) {
                            status = found
                            return
                        }
                    case .data(let frame):
                        guard case .byteBuffer(let buffer) = frame.data else { continue }
                        deframer.append(buffer)
                        while let next = try deframer.next() { try message(next) }
                    case .rstStream(let code):
                        throw ContainerdError(.failed, "containerd reset the stream (\(code))")
                    default:
                        continue
                    }
                }
            }
        } catch let error as ContainerdError {
            throw error
        } catch {
            // An error the consumer threw passes as it is; a broken stream says what broke.
            if status != nil || !(error is ChannelError || error is NIOHTTP2Errors.StreamClosed || error is IOError) {
                throw error
            }
            throw ContainerdError(channel.isActive ? .failed : .unavailable, "\(path): the stream to containerd broke: \(error)")
        }
        guard let status else {
            throw ContainerdError(.failed, "\(path): the call ended without a gRPC status (deadline \(timeout.nanoseconds / 1_000_000_000) s?)")
        }
        if let error = status.error { throw error }
    }

    /// `:status` 200 and a gRPC content type, or the reason the answer is not gRPC.
    private static func checkResponseHeaders(_ headers: HPACKHeaders) throws(ContainerdError) {
        let status = headers.first(name: ":status") ?? ""
        guard status == "200" else {
            throw ContainerdError(status == "503" ? .unavailable : .failed, "containerd answered HTTP status \(status)")
        }
        let type = headers.first(name: "content-type") ?? ""
        guard type.hasPrefix("application/grpc") else {
            throw ContainerdError(.failed, "containerd answered content type \"\(type)\", not gRPC")
        }
    }
}
