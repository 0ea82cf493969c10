extension OCISpec {
    /// `linux.resources`: the cgroup limits. Values follow the runtime spec: memory in bytes
    /// (-1 means unlimited), `swap` is memory plus swap, CPU shares are cgroup v1 units.
    public struct Resources: Codable, Sendable, Equatable {
        public var memory: Memory?
        public var cpu: CPU?
        public var pids: Pids?

        public init(memory: Memory? = nil, cpu: CPU? = nil, pids: Pids? = nil) {
            self.memory = memory
            self.cpu = cpu
            self.pids = pids
        }
    }

    public struct Memory: Codable, Sendable, Equatable {
        public var limit: Int64?
        public var swap: Int64?
        public var reservation: Int64?

        public init(limit: Int64? = nil, swap: Int64? = nil, reservation: Int64? = nil) {
            self.limit = limit
            self.swap = swap
            self.reservation = reservation
        }
    }

    public struct CPU: Codable, Sendable, Equatable {
        public var shares: UInt64?
        public var quota: Int64?
        public var period: UInt64?
        public var cpus: String?
        public var mems: String?

        public init(shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil, cpus: String? = nil, mems: String? = nil) {
            self.shares = shares
            self.quota = quota
            self.period = period
            self.cpus = cpus
            self.mems = mems
        }
    }

    public struct Pids: Codable, Sendable, Equatable {
        /// The most tasks the cgroup may hold; 0 or less means no limit.
        public var limit: Int64

        public init(limit: Int64) {
            self.limit = limit
        }
    }

    /// `linux.seccomp`: a seccomp profile in the runtime spec's form (action names such as
    /// `SCMP_ACT_ERRNO`, architectures such as `SCMP_ARCH_X86_64`).
    public struct Seccomp: Codable, Sendable, Equatable {
        public var defaultAction: String
        public var defaultErrnoRet: UInt32?
        public var architectures: [String]?
        public var syscalls: [Syscall]?

        public init(defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String]? = nil, syscalls: [Syscall]? = nil) {
            self.defaultAction = defaultAction
            self.defaultErrnoRet = defaultErrnoRet
            self.architectures = architectures
            self.syscalls = syscalls
        }
    }

    /// `linux.seccomp.syscalls[]`: one action for a group of syscalls, optionally only when
    /// the arguments match.
    public struct Syscall: Codable, Sendable, Equatable {
        public var names: [String]
        public var action: String
        public var errnoRet: UInt32?
        public var args: [SyscallArg]?

        public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [SyscallArg]? = nil) {
            self.names = names
            self.action = action
            self.errnoRet = errnoRet
            self.args = args
        }
    }

    /// `linux.seccomp.syscalls[].args[]`: `op` is `SCMP_CMP_EQ`, `SCMP_CMP_MASKED_EQ`, ...
    public struct SyscallArg: Codable, Sendable, Equatable {
        public var index: UInt32
        public var value: UInt64
        public var valueTwo: UInt64?
        public var op: String

        public init(index: UInt32, value: UInt64, valueTwo: UInt64? = nil, op: String) {
            self.index = index
            self.value = value
            self.valueTwo = valueTwo
            self.op = op
        }
    }
}

// Integer fields get precise range errors (see OCISpecNumbers.swift).

extension OCISpec.Memory {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        limit = try container.decodeIntegerIfPresent(Int64.self, forKey: .limit)
        swap = try container.decodeIntegerIfPresent(Int64.self, forKey: .swap)
        reservation = try container.decodeIntegerIfPresent(Int64.self, forKey: .reservation)
    }
}

extension OCISpec.CPU {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shares = try container.decodeIntegerIfPresent(UInt64.self, forKey: .shares)
        quota = try container.decodeIntegerIfPresent(Int64.self, forKey: .quota)
        period = try container.decodeIntegerIfPresent(UInt64.self, forKey: .period)
        cpus = try container.decodeIfPresent(String.self, forKey: .cpus)
        mems = try container.decodeIfPresent(String.self, forKey: .mems)
    }
}

extension OCISpec.Pids {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        limit = try container.decodeInteger(Int64.self, forKey: .limit)
    }
}

extension OCISpec.Seccomp {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultAction = try container.decode(String.self, forKey: .defaultAction)
        defaultErrnoRet = try container.decodeIntegerIfPresent(UInt32.self, forKey: .defaultErrnoRet)
        architectures = try container.decodeIfPresent([String].self, forKey: .architectures)
        syscalls = try container.decodeIfPresent([OCISpec.Syscall].self, forKey: .syscalls)
    }
}

extension OCISpec.Syscall {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        names = try container.decode([String].self, forKey: .names)
        action = try container.decode(String.self, forKey: .action)
        errnoRet = try container.decodeIntegerIfPresent(UInt32.self, forKey: .errnoRet)
        args = try container.decodeIfPresent([OCISpec.SyscallArg].self, forKey: .args)
    }
}

extension OCISpec.SyscallArg {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decodeInteger(UInt32.self, forKey: .index)
        value = try container.decodeInteger(UInt64.self, forKey: .value)
        valueTwo = try container.decodeIntegerIfPresent(UInt64.self, forKey: .valueTwo)
        op = try container.decode(String.self, forKey: .op)
    }
}
