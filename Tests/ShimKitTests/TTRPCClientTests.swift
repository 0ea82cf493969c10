import ContainerdAPI
import FoundationEssentials
import Glibc
import SwiftProtobuf
import Testing
@testable import ShimKit

@Suite("ttrpc client")
struct TTRPCClientTests {
    private let service = "swim.test.v1.Test"

    @Test func roundTripWithMetadataAndTimeout() throws {
        let test = TestService(gate: Gate())
        let server = try RunningServer(services: [test], tag: "client")
        defer { server.stop() }
        let client = try TTRPCClient(socketPath: "unix://" + server.path)
        defer { client.close() }

        #expect(try client.call(service: service, method: "Echo", payload: Data("ping".utf8)) == Data("ping".utf8))
        let value = try client.call(
            service: service, method: "Metadata", payload: Data(),
            metadata: ["X-Test": ["abc"]], timeout: .seconds(3))
        #expect(value == Data("abc".utf8))
        let context = try #require(test.contexts.withLock { $0.last })
        #expect(context.metadata["x-test"] == ["abc"])
        #expect(context.timeoutNanos == 3_000_000_000)
    }

    @Test func typedCallsEncodeAndDecodeMessages() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "typed")
        defer { server.stop() }
        let client = try TTRPCClient(socketPath: server.path)
        defer { client.close() }
        var mount = Containerd_Types_Mount()
        mount.type = "bind"
        mount.options = ["rbind", "ro"]
        let echoed: Containerd_Types_Mount = try client.call(service: service, method: "Echo", request: mount)
        #expect(echoed == mount)
    }

    @Test func serverStatusBecomesTheError() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "status")
        defer { server.stop() }
        let client = try TTRPCClient(socketPath: server.path)
        defer { client.close() }
        let error = #expect(throws: TTRPCError.self) {
            _ = try client.call(service: service, method: "Fail", payload: Data())
        }
        #expect(error == TTRPCError(.notFound, "no such thing"))
        let missing = #expect(throws: TTRPCError.self) {
            _ = try client.call(service: service, method: "Missing", payload: Data())
        }
        #expect(missing?.code == .unimplemented)
    }

    @Test func concurrentCallsShareOneConnection() throws {
        let gate = Gate()
        let server = try RunningServer(services: [TestService(gate: gate)], tag: "concurrent")
        defer { server.stop() }
        let client = try TTRPCClient(socketPath: server.path)
        defer { client.close() }
        let finished = Monitor<[String]>([])
        Threads.spawn(name: "blocker") {
            let answer = try? client.call(service: service, method: "Block", payload: Data())
            finished.withLock { $0.append(answer == Data("unblocked".utf8) ? "block" : "block-failed") }
        }
        for index in 0..<20 {
            let payload = Data("echo \(index)".utf8)
            #expect(try client.call(service: service, method: "Echo", payload: payload) == payload)
        }
        #expect(finished.withLock { $0.isEmpty }, "the blocked call must still be waiting")
        gate.open()
        let done = finished.wait(until: .after(.seconds(5))) { $0.isEmpty ? nil : $0 }
        #expect(done == ["block"])
    }

    @Test func timeoutIsDeadlineExceeded() throws {
        let gate = Gate()
        let server = try RunningServer(services: [TestService(gate: gate)], tag: "timeout")
        defer {
            gate.open()
            server.stop()
        }
        let client = try TTRPCClient(socketPath: server.path)
        defer { client.close() }
        let error = #expect(throws: TTRPCError.self) {
            _ = try client.call(service: service, method: "Block", payload: Data(), timeout: .milliseconds(100))
        }
        #expect(error?.code == .deadlineExceeded)
        // The connection stays usable; the late answer is ignored.
        gate.open()
        #expect(try client.call(service: service, method: "Echo", payload: Data([7])) == Data([7]))
    }

    @Test func closedConnectionsAreUnavailable() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "closed")
        let client = try TTRPCClient(socketPath: server.path)
        #expect(try client.call(service: service, method: "Echo", payload: Data()) == Data())
        server.stop()
        let error = #expect(throws: TTRPCError.self) {
            _ = try client.call(service: service, method: "Echo", payload: Data(), timeout: .seconds(2))
        }
        #expect(error?.code == .unavailable)

        let closed = try RunningServer(services: [TestService(gate: Gate())], tag: "closed2")
        defer { closed.stop() }
        let other = try TTRPCClient(socketPath: closed.path)
        other.close()
        #expect(other.isClosed)
        let afterClose = #expect(throws: TTRPCError.self) {
            _ = try other.call(service: service, method: "Echo", payload: Data())
        }
        #expect(afterClose?.code == .unavailable)
    }

    @Test func connectingToNothingIsUnavailable() {
        let error = #expect(throws: TTRPCError.self) {
            _ = try TTRPCClient(socketPath: "/tmp/no-such-ttrpc-\(getpid()).sock")
        }
        #expect(error?.code == .unavailable)
    }

    @Test func socketPathsMustFitSockaddr() {
        let long = "/tmp/" + String(repeating: "x", count: 120)
        let error = #expect(throws: SocketError.self) { _ = try UnixSocket.listen(path: long) }
        #expect(error?.errno == ENAMETOOLONG)
    }
}
