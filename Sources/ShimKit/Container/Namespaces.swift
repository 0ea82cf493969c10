import CSeccomp
import Glibc

/// Entering the namespaces a spec lists: joining those with a `path`, creating the others.
enum Namespaces {
    /// The clone flag of a namespace type.
    static func flag(_ type: String) -> Int32? {
        switch type {
        case "pid": return shim_clone_newpid()
        case "network": return shim_clone_newnet()
        case "mount": return shim_clone_newns()
        case "ipc": return shim_clone_newipc()
        case "uts": return shim_clone_newuts()
        case "cgroup": return shim_clone_newcgroup()
        case "time": return shim_clone_newtime()
        default: return nil
        }
    }

    /// Joins, then creates, the namespaces. Every path is opened before any is joined, since
    /// joining a namespace can change what later paths resolve to. Returns true when the pid or
    /// time namespace changed: those apply to children only, so the caller must fork.
    static func enter(_ namespaces: [OCISpec.Namespace]) throws(ContainerSetupError) -> Bool {
        var joins: [(namespace: OCISpec.Namespace, fd: Int32, flag: Int32)] = []
        defer { for join in joins { close(join.fd) } }
        var newFlags: Int32 = 0
        var childrenOnly = false
        for namespace in namespaces {
            guard let flag = flag(namespace.type) else {
                throw ContainerSetupError("entering namespaces", "unsupported namespace type \"\(namespace.type)\"")
            }
            if namespace.type == "pid" || namespace.type == "time" { childrenOnly = true }
            if let path = namespace.path, !path.isEmpty {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw ContainerSetupError("opening the \(namespace.type) namespace", SystemCallError("open", path: path))
                }
                joins.append((namespace, fd, flag))
            } else {
                newFlags |= flag
            }
        }
        for join in joins where shim_setns(join.fd, join.flag) != 0 {
            throw ContainerSetupError(
                "joining the \(join.namespace.type) namespace", SystemCallError("setns", path: join.namespace.path))
        }
        if newFlags != 0, shim_unshare(newFlags) != 0 {
            let types = namespaces.filter { ($0.path ?? "").isEmpty }.map(\.type).joined(separator: ", ")
            throw ContainerSetupError("creating namespaces (\(types))", SystemCallError("unshare"))
        }
        return childrenOnly
    }
}
