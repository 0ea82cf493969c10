import ContainerdAPI
import FoundationEssentials
import Glibc
import SwiftProtobuf
import Testing
@testable import ShimKit

/// Stands in for containerd's ttrpc Events service: records what is forwarded, and can
/// refuse the first calls to exercise retries.
struct FakeEventsService: TTRPCService {
    let name = EventPublisher.forwardService
    let received = Monitor<[(envelope: Containerd_Types_Envelope, namespaceHeader: String?)]>([])
    let failuresLeft: Monitor<Int>

    init(failFirst: Int = 0) {
        failuresLeft = Monitor(failFirst)
    }

    func handle(method: String, request: TTRPCRequestContext, payload: Data) throws(TTRPCError) -> Data {
        guard method == "Forward" else { throw TTRPCError.unimplementedMethod(method) }
        let refuse = failuresLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        if refuse { throw TTRPCError(.unavailable, "not ready") }
        let forward = try TTRPCPayload.decode(Containerd_Services_Events_Ttrpc_V1_ForwardRequest.self, from: payload)
        received.withLock { $0.append((forward.envelope, request.metadataValue("containerd-namespace-ttrpc"))) }
        return Data()
    }

    func waitForEvents(_ count: Int, timeout: Duration = .seconds(10)) -> [Containerd_Types_Envelope] {
        received.wait(until: .after(timeout)) { $0.count >= count ? $0.map(\.envelope) : nil } ?? received.withLock { $0.map(\.envelope) }
    }
}

@Suite("event publisher")
struct EventsPublisherTests {
    private func taskEvents(_ id: String) -> [(String, any SwiftProtobuf.Message)] {
        var create = Containerd_Events_TaskCreate()
        create.containerID = id
        create.bundle = "/run/bundle/\(id)"
        var start = Containerd_Events_TaskStart()
        start.containerID = id
        start.pid = 42
        var exit = Containerd_Events_TaskExit()
        exit.containerID = id
        exit.id = id
        exit.pid = 42
        exit.exitStatus = 3
        var delete = Containerd_Events_TaskDelete()
        delete.containerID = id
        delete.exitStatus = 3
        return [("/tasks/create", create), ("/tasks/start", start), ("/tasks/exit", exit), ("/tasks/delete", delete)]
    }

    @Test func forwardsEnvelopesInOrder() throws {
        let fake = FakeEventsService()
        let server = try RunningServer(services: [fake], tag: "events")
        defer { server.stop() }
        let publisher = EventPublisher(ttrpcAddress: "unix://" + server.path, namespace: "k8s.io")
        let before = Google_Protobuf_Timestamp.now
        for (topic, event) in taskEvents("c1") {
            publisher.publish(topic: topic, event: event)
        }
        #expect(publisher.close(deadline: .seconds(10)))
        let after = Google_Protobuf_Timestamp.now

        let envelopes = fake.waitForEvents(4)
        #expect(envelopes.map(\.topic) == ["/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"])
        #expect(envelopes.map(\.event.typeURL) == [
            "containerd.events.TaskCreate", "containerd.events.TaskStart",
            "containerd.events.TaskExit", "containerd.events.TaskDelete",
        ])
        #expect(envelopes.allSatisfy { $0.namespace == "k8s.io" })
        #expect(fake.received.withLock { $0.allSatisfy { $0.namespaceHeader == "k8s.io" } })
        for envelope in envelopes {
            #expect(envelope.hasTimestamp)
            #expect(envelope.timestamp.seconds >= before.seconds && envelope.timestamp.seconds <= after.seconds)
        }
        let stamps = envelopes.map { Double($0.timestamp.seconds) + Double($0.timestamp.nanos) / 1e9 }
        #expect(stamps == stamps.sorted())

        let exit = try Containerd_Events_TaskExit(serializedBytes: try #require(envelopes.dropFirst(2).first).event.value)
        #expect(exit.containerID == "c1" && exit.pid == 42 && exit.exitStatus == 3)
    }

    @Test func retriesAndKeepsOrder() throws {
        let fake = FakeEventsService(failFirst: 3)
        let server = try RunningServer(services: [fake], tag: "retry")
        defer { server.stop() }
        let publisher = EventPublisher(ttrpcAddress: server.path, namespace: "default", retryDelay: .milliseconds(10))
        for (topic, event) in taskEvents("c2") {
            publisher.publish(topic: topic, event: event)
        }
        let envelopes = fake.waitForEvents(4)
        #expect(envelopes.map(\.topic) == ["/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"])
        #expect(fake.failuresLeft.withLock { $0 } == 0)
        publisher.close()
    }

    @Test func waitsForContainerdToComeUp() throws {
        let path = temporarySocketPath("late")
        let publisher = EventPublisher(ttrpcAddress: path, namespace: "default", retryDelay: .milliseconds(100))
        var oom = Containerd_Events_TaskOOM()
        oom.containerID = "c3"
        publisher.publish(topic: "/tasks/oom", event: oom)

        // containerd's socket appears after the first attempt failed.
        usleep(50_000)
        let fake = FakeEventsService()
        let listener = try UnixSocket.listen(path: path)
        let server = TTRPCServer(services: [fake])
        Threads.spawn(name: "late-server") { try? server.serve(listenerFD: listener) }
        defer {
            server.shutdown()
            close(listener)
            unlink(path)
        }
        let envelopes = fake.waitForEvents(1)
        #expect(envelopes.map(\.event.typeURL) == ["containerd.events.TaskOOM"])
        publisher.close()
    }

    @Test func givesUpAfterFiveAttemptsWithoutBlockingTheCaller() throws {
        let publisher = EventPublisher(
            ttrpcAddress: temporarySocketPath("nobody"), namespace: "default", retryDelay: .milliseconds(100))
        let start = MonotonicInstant.now()
        var event = Containerd_Events_TaskPaused()
        event.containerID = "c4"
        publisher.publish(topic: "/tasks/paused", event: event)
        // Sending with its retries takes a second; publish only queues.
        #expect(MonotonicInstant.now().nanoseconds - start.nanoseconds < 300_000_000, "publish only queues")
        // 5 attempts with 100+200+300+400 ms between them: done well within the deadline.
        #expect(publisher.close(deadline: .seconds(5)))
    }

    @Test func anyUsesTheBareTypeName() throws {
        var event = Containerd_Events_TaskExecStarted()
        event.execID = "e1"
        let any = try EventPublisher.wrap(event)
        #expect(any.typeURL == "containerd.events.TaskExecStarted")
        #expect(try Containerd_Events_TaskExecStarted(serializedBytes: any.value) == event)
    }
}
