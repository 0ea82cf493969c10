import CSeccomp
import Glibc

/// The device nodes and links every container's /dev has (runc's defaults), created when the
/// spec mounts a fresh tmpfs on /dev. A node that cannot be created (no CAP_MKNOD) is bound
/// from the host's instead.
enum DeviceNodes {
    static let nodes: [(name: String, major: UInt32, minor: UInt32)] = [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ]

    static let links: [(name: String, target: String)] = [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx"),
    ]

    static func create(in dev: String) throws(ContainerSetupError) {
        let previousMask = umask(0)
        defer { umask(previousMask) }
        for node in nodes {
            let path = dev + "/" + node.name
            if LinuxFile.exists(path) { continue }
            if mknod(path, S_IFCHR | 0o666, shim_makedev(node.major, node.minor)) == 0 { continue }
            let failure = SystemCallError("mknod", path: path)
            guard failure.errno == EPERM else { throw ContainerSetupError("creating /dev/\(node.name)", failure) }
            do {
                try LinuxFile.create(path, bytes: [], mode: 0o666)
            } catch {
                throw ContainerSetupError("creating /dev/\(node.name)", error)
            }
            guard mount("/dev/" + node.name, path, nil, MountFlag.bind, nil) == 0 else {
                throw ContainerSetupError("binding /dev/\(node.name)", SystemCallError("mount", path: path))
            }
        }
        for link in links where !LinuxFile.exists(dev + "/" + link.name) {
            guard symlink(link.target, dev + "/" + link.name) == 0 else {
                throw ContainerSetupError("linking /dev/\(link.name)", SystemCallError("symlink", path: dev + "/" + link.name))
            }
        }
    }
}
