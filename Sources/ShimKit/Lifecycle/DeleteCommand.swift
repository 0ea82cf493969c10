import ContainerdAPI
import Glibc
import SwiftProtobuf

/// `delete`: containerd runs it after a task's connection to the shim closed (normally, or
/// because the shim died). It releases what a dead shim may have left (the rootfs mount, the
/// cgroup and any process in it, the socket when nothing answers on it any more) and prints a
/// `DeleteResponse`.
enum DeleteCommand {
    static func run(_ arguments: ShimArguments) -> Int32 {
        let bundlePath = arguments.bundle.isEmpty ? "." : arguments.bundle
        if let bundle = try? OCIBundle.load(path: bundlePath) {
            if let path = Cgroup.path(for: bundle.spec, id: arguments.id), let cgroup = try? Cgroup.locate(path: path) {
                for pid in (try? cgroup.processIDs()) ?? [] { kill(pid, SIGKILL) }
                for _ in 0..<50 where !((try? cgroup.processIDs())?.isEmpty ?? true) { usleep(20_000) }  // up to a second
                try? cgroup.delete()
            }
            // Only a rootfs inside the bundle is ours to unmount (`ctr run --rootfs /dir` is not).
            if !(bundle.spec.root?.path ?? "").hasPrefix("/") { try? RootfsMounts.unmount(bundle.rootfsPath) }
            removeDeadSocket(arguments, annotations: bundle.spec.annotations)
        }
        var response = Containerd_Task_V2_DeleteResponse()
        response.exitStatus = 137
        response.exitedAt = .now
        guard let bytes: [UInt8] = try? response.serializedBytes() else { return 1 }
        bytes.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
        return 0
    }

    /// A pod's containers share the shim's socket: it goes only when no shim listens on it.
    private static func removeDeadSocket(_ arguments: ShimArguments, annotations: [String: String]?) {
        guard !arguments.namespace.isEmpty, !arguments.id.isEmpty else { return }
        let group = SocketAddress.group(annotations: annotations, id: arguments.id)
        let address = SocketAddress.address(containerdAddress: arguments.address, namespace: arguments.namespace, group: group)
        let path = UnixSocket.path(fromAddress: address)
        if let live = try? UnixSocket.connect(path: path) {
            close(live)
            return
        }
        unlink(path)
    }
}
