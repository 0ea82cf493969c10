import CSeccomp
import Glibc

/// prctl(2) options the container process uses (linux/prctl.h).
enum PrctlOption {
    static let setKeepCaps: Int32 = 8
    static let capabilityBoundingSetDrop: Int32 = 24
    static let setChildSubreaper: Int32 = 36
    static let setNoNewPrivileges: Int32 = 38
    static let capabilityAmbient: Int32 = 47
    static let ambientRaise: UInt = 2
    static let ambientClearAll: UInt = 4
}

/// Linux capabilities by name, and reducing the process's sets to a spec's.
enum CapabilitySets {
    /// capability.h's numbering.
    static let numbers: [String: Int] = [
        "CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_FOWNER": 3, "CAP_FSETID": 4,
        "CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_LINUX_IMMUTABLE": 9,
        "CAP_NET_BIND_SERVICE": 10, "CAP_NET_BROADCAST": 11, "CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13,
        "CAP_IPC_LOCK": 14, "CAP_IPC_OWNER": 15, "CAP_SYS_MODULE": 16, "CAP_SYS_RAWIO": 17, "CAP_SYS_CHROOT": 18,
        "CAP_SYS_PTRACE": 19, "CAP_SYS_PACCT": 20, "CAP_SYS_ADMIN": 21, "CAP_SYS_BOOT": 22, "CAP_SYS_NICE": 23,
        "CAP_SYS_RESOURCE": 24, "CAP_SYS_TIME": 25, "CAP_SYS_TTY_CONFIG": 26, "CAP_MKNOD": 27, "CAP_LEASE": 28,
        "CAP_AUDIT_WRITE": 29, "CAP_AUDIT_CONTROL": 30, "CAP_SETFCAP": 31, "CAP_MAC_OVERRIDE": 32,
        "CAP_MAC_ADMIN": 33, "CAP_SYSLOG": 34, "CAP_WAKE_ALARM": 35, "CAP_BLOCK_SUSPEND": 36,
        "CAP_AUDIT_READ": 37, "CAP_PERFMON": 38, "CAP_BPF": 39, "CAP_CHECKPOINT_RESTORE": 40,
    ]

    /// The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap).
    static func lastCapability() -> Int {
        (try? LinuxFile.readValue("/proc/sys/kernel/cap_last_cap")).flatMap { Int($0) } ?? 40
    }

    /// The bit mask of `names`. Names this kernel or this table does not know are skipped and
    /// returned in `unknown`, as runc does, so a spec written for a newer kernel still runs.
    static func mask(_ names: [String]?, lastCapability: Int, unknown: inout Set<String>) -> UInt64 {
        var mask: UInt64 = 0
        for name in names ?? [] {
            guard let number = numbers[name], number <= lastCapability, number < 64 else {
                unknown.insert(name)
                continue
            }
            mask |= 1 << UInt64(number)
        }
        return mask
    }

    /// Reduces the calling process to the spec's sets: drops what the bounding set does not
    /// list, sets effective/permitted/inheritable, then raises the ambient ones. A missing
    /// `capabilities` object means no capabilities at all. Returns warnings.
    static func apply(_ spec: OCISpec.Capabilities?) throws(ContainerSetupError) -> [String] {
        let last = lastCapability()
        var unknown: Set<String> = []
        let bounding = mask(spec?.bounding, lastCapability: last, unknown: &unknown)
        let effective = mask(spec?.effective, lastCapability: last, unknown: &unknown)
        let permitted = mask(spec?.permitted, lastCapability: last, unknown: &unknown)
        let inheritable = mask(spec?.inheritable, lastCapability: last, unknown: &unknown)
        let ambient = mask(spec?.ambient, lastCapability: last, unknown: &unknown)
        var warnings = unknown.sorted().map { "capability \($0) is unknown to this kernel; skipped" }

        // Dropping from the bounding set needs CAP_SETPCAP, so it comes before capset.
        for capability in 0...max(0, min(last, 63)) where bounding & (1 << UInt64(capability)) == 0 {
            if shim_prctl(PrctlOption.capabilityBoundingSetDrop, UInt(capability), 0, 0, 0) != 0, errno != EINVAL {
                throw ContainerSetupError("dropping capability \(capability) from the bounding set", SystemCallError("prctl(PR_CAPBSET_DROP)"))
            }
        }
        if shim_capset(effective, permitted, inheritable) != 0 {
            throw ContainerSetupError("setting capabilities", SystemCallError("capset"))
        }
        _ = shim_prctl(PrctlOption.capabilityAmbient, PrctlOption.ambientClearAll, 0, 0, 0)
        for capability in 0...max(0, min(last, 63)) where ambient & (1 << UInt64(capability)) != 0 {
            if shim_prctl(PrctlOption.capabilityAmbient, PrctlOption.ambientRaise, UInt(capability), 0, 0) != 0 {
                // The kernel refuses an ambient capability missing from permitted or inheritable.
                warnings.append("ambient capability \(capability) not raised: \(SystemCallError("prctl").reason)")
            }
        }
        return warnings
    }
}

