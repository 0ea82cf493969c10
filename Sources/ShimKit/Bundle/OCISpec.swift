/// The OCI runtime spec (`config.json`), reduced to the fields the shim uses.
///
/// Decoding ignores every field not listed here, so a spec written for runc (with devices,
/// hooks, apparmor, ...) loads unchanged. Every type is plain data: `OCIBundle` loads and
/// validates it, the container process applies it.
public struct OCISpec: Codable, Sendable, Equatable {
    public var ociVersion: String?
    public var process: Process?
    public var root: Root?
    public var hostname: String?
    public var mounts: [Mount]?
    public var annotations: [String: String]?
    public var linux: Linux?

    public init(
        ociVersion: String? = "1.0.2", process: Process? = nil, root: Root? = nil, hostname: String? = nil,
        mounts: [Mount]? = nil, annotations: [String: String]? = nil, linux: Linux? = nil
    ) {
        self.ociVersion = ociVersion
        self.process = process
        self.root = root
        self.hostname = hostname
        self.mounts = mounts
        self.annotations = annotations
        self.linux = linux
    }

    /// `process`: what runs in the container and with which privileges.
    public struct Process: Codable, Sendable, Equatable {
        public var args: [String]?
        public var env: [String]?
        public var cwd: String?
        public var rlimits: [Rlimit]?
        public var noNewPrivileges: Bool?
        public var capabilities: Capabilities?
        public var user: User?

        public init(
            args: [String]? = nil, env: [String]? = nil, cwd: String? = "/", rlimits: [Rlimit]? = nil,
            noNewPrivileges: Bool? = true, capabilities: Capabilities? = nil, user: User? = nil
        ) {
            self.args = args
            self.env = env
            self.cwd = cwd
            self.rlimits = rlimits
            self.noNewPrivileges = noNewPrivileges
            self.capabilities = capabilities
            self.user = user
        }
    }

    /// `process.user`: the ids the container process runs as.
    public struct User: Codable, Sendable, Equatable {
        public var uid: UInt32
        public var gid: UInt32
        public var additionalGids: [UInt32]?

        public init(uid: UInt32 = 0, gid: UInt32 = 0, additionalGids: [UInt32]? = nil) {
            self.uid = uid
            self.gid = gid
            self.additionalGids = additionalGids
        }
    }

    /// `process.capabilities`: capability names (`CAP_CHOWN`, ...) per set.
    public struct Capabilities: Codable, Sendable, Equatable {
        public var bounding: [String]?
        public var effective: [String]?
        public var inheritable: [String]?
        public var permitted: [String]?
        public var ambient: [String]?

        public init(
            bounding: [String]? = nil, effective: [String]? = nil, inheritable: [String]? = nil,
            permitted: [String]? = nil, ambient: [String]? = nil
        ) {
            self.bounding = bounding
            self.effective = effective
            self.inheritable = inheritable
            self.permitted = permitted
            self.ambient = ambient
        }
    }

    /// `process.rlimits[]`: `type` is a name such as `RLIMIT_NOFILE`.
    public struct Rlimit: Codable, Sendable, Equatable {
        public var type: String
        public var hard: UInt64
        public var soft: UInt64

        public init(type: String, hard: UInt64, soft: UInt64) {
            self.type = type
            self.hard = hard
            self.soft = soft
        }
    }

    /// `root`: the container's root file system; `path` may be relative to the bundle.
    public struct Root: Codable, Sendable, Equatable {
        public var path: String
        public var readonly: Bool?

        public init(path: String, readonly: Bool? = nil) {
            self.path = path
            self.readonly = readonly
        }
    }

    /// `mounts[]`: a mount inside the container; `destination` is a container path.
    public struct Mount: Codable, Sendable, Equatable {
        public var destination: String
        public var type: String?
        public var source: String?
        public var options: [String]?

        public init(destination: String, type: String? = nil, source: String? = nil, options: [String]? = nil) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }
    }

    /// `linux`: namespaces, cgroup, resources, seccomp and path masking.
    public struct Linux: Codable, Sendable, Equatable {
        public var namespaces: [Namespace]?
        public var cgroupsPath: String?
        public var resources: Resources?
        public var seccomp: Seccomp?
        public var maskedPaths: [String]?
        public var readonlyPaths: [String]?
        public var rootfsPropagation: String?

        public init(
            namespaces: [Namespace]? = nil, cgroupsPath: String? = nil, resources: Resources? = nil,
            seccomp: Seccomp? = nil, maskedPaths: [String]? = nil, readonlyPaths: [String]? = nil,
            rootfsPropagation: String? = nil
        ) {
            self.namespaces = namespaces
            self.cgroupsPath = cgroupsPath
            self.resources = resources
            self.seccomp = seccomp
            self.maskedPaths = maskedPaths
            self.readonlyPaths = readonlyPaths
            self.rootfsPropagation = rootfsPropagation
        }
    }

    /// `linux.namespaces[]`: `type` is pid, network, mount, ipc, uts, user, cgroup or time;
    /// with a `path` the container joins that namespace instead of creating one.
    public struct Namespace: Codable, Sendable, Equatable {
        public var type: String
        public var path: String?

        public init(type: String, path: String? = nil) {
            self.type = type
            self.path = path
        }
    }
}

// Integer fields get precise range errors (see OCISpecNumbers.swift).

extension OCISpec.User {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uid = try container.decodeInteger(UInt32.self, forKey: .uid)
        gid = try container.decodeInteger(UInt32.self, forKey: .gid)
        additionalGids = try container.decodeIntegersIfPresent(UInt32.self, forKey: .additionalGids)
    }
}

extension OCISpec.Rlimit {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        hard = try container.decodeInteger(UInt64.self, forKey: .hard)
        soft = try container.decodeInteger(UInt64.self, forKey: .soft)
    }
}
