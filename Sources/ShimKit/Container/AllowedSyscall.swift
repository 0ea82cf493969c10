/// One entry of a seccomp allow-list: a syscall allowed outright (`"read"`), or only when one
/// argument has one of some values (`.ioctl(requests:)`).
public struct AllowedSyscall: Hashable, Sendable, ExpressibleByStringLiteral {
    public var name: String
    /// The argument that must match, and its allowed values; nil allows every call.
    public var condition: Condition?

    public struct Condition: Hashable, Sendable {
        /// The argument's index (0-based).
        public var argument: UInt32
        public var values: [UInt64]
        /// The bits of the argument compared (the kernel reads some arguments as 32 bits).
        public var mask: UInt64
    }

    public init(_ name: String, condition: Condition? = nil) {
        self.name = name
        self.condition = condition
    }

    public init(stringLiteral name: String) {
        self.init(name)
    }

    /// `ioctl` for these requests only. The kernel reads the request as 32 bits, so only its
    /// low 32 bits are compared: a request with garbage in the high half is the same request.
    public static func ioctl(requests: [UInt]) -> AllowedSyscall {
        AllowedSyscall("ioctl", condition: Condition(argument: 1, values: requests.map { UInt64($0) }, mask: 0xFFFF_FFFF))
    }
}
