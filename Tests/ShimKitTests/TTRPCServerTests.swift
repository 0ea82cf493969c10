import ContainerdAPI
import FoundationEssentials
import Glibc
import Testing
@testable import ShimKit

@Suite("ttrpc server")
struct TTRPCServerTests {
    @Test func answersOutOfOrderOnOneConnection() throws {
        let gate = Gate()
        let server = try RunningServer(services: [TestService(gate: gate)], tag: "order")
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        try connection.sendRequest(streamID: 1, method: "Block")
        try connection.sendRequest(streamID: 3, method: "Echo", payload: Array("second".utf8))

        // The echo answers while the first request is still blocked.
        let first = try #require(try connection.nextResponse())
        #expect(first.streamID == 3)
        #expect(first.response.payload == Data("second".utf8))
        #expect(!first.response.hasStatus, "an OK response carries no status")

        gate.open()
        let second = try #require(try connection.nextResponse())
        #expect(second.streamID == 1)
        #expect(second.response.payload == Data("unblocked".utf8))
    }

    @Test func unknownServiceAndMethodAreUnimplemented() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "unimpl")
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        try connection.sendRequest(streamID: 1, service: "no.such.Service", method: "Echo")
        let service = try #require(try connection.nextResponse())
        #expect(service.response.status.code == TTRPCCode.unimplemented.rawValue)
        #expect(service.response.status.message == "service no.such.Service")

        try connection.sendRequest(streamID: 3, method: "Nope")
        let method = try #require(try connection.nextResponse())
        #expect(method.streamID == 3)
        #expect(method.response.status.code == TTRPCCode.unimplemented.rawValue)
        #expect(method.response.status.message == "method Nope")
    }

    @Test func oversizedFrameIsResourceExhaustedAndTheConnectionLives() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "big")
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        let length = TTRPCFrameHeader.maxDataLength + 1
        let header = TTRPCFrameHeader(length: UInt32(length), streamID: 1, type: .request)
        connection.send(header.encoded + [UInt8](repeating: 0, count: length))
        let answer = try #require(try connection.nextResponse())
        #expect(answer.streamID == 1)
        #expect(answer.response.status.code == TTRPCCode.resourceExhausted.rawValue)

        try connection.sendRequest(streamID: 3, method: "Echo", payload: [1, 2, 3])
        let echo = try #require(try connection.nextResponse())
        #expect(echo.streamID == 3)
        #expect(echo.response.payload == Data([1, 2, 3]))
    }

    @Test func evenAndReusedStreamIDsAreInvalid() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "ids")
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        try connection.sendRequest(streamID: 2, method: "Echo")
        let even = try #require(try connection.nextResponse())
        #expect(even.streamID == 2)
        #expect(even.response.status.code == TTRPCCode.invalidArgument.rawValue)

        try connection.sendRequest(streamID: 5, method: "Echo")
        #expect(try connection.nextResponse()?.response.hasStatus == false)
        try connection.sendRequest(streamID: 3, method: "Echo")
        let reused = try #require(try connection.nextResponse())
        #expect(reused.streamID == 3)
        #expect(reused.response.status.code == TTRPCCode.invalidArgument.rawValue)
    }

    @Test func undecodableRequestIsInvalidArgument() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "junk")
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        // Field 1 as a length-delimited string claiming 100 bytes, with 1 present.
        let frame = try TTRPCFrame(streamID: 1, type: .request, data: [0x0A, 100, 0x41])
        connection.send(frame.encoded)
        let answer = try #require(try connection.nextResponse())
        #expect(answer.response.status.code == TTRPCCode.invalidArgument.rawValue)
    }

    @Test func handlerErrorsKeepTheirCode() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "fail")
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        try connection.sendRequest(streamID: 1, method: "Fail")
        let answer = try #require(try connection.nextResponse())
        #expect(answer.response.status.code == TTRPCCode.notFound.rawValue)
        #expect(answer.response.status.message == "no such thing")

        try connection.sendRequest(streamID: 3, method: "Huge")
        let huge = try #require(try connection.nextResponse())
        #expect(huge.response.status.code == TTRPCCode.resourceExhausted.rawValue)
    }

    @Test(arguments: [
        ("unknown message type", TTRPCFrameHeader(length: 0, streamID: 1, rawType: 7, flags: 0).encoded),
        ("response sent to the server", TTRPCFrameHeader(length: 0, streamID: 1, type: .response).encoded),
        ("data frame", TTRPCFrameHeader(length: 0, streamID: 1, type: .data).encoded),
    ])
    func brokenFramesDropTheConnection(reason: String, bytes: [UInt8]) throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "drop")
        defer { server.stop() }
        let bad = try RawConnection(path: server.path)
        bad.send(bytes)
        #expect(bad.next() == .closed, "\(reason): the server must close the connection")

        // Others are still served.
        let good = try RawConnection(path: server.path)
        try good.sendRequest(streamID: 1, method: "Echo", payload: [9])
        #expect(try good.nextResponse()?.response.payload == Data([9]))
    }

    @Test func truncatedFrameDropsTheConnection() throws {
        let server = try RunningServer(services: [TestService(gate: Gate())], tag: "trunc")
        defer { server.stop() }
        let bad = try RawConnection(path: server.path)
        let frame = try TTRPCFrame(streamID: 1, type: .request, data: [1, 2, 3, 4, 5, 6])
        bad.send(Array(frame.encoded.prefix(13)))
        shutdown(bad.fd, Int32(SHUT_WR))
        #expect(bad.next() == .closed)

        let client = try TTRPCClient(socketPath: server.path)
        defer { client.close() }
        #expect(try client.call(service: "swim.test.v1.Test", method: "Echo", payload: Data([1])) == Data([1]))
    }

    @Test func shutdownWaitsForRunningRequests() throws {
        let gate = Gate()
        let server = try RunningServer(services: [TestService(gate: gate)], tag: "stop")
        let connection = try RawConnection(path: server.path)
        try connection.sendRequest(streamID: 1, method: "Block")
        // Make sure the request is running before shutting down.
        try connection.sendRequest(streamID: 3, method: "Echo")
        #expect(try connection.nextResponse()?.streamID == 3)

        Threads.spawn(name: "opener") {
            usleep(200_000)
            gate.open()
        }
        #expect(server.stop())
        let answer = try #require(try connection.nextResponse())
        #expect(answer.streamID == 1)
        #expect(answer.response.payload == Data("unblocked".utf8))
        // New connections are refused once it stopped.
        #expect(throws: SocketError.self) { _ = try UnixSocket.connect(path: server.path) }
    }

    @Test func aRequestPastItsTimeoutIsDeadlineExceeded() throws {
        let gate = Gate()
        let server = try RunningServer(services: [TestService(gate: gate)], tag: "deadline")
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        try connection.sendRequest(streamID: 1, method: "Block", timeoutNanos: 100_000_000)
        let answer = try #require(try connection.nextResponse())
        #expect(answer.streamID == 1)
        #expect(answer.response.status.code == TTRPCCode.deadlineExceeded.rawValue)
        // The handler's late result is dropped: the next answer on the stream is the echo's.
        gate.open()
        try connection.sendRequest(streamID: 3, method: "Echo", payload: Array("after".utf8), timeoutNanos: 5_000_000_000)
        let echo = try #require(try connection.nextResponse())
        #expect(echo.streamID == 3)
        #expect(echo.response.payload == Data("after".utf8))
    }

    @Test func requestsBeyondTheCapAreRefusedButWaitingOnesDoNotCount() throws {
        let gate = Gate()
        let server = try RunningServer(services: [TestService(gate: gate)], tag: "cap", maximumServing: 2)
        defer { server.stop() }
        let connection = try RawConnection(path: server.path)
        // Many waits (containerd keeps one per task) leave room to serve.
        for stream in stride(from: UInt32(1), through: 19, by: 2) {
            try connection.sendRequest(streamID: stream, method: "Wait")
        }
        try connection.sendRequest(streamID: 21, method: "Echo", payload: Array("served".utf8))
        let echo = try #require(try connection.nextResponse())
        #expect(echo.streamID == 21)
        #expect(echo.response.payload == Data("served".utf8))
        // Two blocked requests fill the cap; a third is refused at once.
        try connection.sendRequest(streamID: 23, method: "Block")
        try connection.sendRequest(streamID: 25, method: "Block")
        try connection.sendRequest(streamID: 27, method: "Echo")
        let refused = try #require(try connection.nextResponse())
        #expect(refused.streamID == 27)
        #expect(refused.response.status.code == TTRPCCode.resourceExhausted.rawValue)
        gate.open()
        var answered: Set<UInt32> = []
        for _ in 0..<12 { if let next = try connection.nextResponse() { answered.insert(next.streamID) } }
        #expect(answered == Set(stride(from: UInt32(1), through: 25, by: 2)).subtracting([21]))
    }
}

