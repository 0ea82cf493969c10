import CSeccomp
import Glibc

/// A setup step of the container process that failed; its description is what Create returns.
struct ContainerSetupError: Error, CustomStringConvertible {
    var step: String
    var reason: String

    init(_ step: String, _ reason: String) {
        self.step = step
        self.reason = reason
    }

    init(_ step: String, _ error: SystemCallError) {
        self.init(step, error.description)
    }

    var description: String { "\(step): \(reason)" }
}

/// Builds the container's file system view inside its new mount namespace: the host's mounts
/// made private, the rootfs bound onto itself, the spec's mounts, /dev's device nodes, masked
/// and read-only paths, then pivot_root (chroot when pivot_root is impossible).
struct ContainerFilesystem {
    let configuration: InitConfiguration
    var warnings: [String] = []

    private var rootfs: String { configuration.rootfs }
    private var spec: OCISpec { configuration.spec }

    init(_ configuration: InitConfiguration) {
        self.configuration = configuration
    }

    mutating func build() throws(ContainerSetupError) {
        // Nothing mounted from here on may propagate back to the host.
        let slave = ["slave", "rslave"].contains(spec.linux?.rootfsPropagation ?? "")
        let propagation = (slave ? MountFlag.slave : MountFlag.private) | MountFlag.recursive
        guard mount("", "/", nil, propagation, nil) == 0 else {
            throw ContainerSetupError("making the mounts private", SystemCallError("mount", path: "/"))
        }
        // pivot_root needs the new root to be a mount point.
        guard mount(rootfs, rootfs, nil, MountFlag.bind | MountFlag.recursive, nil) == 0 else {
            throw ContainerSetupError("binding the rootfs", SystemCallError("mount", path: rootfs))
        }
        var devIsTmpfs = false
        for (index, entry) in (spec.mounts ?? []).enumerated() {
            do {
                try mountEntry(entry)
            } catch {
                throw ContainerSetupError("mounts[\(index)] (\(entry.type ?? "bind") on \(entry.destination))", error)
            }
            if entry.destination == "/dev", entry.type == "tmpfs" { devIsTmpfs = true }
        }
        if devIsTmpfs { try DeviceNodes.create(in: resolved("/dev")) }
        try maskPaths()
        try pivot()
        if spec.root?.readonly == true {
            guard mount("", "/", nil, MountFlag.bind | MountFlag.remount | MountFlag.readOnly, nil) == 0 else {
                throw ContainerSetupError("making the root read-only", SystemCallError("mount", path: "/"))
            }
        }
        let cwd = spec.process?.cwd ?? "/"
        if chdir(cwd) != 0 {
            if spec.root?.readonly != true { try? LinuxFile.makeDirectories(cwd) }
            guard chdir(cwd) == 0 else { throw ContainerSetupError("entering process.cwd", SystemCallError("chdir", path: cwd)) }
        }
    }

    private func resolved(_ containerPath: String) throws(ContainerSetupError) -> String {
        do {
            return try RootfsPath.resolve(containerPath, in: rootfs)
        } catch {
            throw ContainerSetupError("resolving \(containerPath) in the rootfs", error)
        }
    }

    private mutating func mountEntry(_ entry: OCISpec.Mount) throws(SystemCallError) {
        let destination = try RootfsPath.resolve(entry.destination, in: rootfs)
        let options = MountOptions(parsing: entry.options ?? [])
        let type = entry.type ?? ""
        if type == "cgroup" || type == "cgroup2" {
            try LinuxFile.makeDirectories(destination)
            try mountCgroup(at: destination, options: options)
            return
        }
        if options.isBind || type == "bind" {
            var source = entry.source ?? ""
            if !source.hasPrefix("/") { source = configuration.bundle + "/" + source }
            var bindOptions = options
            bindOptions.flags |= MountFlag.bind
            if LinuxFile.isDirectory(source) {
                try LinuxFile.makeDirectories(destination)
            } else {
                try LinuxFile.makeDirectories(LinuxFile.parent(of: destination))
                if !LinuxFile.exists(destination) { try LinuxFile.create(destination, bytes: []) }
            }
            try Mounter.mount(source: source, target: destination, type: "bind", options: bindOptions)
            return
        }
        try LinuxFile.makeDirectories(destination)
        try Mounter.mount(source: entry.source ?? type, target: destination, type: type, options: options)
    }

