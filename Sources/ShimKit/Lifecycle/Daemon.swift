import Glibc
import Logging

/// The shim daemon: serves the Task service on the socket `start` bound (fd 3) until a
/// Shutdown leaves no task, publishing events to containerd and logging to the bundle's fifo.
enum Daemon {
    static let listenerDescriptor: Int32 = 3

    static func run<I: TaskInstance>(_ instance: I.Type, _ arguments: ShimArguments,
                                     preparation: (any ContainerPreparation)?) -> Int32 {
        guard !arguments.socket.isEmpty else {
            standardError("the shim daemon is started by `start` (it needs -socket)\n")
            return 2
        }
        signal(SIGPIPE, SIG_IGN)
        GNUFunctions.useOneMallocArena()
        let sink = LogSink.openFifo(path: "log")
        LogfmtLogHandler.bootstrap(sink: sink, debug: arguments.debug, metadata: ["pod": "\(arguments.id)"])
        let logger = Logger(label: "shim")
        // Containers' processes are children, and grandchildren reparented to the daemon.
        Reaper.shared.reapAllChildren()

        let environment = getenv("TTRPC_ADDRESS").map { String(cString: $0) }
        let ttrpcAddress = environment ?? arguments.address + ".ttrpc"
        let events = EventPublisher(ttrpcAddress: ttrpcAddress, namespace: arguments.namespace, logger: logger)
        let server = TTRPCServerBox()
        let service = TaskService<I>(
            namespace: arguments.namespace, containerdAddress: arguments.address, preparation: preparation,
            events: events, logger: logger
        ) {
            server.shutdown()
        }
        let ttrpc = TTRPCServer(services: [service], logger: logger)
        server.set(ttrpc)
        logger.info("serving", metadata: ["socket": "\(arguments.socket)"])
        do {
            try ttrpc.serve(listenerFD: listenerDescriptor)
        } catch {
            logger.error("serving the task API failed: \(error)")
        }
        events.close()
        unlink(UnixSocket.path(fromAddress: arguments.socket))
        logger.info("exiting")
        return 0
    }
}

/// Lets the Task service stop the server it is served by.
private final class TTRPCServerBox: @unchecked Sendable {
    private let server = Monitor<TTRPCServer?>(nil)

    func set(_ value: TTRPCServer) { server.withLock { $0 = value } }

    func shutdown() {
        // Answer the Shutdown request first: stop from another thread.
        let target = server.withLock { $0 }
        _ = Threads.spawn(name: "shutdown") { target?.shutdown() }
    }
}
