extension OCISpec {
    /// Checks what decoding cannot: required fields, known names, and combinations the
    /// container process would reject later, so that Create fails early with the field named.
    public func validate() throws(ConfigError) {
        guard let root else { throw ConfigError(field: "root", "missing") }
        guard !root.path.isEmpty else { throw ConfigError(field: "root.path", "empty") }
        guard let process else { throw ConfigError(field: "process", "missing") }
        guard let args = process.args, !args.isEmpty else { throw ConfigError(field: "process.args", "empty") }
        if let cwd = process.cwd, !cwd.hasPrefix("/") {
            throw ConfigError(field: "process.cwd", "\"\(cwd)\" is not an absolute path")
        }
        for (index, rlimit) in (process.rlimits ?? []).enumerated() {
            guard ResourceLimit(name: rlimit.type) != nil else {
                throw ConfigError(field: "process.rlimits[\(index)].type", "unknown resource limit \"\(rlimit.type)\"")
            }
            guard rlimit.soft <= rlimit.hard else {
                throw ConfigError(field: "process.rlimits[\(index)]", "soft limit \(rlimit.soft) is above the hard limit \(rlimit.hard)")
            }
        }
        for (index, mount) in (mounts ?? []).enumerated() where mount.destination.isEmpty {
            throw ConfigError(field: "mounts[\(index)].destination", "empty")
        }
        // Without a `linux` section there would be no mount namespace: the container's
        // filesystem setup (private mounts, pivot_root) must never run in the host's.
        guard let linux else {
            throw ConfigError(field: "linux", "missing: a Linux container needs its namespaces (a mount namespace at least)")
        }
        try linux.validate()
        if let hostname, !hostname.isEmpty, namespace("uts") == nil {
            throw ConfigError(field: "hostname", "unable to set hostname without a private UTS namespace")
        }
    }
}

extension OCISpec.Linux {
    func validate() throws(ConfigError) {
        var seen: Set<String> = []
        for (index, namespace) in (namespaces ?? []).enumerated() {
            let field = "linux.namespaces[\(index)]"
            // A user namespace needs uid and gid mappings the shim does not write, so it is
            // refused rather than half-done.
            if namespace.type == "user" {
                throw ConfigError(field: field + ".type", "user namespaces are not supported")
            }
            guard Namespaces.flag(namespace.type) != nil else {
                throw ConfigError(field: field + ".type", "unknown namespace type \"\(namespace.type)\"")
            }
            guard seen.insert(namespace.type).inserted else {
                throw ConfigError(field: field + ".type", "namespace \"\(namespace.type)\" is listed twice")
            }
            if let path = namespace.path, !path.isEmpty, !path.hasPrefix("/") {
                throw ConfigError(field: field + ".path", "\"\(path)\" is not an absolute path")
            }
            if namespace.type == "mount", let path = namespace.path, !path.isEmpty {
                throw ConfigError(field: field + ".path", "joining an existing mount namespace is not supported")
            }
        }
        if !seen.contains("mount") {
            throw ConfigError(field: "linux.namespaces", "a mount namespace is required (the container pivots into its rootfs)")
        }
        if let cgroupsPath, cgroupsPath.contains(":") {
            throw ConfigError(field: "linux.cgroupsPath", "\"\(cgroupsPath)\" is a systemd cgroup path; only the cgroupfs driver is supported")
        }
        if let propagation = rootfsPropagation, !propagation.isEmpty, MountOptions.propagationFlag(propagation) == nil {
            throw ConfigError(field: "linux.rootfsPropagation", "unknown propagation \"\(propagation)\"")
        }
        if let seccomp { try seccomp.validate() }
    }
}

extension OCISpec.Seccomp {
    func validate() throws(ConfigError) {
        do {
            _ = try SeccompAction(specName: defaultAction, errnoRet: defaultErrnoRet)
        } catch {
            throw ConfigError(field: "linux.seccomp.defaultAction", error.message)
        }
        for (index, architecture) in (architectures ?? []).enumerated() where SeccompFilter.libseccompArchitecture(architecture) == nil {
            throw ConfigError(field: "linux.seccomp.architectures[\(index)]", "unknown architecture \"\(architecture)\"")
        }
        for (index, syscall) in (syscalls ?? []).enumerated() {
            let field = "linux.seccomp.syscalls[\(index)]"
            do {
                _ = try SeccompAction(specName: syscall.action, errnoRet: syscall.errnoRet)
            } catch {
                throw ConfigError(field: field + ".action", error.message)
            }
            for (argIndex, arg) in (syscall.args ?? []).enumerated() {
                guard SeccompFilter.comparison(arg.op) != nil else {
                    throw ConfigError(field: field + ".args[\(argIndex)].op", "unknown comparison \"\(arg.op)\"")
                }
                guard arg.index < 6 else {
                    throw ConfigError(field: field + ".args[\(argIndex)].index", "\(arg.index) is not a syscall argument (0...5)")
                }
            }
        }
    }
}
