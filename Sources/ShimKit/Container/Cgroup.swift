import Glibc

/// A failure on a container's cgroup, naming the cgroup and the step.
public struct CgroupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var cgroup: String
    public var message: String

    public var description: String { "cgroup \(cgroup): \(message)" }
}

/// Where a container's cgroup lives, in the form the container process needs to join it and
/// to mount it at /sys/fs/cgroup: one directory per hierarchy.
public struct CgroupPlacement: Codable, Sendable, Equatable {
    public struct Directory: Codable, Sendable, Equatable {
        /// The hierarchy's name as mounted on the host (`memory`, `cpu`, `systemd`; "" on v2).
        public var name: String
        public var path: String
    }

    public var version: CgroupVersion
    public var directories: [Directory]
}

/// A container's cgroup under the cgroupfs driver: created at `linux.cgroupsPath` in every
/// v1 hierarchy (or once in the v2 unified hierarchy), limited by `linux.resources`, joined
/// by the container process, observed (stats, OOM) and removed after the container exits.
public final class Cgroup: Sendable {
    /// The cgroup path as the spec gave it (`/default/<id>`).
    public let path: String
    public let version: CgroupVersion
    /// The cgroup's directory in each hierarchy.
    let directories: [HierarchyDirectory]
    /// Limits of `create`'s resources this host cannot enforce (swap without swap accounting).
    public let warnings: [String]

    struct HierarchyDirectory: Sendable {
        /// The hierarchy's mount name (`memory`, `cpu`, `systemd`; "" on v2).
        var name: String
        var controllers: [String]
        var mountPoint: String
        var path: String
    }

    init(path: String, version: CgroupVersion, directories: [HierarchyDirectory], warnings: [String] = []) {
        self.path = path
        self.version = version
        self.directories = directories
        self.warnings = warnings
    }

    /// The container's cgroup path: the spec's, or `/<id>` (runc's choice) when the spec sets
    /// resources but no path. nil when the spec asks for no cgroup at all.
    public static func path(for spec: OCISpec, id: String) -> String? {
        guard let linux = spec.linux, linux.cgroupsPath != nil || linux.resources != nil else { return nil }
        if let path = linux.cgroupsPath, !path.isEmpty { return path }
        return "/" + id
    }

    /// Creates the cgroup (with missing parents) and applies `resources`.
    public static func create(path: String, resources: OCISpec.Resources?) throws(CgroupError) -> Cgroup {
        let cgroup = try locate(path: path)
        do {
            for directory in cgroup.directories {
                try cgroup.makeDirectory(directory.path, below: directory.mountPoint)
            }
            var warnings: [String] = []
            if let resources { warnings = try cgroup.update(resources) }
            return Cgroup(path: path, version: cgroup.version, directories: cgroup.directories, warnings: warnings)
        } catch {
            try? cgroup.delete()
            throw error
        }
    }

    /// The cgroup at `path` in this host's hierarchies, whether or not it exists (creating nothing).
    public static func locate(path: String) throws(CgroupError) -> Cgroup {
        guard !path.contains(":") else {
            throw CgroupError(cgroup: path, message: "systemd cgroup paths are not supported (cgroupfs driver only)")
        }
        let layout: CgroupLayout
        do {
            layout = try CgroupLayout.detect()
        } catch {
            throw CgroupError(cgroup: path, message: error.description)
        }
        let own = CgroupLayout.ownCgroups()
        var directories: [HierarchyDirectory] = []
        for hierarchy in layout.hierarchies {
            let directory = layout.directory(of: path, in: hierarchy, ownCgroups: own)
            guard directory != hierarchy.mountPoint else {
                throw CgroupError(cgroup: path, message: "resolves to the root of \(hierarchy.mountPoint)")
            }
            let name = layout.version == .v2 ? "" : String(hierarchy.mountPoint.split(separator: "/").last ?? "")
            directories.append(HierarchyDirectory(name: name, controllers: hierarchy.controllers, mountPoint: hierarchy.mountPoint, path: directory))
        }
        return Cgroup(path: path, version: layout.version, directories: directories)
    }

    /// Where the container process joins and what it mounts.
    public var placement: CgroupPlacement {
        CgroupPlacement(version: version, directories: directories.map { .init(name: $0.name, path: $0.path) })
    }