/// An RLIMIT_* resource, by name.
struct ResourceLimit {
    let number: Int32

    static let numbers: [String: Int32] = [
        "RLIMIT_CPU": 0, "RLIMIT_FSIZE": 1, "RLIMIT_DATA": 2, "RLIMIT_STACK": 3, "RLIMIT_CORE": 4,
        "RLIMIT_RSS": 5, "RLIMIT_NPROC": 6, "RLIMIT_NOFILE": 7, "RLIMIT_MEMLOCK": 8, "RLIMIT_AS": 9,
        "RLIMIT_LOCKS": 10, "RLIMIT_SIGPENDING": 11, "RLIMIT_MSGQUEUE": 12, "RLIMIT_NICE": 13,
        "RLIMIT_RTPRIO": 14, "RLIMIT_RTTIME": 15,
    ]

    /// The resource number of a name such as `RLIMIT_NOFILE`.
    init?(name: String) {
        guard let number = Self.numbers[name] else { return nil }
        self.number = number
    }

    /// Applies the spec's rlimits. Lowering always works. Raising a hard limit needs
    /// CAP_SYS_RESOURCE, which some hosts withhold even from root; then the limit is kept at
    /// the current hard limit and a warning says so: the container gets less than it asked,
    /// never more than the host allows, and a spec copied from elsewhere (docker's nofile of
    /// 1048576) still runs.
    static func apply(_ limits: [OCISpec.Rlimit]) throws(ContainerSetupError) -> [String] {
        var warnings: [String] = []
        for limit in limits {
            guard let resource = ResourceLimit(name: limit.type)?.number else {
                throw ContainerSetupError("setting \(limit.type)", SystemCallError("setrlimit", errno: EINVAL))
            }
            let type = __rlimit_resource_t(UInt32(resource))
            var wanted = rlimit(rlim_cur: rlim_t(limit.soft), rlim_max: rlim_t(limit.hard))
            if setrlimit(type, &wanted) == 0 { continue }
            let failure = SystemCallError("setrlimit(\(limit.type))")
            var current = rlimit()
            guard failure.errno == EPERM, getrlimit(type, &current) == 0, current.rlim_max < wanted.rlim_max else {
                throw ContainerSetupError("setting \(limit.type) to \(limit.soft)/\(limit.hard)", failure)
            }
            var clamped = rlimit(rlim_cur: min(wanted.rlim_cur, current.rlim_max), rlim_max: current.rlim_max)
            guard setrlimit(type, &clamped) == 0 else {
                throw ContainerSetupError("setting \(limit.type) to \(clamped.rlim_cur)/\(clamped.rlim_max)", SystemCallError("setrlimit(\(limit.type))"))
            }
            warnings.append(
                "\(limit.type): hard limit \(limit.hard) is above the current \(current.rlim_max) and raising it was refused (no CAP_SYS_RESOURCE); kept \(clamped.rlim_cur)/\(clamped.rlim_max)")
        }
        return warnings
    }
}
