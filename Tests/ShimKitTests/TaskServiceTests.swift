import ContainerdAPI
import FoundationEssentials
import Glibc
import Logging
import SwiftProtobuf
import Testing

@testable import ShimKit

@Suite(.serialized) struct TaskServiceTests {
    let service = TaskService<RecordingInstance>(namespace: "test", events: nil, logger: Logger(label: "test"),
                                                 onShutdown: {})

    private func call<Response: SwiftProtobuf.Message>(_ method: String, _ request: some SwiftProtobuf.Message,
                                                      as: Response.Type = Response.self) throws -> Response {
        let data = try service.handle(method: method, request: TTRPCRequestContext(metadata: [:], timeoutNanos: 0),
                                      payload: try request.serializedBytes())
        return try Response(serializedBytes: data)
    }

    private func create(_ id: String, bundle: String = "/bundle") throws {
        var request = Containerd_Task_V2_CreateTaskRequest()
        request.id = id
        request.bundle = bundle
        let response: Containerd_Task_V2_CreateTaskResponse = try call("Create", request)
        #expect(response.pid == 4242)
    }

    private func state(_ id: String) throws -> Containerd_V1_Types_Status {
        var request = Containerd_Task_V2_StateRequest()
        request.id = id
        let response: Containerd_Task_V2_StateResponse = try call("State", request)
        return response.status
    }

    private func expectCode(_ code: TTRPCCode, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(code)")
        } catch let error as TTRPCError {
            #expect(error.code == code, "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aTaskGoesThroughItsLifecycle() throws {
        try create("a")
        #expect(try state("a") == .created)
        var start = Containerd_Task_V2_StartRequest()
        start.id = "a"
        let started: Containerd_Task_V2_StartResponse = try call("Start", start)
        #expect(started.pid == 4242)
        #expect(try state("a") == .running)

        var kill = Containerd_Task_V2_KillRequest()
        kill.id = "a"
        kill.signal = 15
        let _: Google_Protobuf_Empty = try call("Kill", kill)
        var wait = Containerd_Task_V2_WaitRequest()
        wait.id = "a"
        let waited: Containerd_Task_V2_WaitResponse = try call("Wait", wait)
        #expect(waited.exitStatus == 143)
        #expect(try state("a") == .stopped)

        var delete = Containerd_Task_V2_DeleteRequest()
        delete.id = "a"
        let deleted: Containerd_Task_V2_DeleteResponse = try call("Delete", delete)
        #expect(deleted.exitStatus == 143)
        expectCode(.notFound) { _ = try state("a") }
    }

    @Test func illegalMovesAreRefused() throws {
        try create("b")
        expectCode(.alreadyExists) { try create("b") }
        var start = Containerd_Task_V2_StartRequest()
        start.id = "b"
        let _: Containerd_Task_V2_StartResponse = try call("Start", start)
        expectCode(.failedPrecondition) { let _: Containerd_Task_V2_StartResponse = try call("Start", start) }
        var delete = Containerd_Task_V2_DeleteRequest()
        delete.id = "b"
        expectCode(.failedPrecondition) { let _: Containerd_Task_V2_DeleteResponse = try call("Delete", delete) }
        var kill = Containerd_Task_V2_KillRequest()
        kill.id = "b"
        kill.signal = 9
        let _: Google_Protobuf_Empty = try call("Kill", kill)
        expectCode(.notFound) { let _: Google_Protobuf_Empty = try call("Kill", kill) }
        let _: Containerd_Task_V2_DeleteResponse = try call("Delete", delete)
    }

    @Test func unsupportedAndUnknownMethodsAreUnimplemented() throws {
        for method in ["Pause", "Resume", "Checkpoint", "Exec", "ResizePty", "NoSuchMethod"] {
            expectCode(.unimplemented) { let _: Google_Protobuf_Empty = try call(method, Google_Protobuf_Empty()) }
        }
    }

    @Test func createErrorsNameTheProblem() throws {
        var request = Containerd_Task_V2_CreateTaskRequest()
        request.id = "c"
        request.bundle = "/nonexistent"
        expectCode(.invalidArgument) { let _: Containerd_Task_V2_CreateTaskResponse = try call("Create", request) }
        request.bundle = "/bundle"
        request.terminal = true
        expectCode(.invalidArgument) { let _: Containerd_Task_V2_CreateTaskResponse = try call("Create", request) }
        expectCode(.notFound) { _ = try state("c") }
    }

    @Test func malformedRequestsAreInvalidArguments() throws {
        do {
            _ = try service.handle(method: "Create", request: TTRPCRequestContext(metadata: [:], timeoutNanos: 0),
                                   payload: Data([0xFF, 0xFF, 0xFF]))
            Issue.record("a garbage payload was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }
}

@Suite struct ShimArgumentsTests {
    @Test func parsesContainerdsStartCommandLine() throws {
        let arguments = try ShimArguments(parsing: [
            "-namespace", "default", "-address", "/run/containerd/containerd.sock", "-publish-binary",
            "/usr/bin/containerd", "-id", "t1", "-debug", "start",
        ])
        #expect(arguments.namespace == "default")
        #expect(arguments.address == "/run/containerd/containerd.sock")
        #expect(arguments.id == "t1")
        #expect(arguments.debug)
        #expect(arguments.action == "start")
        let daemon = try ShimArguments(parsing: arguments.daemonArguments(socket: "unix:///run/x"))
        #expect(daemon.action == nil && daemon.socket == "unix:///run/x" && daemon.id == "t1" && daemon.debug)
    }

    @Test func acceptsEqualsFormsAndRejectsUnknownFlags() throws {
        let arguments = try ShimArguments(parsing: ["--id=x", "-bundle=/b", "delete"])
        #expect(arguments.id == "x" && arguments.bundle == "/b" && arguments.action == "delete")
        #expect(throws: ShimArguments.ParseError.self) { _ = try ShimArguments(parsing: ["-bogus", "start"]) }
        #expect(throws: ShimArguments.ParseError.self) { _ = try ShimArguments(parsing: ["-id"]) }
    }

    @Test func socketAddressFollowsContainerdsConvention() {
        // sha256("/run/containerd/containerd.sock/default/t1")
        let address = SocketAddress.address(containerdAddress: "/run/containerd/containerd.sock", namespace: "default", group: "t1")
        #expect(address == "unix:///run/containerd/s/df6a0c5cd2e9a1a16d9a3f2447365d9fc6021bc1d3d9a4caa2f5b2c4f773758f")
        #expect(SocketAddress.group(annotations: ["io.kubernetes.cri.sandbox-id": "pod"], id: "c") == "pod")
        #expect(SocketAddress.group(annotations: nil, id: "c") == "c")
    }
}
