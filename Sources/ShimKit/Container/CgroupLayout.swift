import Glibc

/// Which cgroup version manages the host's controllers.
public enum CgroupVersion: String, Codable, Sendable {
    /// One hierarchy per controller (or group of controllers), under /sys/fs/cgroup/<name>.
    case v1
    /// The unified hierarchy mounted at /sys/fs/cgroup.
    case v2
}

/// The host's cgroup mounts, read from /proc/self/mountinfo.
///
/// A host is v2 when the unified hierarchy is mounted at /sys/fs/cgroup; otherwise the v1
/// controller hierarchies are used, and a hybrid host's extra cgroup2 mount (often empty,
/// as here: /sys/fs/cgroup/unified holds no controllers) is ignored.
struct CgroupLayout: Sendable, Equatable {
    struct Hierarchy: Sendable, Equatable {
        /// Where the hierarchy is mounted.
        var mountPoint: String
        /// The cgroup this mount shows as its root (mountinfo's root field, "/" on a host).
        var mountRoot: String
        /// v1: the controllers bound to it (`cpu`, `cpuacct`, `name=systemd`); v2: empty.
        var controllers: [String]
    }

    var version: CgroupVersion
    var hierarchies: [Hierarchy]

    static let unifiedMountPoint = "/sys/fs/cgroup"

    static func detect() throws(SystemCallError) -> CgroupLayout {
        let layout = parse(mountinfo: try LinuxFile.readString("/proc/self/mountinfo"))
        guard !layout.hierarchies.isEmpty else {
            throw SystemCallError("find a cgroup hierarchy in", path: "/proc/self/mountinfo", errno: ENOENT)
        }
        return layout
    }

    /// The layout described by a mountinfo text.
    static func parse(mountinfo: String) -> CgroupLayout {
        var v1: [Hierarchy] = []
        var unified: Hierarchy?
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // id parent dev root mountpoint options [optional...] - fstype source superoptions
            guard let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 2 < fields.count else { continue }
            let type = fields[dash + 1]
            let root = unescape(fields[3])
            let mountPoint = unescape(fields[4])
            if type == "cgroup2", mountPoint == unifiedMountPoint {
                unified = Hierarchy(mountPoint: mountPoint, mountRoot: root, controllers: [])
            } else if type == "cgroup" {
                let superOptions = fields.count > dash + 3 ? fields[dash + 3] : ""
                let controllers = superOptions.split(separator: ",").map(String.init).filter { option in
                    !["rw", "ro", "relatime", "noatime", "nosuid", "nodev", "noexec", "clone_children", "noprefix"].contains(option)
                        && !option.hasPrefix("release_agent=") && !option.hasPrefix("cpuset_v2_mode")
                        && !option.hasPrefix("xattr")
                }
                guard !controllers.isEmpty, !v1.contains(where: { $0.controllers == controllers }) else { continue }
                v1.append(Hierarchy(mountPoint: mountPoint, mountRoot: root, controllers: controllers))
            }
        }
        if let unified, v1.isEmpty { return CgroupLayout(version: .v2, hierarchies: [unified]) }
        return CgroupLayout(version: .v1, hierarchies: v1)
    }

    /// The hierarchy of a v1 controller (`memory`, `pids`, ...); on v2 the unified one.
    func hierarchy(for controller: String) -> Hierarchy? {
        version == .v2 ? hierarchies.first : hierarchies.first { $0.controllers.contains(controller) }
    }

    /// mountinfo escapes space, tab, newline and backslash as \040, \011, \012, \134.
    private static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == 0x5c, index + 3 < source.count,
                let value = UInt8(String(decoding: source[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The directory of cgroup `path` in `hierarchy`. An absolute path is below the
    /// hierarchy's root; a relative one is below the calling process's own cgroup there
    /// (`ownCgroups` maps a /proc/self/cgroup controller list to its path).
    func directory(of path: String, in hierarchy: Hierarchy, ownCgroups: [String: String]) -> String {
        var cgroup: String
        if path.hasPrefix("/") {
            cgroup = path
        } else {
            let key = version == .v2 ? "" : hierarchy.controllers.joined(separator: ",")
            let own = ownCgroups[key] ?? "/"
            cgroup = own.hasSuffix("/") ? own + path : own + "/" + path
        }
        // Inside a cgroup namespace or a nested container the mount shows a subtree.
        if hierarchy.mountRoot != "/", cgroup.hasPrefix(hierarchy.mountRoot) {
            cgroup = String(cgroup.dropFirst(hierarchy.mountRoot.count))
        }
        // Resolved lexically and clamped at the hierarchy's root: ".." never leaves it.
        var components: [Substring] = []
        for component in cgroup.split(separator: "/") where component != "." {
            if component == ".." {
                _ = components.popLast()
            } else {
                components.append(component)
            }
        }
        let normalized = components.joined(separator: "/")
        return normalized.isEmpty ? hierarchy.mountPoint : hierarchy.mountPoint + "/" + normalized
    }

    /// /proc/self/cgroup as controller list → path (`"memory"` → `/user.slice`, `""` → v2's path).
    static func ownCgroups() -> [String: String] {
        guard let text = try? LinuxFile.readString("/proc/self/cgroup") else { return [:] }
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            result[String(parts[1])] = String(parts[2])
        }
        return result
    }
}
