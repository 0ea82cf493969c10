import ContainerdAPI
import FoundationEssentials
import Glibc
import Logging
import SwiftProtobuf

/// `containerd.task.v2.Task` over ttrpc, for the containers of one shim (a pod's, with CRI).
///
/// Every request runs on its own thread, so a `Wait` blocks while `Kill` arrives. Each task
/// moves created → running → stopped, then is deleted; other moves answer FAILED_PRECONDITION.
/// Events go out in the order containerd requires: create, start, exit, delete.
public final class TaskService<I: TaskInstance>: TTRPCService, @unchecked Sendable {
    public let name = "containerd.task.v2.Task"

    private let namespace: String
    private let containerdAddress: String
    private let preparation: (any ContainerPreparation)?
    private let events: EventPublisher?
    private let logger: Logger
    private let tasks = Monitor<[String: Task]>([:])
    /// Ids of tasks being created: reserved so that a concurrent Create of the same id fails
    /// and a concurrent Shutdown does not stop the shim under it.
    private let creating = Monitor<Set<String>>([])
    /// Called after a Shutdown that leaves no task: the daemon stops serving and exits.
    private let onShutdown: @Sendable () -> Void

    final class Task: @unchecked Sendable {
        enum State: Equatable { case created, running, stopped, deleting }

        let id: String
        let bundle: String
        let instance: I
        let stdin: String, stdout: String, stderr: String
        /// Guarded by the service's lock.
        var state = State.created
        /// Serializes Start and the exit event, so that TaskStart is published before TaskExit.
        let lifecycle = Monitor(())

