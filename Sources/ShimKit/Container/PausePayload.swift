import Glibc

/// The payload of a CRI pod sandbox (`io.kubernetes.cri.container-type=sandbox`): it only
/// keeps the pod's namespaces alive until it is killed, as Kubernetes' pause binary does.
/// SIGTERM and SIGINT end it with status 0; SIGKILL gives 137 through the reaper.
public struct PausePayload: ContainerPayload {
    public init() {}

    public mutating func prepare(_ container: ContainerContext) throws {
        // Installed now: the seccomp filter will not allow rt_sigaction later.
        for signal in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in _exit(0) }
            sigemptyset(&action.sa_mask)
            guard sigaction(signal, &action, nil) == 0 else {
                throw SystemCallError("sigaction(\(signal))")
            }
        }
    }

    public var allowedSyscalls: [AllowedSyscall] { ["pause"] }

    public mutating func run() -> Int32 {
        while true {
            pause()
        }
    }
}
