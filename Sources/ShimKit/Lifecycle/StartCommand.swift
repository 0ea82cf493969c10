import FoundationEssentials
import Glibc

/// `start`: containerd runs it in the bundle and reads everything it prints (stdout and
/// stderr together) as the address of the shim's ttrpc socket. It binds the socket, spawns
/// the daemon on it (this binary again, without an action) and prints the address alone.
/// A pod's containers share one shim: when the pod's socket already answers, it is reused.
enum StartCommand {
    static func run(_ arguments: ShimArguments) -> Int32 {
        guard !arguments.namespace.isEmpty, !arguments.id.isEmpty else {
            standardError("start needs -namespace and -id\n")
            return 1
        }
        var annotations: [String: String]?
        if let bundle = try? OCIBundle.load(path: ".") { annotations = bundle.spec.annotations }
        let group = SocketAddress.group(annotations: annotations, id: arguments.id)
        let address = SocketAddress.address(
            containerdAddress: arguments.address, namespace: arguments.namespace, group: group)
        let path = UnixSocket.path(fromAddress: address)

        if let existing = try? UnixSocket.connect(path: path) {
            close(existing)
            return publish(address) ? 0 : 1
        }
        unlink(path)
        let listener: Int32
        do {
            // Every missing component, as containerd's shims do: /run/containerd may not exist yet.
            try LinuxFile.makeDirectories(LinuxFile.parent(of: path), mode: 0o711)
            listener = try UnixSocket.listen(path: path)
        } catch {
            standardError("listening on \(path): \(error)\n")
            return 1
        }
        defer { close(listener) }
        chmod(path, 0o600)
        // The address file before the daemon: when the bundle cannot take it (a full disk),
        // Create fails with nothing left running.
        guard writeAddressFile(address) else {
            unlink(path)
            return 1
        }
        guard let devNull = Optional(open("/dev/null", O_RDWR | O_CLOEXEC)), devNull >= 0 else {
            standardError("opening /dev/null: \(String(cString: strerror(errno)))\n")
            unlink(path)
            return 1
        }
        defer { close(devNull) }
        do {
            // The daemon must not keep containerd's output pipe open: containerd reads it to the end.
            _ = try ProcessSpawner.spawn(
                executable: ContainerProcess.selfExecutable, arguments: arguments.daemonArguments(socket: address),
                descriptors: [devNull, devNull, devNull, listener])
        } catch {
            unlink(path)
            unlink("address")
            standardError("starting the shim daemon: \(error)\n")
            return 1
        }
        var text = address
        text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
        return 0
    }

    /// Writes `./address` and prints the address: the answer when the pod's shim runs already.
    private static func publish(_ address: String) -> Bool {
        guard writeAddressFile(address) else { return false }
        var text = address
        text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
        return true
    }

    /// Writes `./address` (containerd reads it to reconnect after a restart), whole or not at all.
    private static func writeAddressFile(_ address: String) -> Bool {
        let temporary = ".address"
        do {
            try LinuxFile.create(temporary, bytes: Array(address.utf8))
        } catch {
            unlink(temporary)
            standardError("writing the address file: \(error)\n")
            return false
        }
        guard rename(temporary, "address") == 0 else {
            standardError("writing the address file: \(String(cString: strerror(errno)))\n")
            unlink(temporary)
            return false
        }
        return true
    }
}