    /// /sys/fs/cgroup in the container: v2 mounts the unified hierarchy; v1 gets a tmpfs with
    /// the container's own cgroup directory of each hierarchy bound under its name (as runc).
    private mutating func mountCgroup(at destination: String, options: MountOptions) throws(SystemCallError) {
        guard let placement = configuration.cgroup else {
            warnings.append("cgroup mount at \(destination) skipped: the container has no cgroup")
            return
        }
        var flags = options
        flags.data = []
        if placement.version == .v2 {
            try Mounter.mount(source: "cgroup2", target: destination, type: "cgroup2", options: flags)
            return
        }
        var tmpfs = flags
        tmpfs.flags &= ~MountFlag.readOnly
        tmpfs.data = ["mode=755"]
        try Mounter.mount(source: "tmpfs", target: destination, type: "tmpfs", options: tmpfs)
        for directory in placement.directories where !directory.name.isEmpty {
            let target = destination + "/" + directory.name
            try LinuxFile.makeDirectories(target)
            var bind = flags
            bind.flags |= MountFlag.bind | MountFlag.recursive
            try Mounter.mount(source: directory.path, target: target, type: "bind", options: bind)
        }
        if flags.flags & MountFlag.readOnly != 0 {
            guard mount("", destination, nil, tmpfs.flags | MountFlag.remount | MountFlag.readOnly, nil) == 0 else {
                throw SystemCallError("mount (read-only remount)", path: destination)
            }
        }
    }

    /// `linux.maskedPaths` are hidden (a read-only empty tmpfs over a directory, /dev/null over
    /// a file); `linux.readonlyPaths` are bound onto themselves read-only. Missing paths are skipped.
    private func maskPaths() throws(ContainerSetupError) {
        for path in spec.linux?.maskedPaths ?? [] {
            let target = try resolved(path)
            guard LinuxFile.exists(target) else { continue }
            let result = LinuxFile.isDirectory(target)
                ? mount("tmpfs", target, "tmpfs", MountFlag.readOnly, nil)
                : mount("/dev/null", target, nil, MountFlag.bind, nil)
            guard result == 0 else { throw ContainerSetupError("masking \(path)", SystemCallError("mount", path: target)) }
        }
        for path in spec.linux?.readonlyPaths ?? [] {
            let target = try resolved(path)
            guard LinuxFile.exists(target) else { continue }
            guard mount(target, target, nil, MountFlag.bind | MountFlag.recursive, nil) == 0,
                mount("", target, nil, MountFlag.bind | MountFlag.remount | MountFlag.readOnly | MountFlag.recursive, nil) == 0
            else { throw ContainerSetupError("making \(path) read-only", SystemCallError("mount", path: target)) }
        }
    }

    /// pivot_root(".", ".") stacks the old root on the new one; detaching it leaves only the
    /// rootfs. When the host root cannot be pivoted from (an initramfs), chroot is the fallback.
    private mutating func pivot() throws(ContainerSetupError) {
        guard chdir(rootfs) == 0 else { throw ContainerSetupError("entering the rootfs", SystemCallError("chdir", path: rootfs)) }
        if shim_pivot_root(".", ".") == 0 {
            guard mount("", ".", nil, MountFlag.slave | MountFlag.recursive, nil) == 0, umount2(".", Int32(MNT_DETACH)) == 0 else {
                throw ContainerSetupError("detaching the old root", SystemCallError("umount", path: "/"))
            }
        } else {
            let failure = SystemCallError("pivot_root", path: rootfs)
            guard failure.errno == EINVAL, chroot(".") == 0 else {
                throw ContainerSetupError("entering the rootfs", failure)
            }
            warnings.append("pivot_root is impossible here (\(failure.reason)); used chroot")
        }
        guard chdir("/") == 0 else { throw ContainerSetupError("entering the rootfs", SystemCallError("chdir", path: "/")) }
    }
}