    /// The directory holding `controller`'s files (v1), or the cgroup's directory (v2).
    func directory(for controller: String) -> String? {
        hierarchyDirectory(for: controller)?.path
    }

    private func hierarchyDirectory(for controller: String) -> HierarchyDirectory? {
        version == .v2 ? directories.first : directories.first { $0.controllers.contains(controller) }
    }

    /// Creates `directory` and its missing parents below `root`. A new v1 cpuset cgroup starts
    /// with no CPUs and no memory nodes, so those are copied from the parent or nobody could join.
    /// On v2 the parents delegate their controllers to the level below.
    private func makeDirectory(_ directory: String, below root: String) throws(CgroupError) {
        let relative = directory.dropFirst(root.count).split(separator: "/")
        var current = root
        for component in relative {
            let parent = current
            current += "/" + component
            if version == .v2 { enableControllers(in: parent) }
            if mkdir(current, 0o755) != 0 {
                guard errno == EEXIST else { throw CgroupError(cgroup: path, message: SystemCallError("mkdir", path: current).description) }
                continue
            }
            if version == .v1, LinuxFile.exists(current + "/cpuset.cpus") {
                for file in ["cpuset.cpus", "cpuset.mems"] {
                    let value = (try? LinuxFile.readValue(current + "/" + file)) ?? ""
                    guard value.isEmpty, let inherited = try? LinuxFile.readValue(parent + "/" + file) else { continue }
                    try write(inherited, to: current + "/" + file)
                }
            }
        }
    }

    /// v2: lets the children of `directory` use every controller it has. Controllers that
    /// cannot be delegated are left out; applying a limit that needs one then fails clearly.
    private func enableControllers(in directory: String) {
        guard let available = try? LinuxFile.readValue(directory + "/cgroup.controllers") else { return }
        let enabled = Set(((try? LinuxFile.readValue(directory + "/cgroup.subtree_control")) ?? "").split(separator: " "))
        for controller in available.split(separator: " ") where !enabled.contains(controller) {
            try? LinuxFile.write("+" + controller, to: directory + "/cgroup.subtree_control")
        }
    }

    func write(_ value: String, to file: String) throws(CgroupError) {
        do {
            try LinuxFile.write(value, to: file)
        } catch {
            throw CgroupError(cgroup: path, message: "writing \(value) to \(file): \(error.reason)")
        }
    }

    /// The process ids in the cgroup (its cgroup.procs).
    public func processIDs() throws(CgroupError) -> [Int32] {
        guard let directory = directory(for: "pids") ?? directory(for: "memory") ?? directories.first?.path else { return [] }
        do {
            return try LinuxFile.readString(directory + "/cgroup.procs").split(separator: "\n").compactMap { Int32($0) }
        } catch {
            throw CgroupError(cgroup: path, message: error.description)
        }
    }

    /// The memory limit in force for the cgroup: its own or a smaller one of an ancestor (a
    /// pod's cgroup, say). nil when nothing limits it. The wasm engine keeps linear memory
    /// below this so `memory.grow` fails before the OOM killer acts.
    public func effectiveMemoryLimit() -> UInt64? {
        guard let entry = hierarchyDirectory(for: "memory") else { return nil }
        let file = version == .v2 ? "memory.max" : "memory.limit_in_bytes"
        var smallest: UInt64?
        var current = entry.path
        while current.hasPrefix(entry.mountPoint) {
            if let text = try? LinuxFile.readValue(current + "/" + file), let value = CgroupValues.limit(text) {
                smallest = min(smallest ?? .max, value)
            }
            if current == entry.mountPoint { break }
            current = LinuxFile.parent(of: current)
        }
        return smallest
    }

    /// Removes the cgroup's directories (not its parents, which other containers may share).
    /// A cgroup whose last process is still being torn down is retried for about a second.
    public func delete() throws(CgroupError) {
        for entry in directories.reversed() {
            var attempts = 0
            while rmdir(entry.path) != 0 {
                if errno == ENOENT { break }
                if errno == EBUSY, attempts < 100 {
                    attempts += 1
                    usleep(10_000)
                    continue
                }
                throw CgroupError(cgroup: path, message: SystemCallError("rmdir", path: entry.path).description)
            }
        }
    }
}