        init(id: String, bundle: String, instance: I, stdin: String, stdout: String, stderr: String) {
            self.id = id
            self.bundle = bundle
            self.instance = instance
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// - Parameters:
    ///   - containerdAddress: containerd's gRPC socket, for `preparation`.
    ///   - preparation: what the shim does for each container during Create (see `InstanceConfiguration`).
    public init(namespace: String, containerdAddress: String = "", preparation: (any ContainerPreparation)? = nil,
                events: EventPublisher?, logger: Logger, onShutdown: @escaping @Sendable () -> Void) {
        self.namespace = namespace
        self.containerdAddress = containerdAddress
        self.preparation = preparation
        self.events = events
        self.logger = logger
        self.onShutdown = onShutdown
    }

    public func handle(method: String, request: TTRPCRequestContext, payload: Data) throws(TTRPCError) -> Data {
        logger.debug("\(method)")
        do {
            switch method {
            case "Create": return try encode(create(decode(payload)))
            case "Start": return try encode(start(decode(payload)))
            case "Wait": return try encode(wait(decode(payload)))
            case "Kill": return try encode(kill(decode(payload)))
            case "Delete": return try encode(delete(decode(payload)))
            case "State": return try encode(state(decode(payload)))
            case "Pids": return try encode(pids(decode(payload)))
            case "Connect": return try encode(connect(decode(payload)))
            case "Shutdown": return try encode(shutdown(decode(payload)))
            case "CloseIO": return try encode(closeIO(decode(payload)))
            case "Stats": return try encode(stats(decode(payload)))
            case "Update": return try encode(update(decode(payload)))
            case "Pause", "Resume", "Checkpoint", "Exec", "ResizePty":
                throw TTRPCError(.unimplemented, "\(method) is not supported by this shim")
            default:
                throw TTRPCError.unimplementedMethod(method)
            }
        } catch let error as TTRPCError {
            throw error
        } catch let error as InstanceError {
            throw TTRPCError(error.code, error.message)
        } catch {
            throw TTRPCError(.unknown, "\(error)")
        }
    }

    /// `Wait` blocks until its task exits: containerd keeps one open per task.
    public func waits(_ method: String) -> Bool { method == "Wait" }

    private func decode<M: SwiftProtobuf.Message>(_ payload: Data) throws(TTRPCError) -> M {
        try TTRPCPayload.decode(M.self, from: payload)
    }

    private func encode(_ message: some SwiftProtobuf.Message) throws(TTRPCError) -> Data {
        try TTRPCPayload.encode(message)
    }

    // MARK: Tasks

    private func task(_ id: String, execID: String = "") throws -> Task {
        guard execID.isEmpty else { throw TTRPCError(.notFound, "exec \(execID) of task \(id) not found") }
        guard let task = tasks.withLock({ $0[id] }) else { throw TTRPCError(.notFound, "task \(id) not found") }
        return task
    }

    private func publish(_ topic: String, _ event: some SwiftProtobuf.Message) {
        events?.publish(topic: topic, event: event)
    }

    // MARK: Methods

    private func create(_ request: Containerd_Task_V2_CreateTaskRequest) throws -> Containerd_Task_V2_CreateTaskResponse {
        guard request.checkpoint.isEmpty, request.parentCheckpoint.isEmpty else {
            throw TTRPCError(.unimplemented, "checkpoints are not supported")
        }
        guard !request.terminal else { throw TTRPCError(.invalidArgument, "terminal is not supported") }
        let id = request.id
        let reserved = tasks.withLock { tasks in
            creating.withLock { creating in tasks[id] == nil && creating.insert(id).inserted }
        }
        guard reserved else { throw TTRPCError(.alreadyExists, "task \(id) already exists") }
        defer { creating.withLock { _ = $0.remove(id) } }

        let configuration = InstanceConfiguration(
            bundle: request.bundle, namespace: namespace,
            rootfs: request.rootfs.map { RootfsMount(type: $0.type, source: $0.source, options: $0.options) },
            stdin: request.stdin, stdout: request.stdout, stderr: request.stderr,
            onOOM: { [weak self] in
                var event = Containerd_Events_TaskOOM()
                event.containerID = id
                self?.publish("/tasks/oom", event)
                self?.logger.warning("out of memory", metadata: ["instance": "\(id)"])
            },
            containerdAddress: containerdAddress, preparation: preparation)
        let instance = try I(id: id, configuration: configuration)
        let task = Task(id: id, bundle: request.bundle, instance: instance, stdin: request.stdin,
                        stdout: request.stdout, stderr: request.stderr)
        tasks.withLock { $0[id] = task }
        instance.onExit { [weak self] record in self?.exited(task, record) }

        var event = Containerd_Events_TaskCreate()
        event.containerID = id
        event.bundle = request.bundle
        event.rootfs = request.rootfs
        event.io.stdin = request.stdin
        event.io.stdout = request.stdout
        event.io.stderr = request.stderr
        event.pid = UInt32(bitPattern: instance.pid)
        publish("/tasks/create", event)
        logger.info("created", metadata: ["instance": "\(id)", "pid": "\(instance.pid)"])
        for warning in instance.warnings { logger.warning("\(warning)", metadata: ["instance": "\(id)"]) }

        var response = Containerd_Task_V2_CreateTaskResponse()
        response.pid = UInt32(bitPattern: instance.pid)
        return response
    }

    private func start(_ request: Containerd_Task_V2_StartRequest) throws -> Containerd_Task_V2_StartResponse {
        guard request.execID.isEmpty else { throw TTRPCError(.unimplemented, "exec is not supported") }
        let task = try task(request.id)
        try task.lifecycle.withLock { _ in
            try transition(task, from: [.created], to: .running, verb: "start")
            do {
                try task.instance.start()
            } catch {
                tasks.withLock { _ in task.state = .created }
                throw error
            }
            var event = Containerd_Events_TaskStart()
            event.containerID = task.id
            event.pid = UInt32(bitPattern: task.instance.pid)
            publish("/tasks/start", event)
        }
        var response = Containerd_Task_V2_StartResponse()
        response.pid = UInt32(bitPattern: task.instance.pid)
        return response
    }

    /// The container's exit, from the instance (on the reaper's thread).
    private func exited(_ task: Task, _ record: ExitRecord) {
        task.lifecycle.withLock { _ in
            tasks.withLock { _ in
                if task.state != .deleting { task.state = .stopped }
            }
            var event = Containerd_Events_TaskExit()
            event.containerID = task.id
            event.id = task.id
            event.pid = UInt32(bitPattern: task.instance.pid)
            event.exitStatus = record.status
            event.exitedAt = Google_Protobuf_Timestamp(record.time)
            publish("/tasks/exit", event)
        }
        logger.info("exited", metadata: ["instance": "\(task.id)", "status": "\(record.status)"])
    }

    private func transition(_ task: Task, from allowed: [Task.State], to next: Task.State, verb: String) throws {
        try tasks.withLock { _ in
            guard allowed.contains(task.state) else {
                throw TTRPCError(.failedPrecondition, "cannot \(verb) task \(task.id): it is \(task.state)")
            }
            task.state = next
        }
    }

    private func wait(_ request: Containerd_Task_V2_WaitRequest) throws -> Containerd_Task_V2_WaitResponse {
        let task = try task(request.id, execID: request.execID)
        let record = task.instance.wait()
        // The process is reaped before `exited` marks the task stopped (on the reaper's
        // thread): answer only after that, or the Delete a client sends next finds it running.
        _ = tasks.wait(until: nil) { _ in [.stopped, .deleting].contains(task.state) ? true : nil }
        var response = Containerd_Task_V2_WaitResponse()
        response.exitStatus = record.status
        response.exitedAt = Google_Protobuf_Timestamp(record.time)
        return response
    }

    private func kill(_ request: Containerd_Task_V2_KillRequest) throws -> Google_Protobuf_Empty {
        let task = try task(request.id, execID: request.execID)
        if [.stopped, .deleting].contains(tasks.withLock({ _ in task.state })) {
            throw TTRPCError(.notFound, "process already finished")
        }
        try task.instance.kill(signal: Int32(bitPattern: request.signal), all: request.all)
        return Google_Protobuf_Empty()
    }

    private func delete(_ request: Containerd_Task_V2_DeleteRequest) throws -> Containerd_Task_V2_DeleteResponse {
        let task = try task(request.id, execID: request.execID)
        let previous = try tasks.withLock { _ -> Task.State in
            switch task.state {
            case .running: throw TTRPCError(.failedPrecondition, "cannot delete task \(task.id): it is running")
            case .deleting: throw TTRPCError(.failedPrecondition, "task \(task.id) is being deleted")
            case .created, .stopped:
                defer { task.state = .deleting }
                return task.state
            }
        }
        if previous == .created {
            // Never started: its process waits for Start; end it.
            try? task.instance.kill(signal: SIGKILL, all: true)
        }
        let record = task.instance.wait()
        do {
            try task.instance.delete()
        } catch {
            logger.warning("cleanup incomplete: \(error)", metadata: ["instance": "\(task.id)"])
        }
        tasks.withLock { $0[task.id] = nil }
        var event = Containerd_Events_TaskDelete()
        event.containerID = task.id
        event.pid = UInt32(bitPattern: task.instance.pid)
        event.exitStatus = record.status
        event.exitedAt = Google_Protobuf_Timestamp(record.time)
        publish("/tasks/delete", event)
        logger.info("deleted", metadata: ["instance": "\(task.id)"])

        var response = Containerd_Task_V2_DeleteResponse()
        response.pid = UInt32(bitPattern: task.instance.pid)
        response.exitStatus = record.status
        response.exitedAt = Google_Protobuf_Timestamp(record.time)
        return response
    }

    private func state(_ request: Containerd_Task_V2_StateRequest) throws -> Containerd_Task_V2_StateResponse {
        let task = try task(request.id, execID: request.execID)
        var response = Containerd_Task_V2_StateResponse()
        response.id = task.id
        response.bundle = task.bundle
        response.pid = UInt32(bitPattern: task.instance.pid)
        response.stdin = task.stdin
        response.stdout = task.stdout
        response.stderr = task.stderr
        tasks.withLock { _ in
            switch task.state {
            case .created: response.status = .created
            case .running: response.status = .running
            case .stopped, .deleting: response.status = .stopped
            }
            if let exit = task.instance.exit {
                response.exitStatus = exit.status
                response.exitedAt = Google_Protobuf_Timestamp(exit.time)
            }
        }
        return response
    }

    private func pids(_ request: Containerd_Task_V2_PidsRequest) throws -> Containerd_Task_V2_PidsResponse {
        let task = try task(request.id)
        var response = Containerd_Task_V2_PidsResponse()
        if ![.stopped, .deleting].contains(tasks.withLock({ _ in task.state })) {
            var info = Containerd_V1_Types_ProcessInfo()
            info.pid = UInt32(bitPattern: task.instance.pid)
            response.processes = [info]
        }
        return response
    }

    private func connect(_ request: Containerd_Task_V2_ConnectRequest) throws -> Containerd_Task_V2_ConnectResponse {
        var response = Containerd_Task_V2_ConnectResponse()
        response.shimPid = UInt32(bitPattern: getpid())
        if let task = tasks.withLock({ $0[request.id] }) {
            response.taskPid = UInt32(bitPattern: task.instance.pid)
        }
        return response
    }

    private func shutdown(_ request: Containerd_Task_V2_ShutdownRequest) throws -> Google_Protobuf_Empty {
        // One shim serves a whole pod: it exits only when none of its tasks remain.
        if tasks.withLock({ tasks in tasks.isEmpty && creating.withLock { $0.isEmpty } }) {
            logger.info("shutting down")
            onShutdown()
        }
        return Google_Protobuf_Empty()
    }

    private func closeIO(_ request: Containerd_Task_V2_CloseIORequest) throws -> Google_Protobuf_Empty {
        let task = try task(request.id, execID: request.execID)
        if request.stdin { task.instance.closeStdin() }
        return Google_Protobuf_Empty()
    }

    private func stats(_ request: Containerd_Task_V2_StatsRequest) throws -> Containerd_Task_V2_StatsResponse {
        let task = try task(request.id)
        var response = Containerd_Task_V2_StatsResponse()
        let stats = try task.instance.stats()
        do {
            response.stats = try ContainerMetrics.message(from: stats)
        } catch {
            throw TTRPCError(.internal, "encoding the metrics: \(error)")
        }
        return response
    }

    private func update(_ request: Containerd_Task_V2_UpdateTaskRequest) throws -> Google_Protobuf_Empty {
        let task = try task(request.id)
        let resources: OCISpec.Resources
        do {
            resources = try JSONDecoder().decode(OCISpec.Resources.self, from: request.resources.value)
        } catch {
            throw TTRPCError(.invalidArgument, "resources: \(error)")
        }
        try task.instance.update(resources: resources)
        return Google_Protobuf_Empty()
    }
}