@Suite("ttrpc server setup")
struct TTRPCServerSetupTests {
    @Test func aDescriptorThatIsNotListeningFailsServe() throws {
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let server = TTRPCServer(services: [], drainTimeout: .milliseconds(100))
        let error = #expect(throws: SocketError.self) { try server.serve(listenerFD: fds[0]) }
        #expect(error?.errno == EINVAL)
        let closed = #expect(throws: SocketError.self) { try server.serve(listenerFD: -1) }
        #expect(closed?.errno == EBADF)
    }

    @Test func aServerServesOnce() throws {
        let running = try RunningServer(services: [], tag: "once")
        defer { running.stop() }
        let path = temporarySocketPath("once2")
        let listener = try UnixSocket.listen(path: path)
        defer {
            close(listener)
            unlink(path)
        }
        // An answer proves the first serve is running; then a second serve is refused.
        let client = try TTRPCClient(socketPath: running.path)
        defer { client.close() }
        let answer = #expect(throws: TTRPCError.self) { _ = try client.call(service: "x.Y", method: "Z", payload: Data()) }
        #expect(answer?.code == .unimplemented)
        let error = #expect(throws: SocketError.self) { try running.server.serve(listenerFD: listener) }
        #expect(error?.errno == EALREADY)
    }

    @Test func shutdownBeforeServeMakesServeReturnAtOnce() throws {
        let path = temporarySocketPath("early")
        let listener = try UnixSocket.listen(path: path)
        defer {
            close(listener)
            unlink(path)
        }
        let server = TTRPCServer(services: [])
        server.shutdown()
        try server.serve(listenerFD: listener)
    }
}
