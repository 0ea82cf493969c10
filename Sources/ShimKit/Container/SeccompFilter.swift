import CSeccomp
import Glibc

/// A libseccomp call that failed: the function, what it was applied to, and the errno
/// (libseccomp returns -errno; the filter asks for the kernel's own codes).
public struct SeccompError: Error, Sendable, Equatable, CustomStringConvertible {
    public var function: String
    public var detail: String
    public var errno: Int32

    public var description: String {
        let reason = SystemCallError.describe(errno: errno)
        return detail.isEmpty ? "\(function): \(reason)" : "\(function)(\(detail)): \(reason)"
    }
}

/// An action of the runtime spec (`SCMP_ACT_ALLOW`, `SCMP_ACT_ERRNO`, ...).
enum SeccompAction: Equatable, Sendable {
    case allow, killThread, killProcess, trap, log
    case errno(UInt16)
    case trace(UInt16)

    struct UnknownAction: Error {
        var message: String
    }

    /// `errnoRet` is the errno of SCMP_ACT_ERRNO (EPERM when absent) and the message of SCMP_ACT_TRACE.
    init(specName: String, errnoRet: UInt32?) throws(UnknownAction) {
        switch specName {
        case "SCMP_ACT_ALLOW": self = .allow
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": self = .killThread
        case "SCMP_ACT_KILL_PROCESS": self = .killProcess
        case "SCMP_ACT_TRAP": self = .trap
        case "SCMP_ACT_LOG": self = .log
        case "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE":
            let value = errnoRet ?? (specName == "SCMP_ACT_ERRNO" ? UInt32(EPERM) : 0)
            guard value <= UInt32(UInt16.max) else {
                throw UnknownAction(message: "errnoRet \(value) does not fit in 16 bits")
            }
            self = specName == "SCMP_ACT_ERRNO" ? .errno(UInt16(value)) : .trace(UInt16(value))
        case "SCMP_ACT_NOTIFY":
            throw UnknownAction(message: "SCMP_ACT_NOTIFY needs a seccomp agent, which the shim does not provide")
        default:
            throw UnknownAction(message: "unknown action \"\(specName)\"")
        }
    }

    /// The action word libseccomp takes.
    var value: UInt32 {
        switch self {
        case .allow: return shim_scmp_act_allow()
        case .killThread: return shim_scmp_act_kill_thread()
        case .killProcess: return shim_scmp_act_kill_process()
        case .trap: return shim_scmp_act_trap()
        case .log: return shim_scmp_act_log()
        case .errno(let value): return shim_scmp_act_errno(value)
        case .trace(let value): return shim_scmp_act_trace(value)
        }
    }
}

/// Builds and loads seccomp filters with libseccomp. Each load adds a filter to the calling
/// process; the kernel runs them all and the most restrictive answer wins, so the spec's
/// profile and the payload's allow-list stack.
enum SeccompFilter {
    /// libseccomp's name of an OCI architecture: `SCMP_ARCH_X86_64` → `x86_64`.
    static func libseccompArchitecture(_ specName: String) -> String? {
        let prefix = "SCMP_ARCH_"
        guard specName.hasPrefix(prefix) else { return nil }
        let name = String(specName.dropFirst(prefix.count)).lowercased()
        let known: Set<String> = [
            "x86", "x86_64", "x32", "arm", "aarch64", "mips", "mipsel", "mips64", "mipsel64", "mips64n32",
            "mipsel64n32", "ppc", "ppc64", "ppc64le", "s390", "s390x", "parisc", "parisc64", "riscv64",
        ]
        return known.contains(name) ? name : nil
    }

    static func comparison(_ specName: String) -> scmp_compare? {
        switch specName {
        case "SCMP_CMP_NE": return SCMP_CMP_NE
        case "SCMP_CMP_LT": return SCMP_CMP_LT
        case "SCMP_CMP_LE": return SCMP_CMP_LE
        case "SCMP_CMP_EQ": return SCMP_CMP_EQ
        case "SCMP_CMP_GE": return SCMP_CMP_GE
        case "SCMP_CMP_GT": return SCMP_CMP_GT
        case "SCMP_CMP_MASKED_EQ": return SCMP_CMP_MASKED_EQ
        default: return nil
        }
    }

    /// Loads an allow-list: the listed syscalls are allowed (those with a condition only when
    /// it holds), every other call fails with EPERM. A syscall listed both with and without a
    /// condition is allowed outright. An unknown name is an error (a typo would otherwise
    /// silently deny a needed call).
    static func installAllowList(_ entries: [AllowedSyscall]) throws(SeccompError) {
        let context = try Context(defaultAction: .errno(UInt16(EPERM)))
        defer { context.release() }
        let byName = Dictionary(grouping: entries, by: \.name)
        for name in byName.keys.sorted() {
            let number = seccomp_syscall_resolve_name(name)
            guard number != __NR_SCMP_ERROR else {
                throw SeccompError(function: "seccomp_syscall_resolve_name", detail: name, errno: ENOENT)
            }
            let conditions = byName[name, default: []].map(\.condition)
            if conditions.contains(nil) {
                try context.addRule(action: .allow, syscall: number, name: name, conditions: [])
                continue
            }
            // Each allowed value is a rule of its own: any of them may hold.
            for case let condition? in conditions {
                for value in Set(condition.values).sorted() {
                    let comparison = scmp_arg_cmp(arg: condition.argument, op: SCMP_CMP_MASKED_EQ,
                                                  datum_a: condition.mask, datum_b: value & condition.mask)
                    try context.addRule(action: .allow, syscall: number, name: name, conditions: [comparison])
                }
            }
        }
        try context.load()
    }

    /// Loads the spec's `linux.seccomp` profile. As runc does, syscall names this libseccomp
    /// does not know are skipped (profiles list calls of newer kernels); they are returned so
    /// the caller can report them.
    static func install(profile: OCISpec.Seccomp) throws(SeccompError) -> [String] {
        let defaultAction: SeccompAction
        do {
            defaultAction = try SeccompAction(specName: profile.defaultAction, errnoRet: profile.defaultErrnoRet)
        } catch {
            throw SeccompError(function: "seccomp_init", detail: error.message, errno: EINVAL)
        }
        let context = try Context(defaultAction: defaultAction)
        defer { context.release() }
        for specName in profile.architectures ?? [] {
            guard let name = libseccompArchitecture(specName) else {
                throw SeccompError(function: "seccomp_arch_resolve_name", detail: specName, errno: EINVAL)
            }
            try context.addArchitecture(name)
        }
        var skipped: [String] = []
        for rule in profile.syscalls ?? [] {
            let action: SeccompAction
            do {
                action = try SeccompAction(specName: rule.action, errnoRet: rule.errnoRet)
            } catch {
                throw SeccompError(function: "seccomp_rule_add", detail: error.message, errno: EINVAL)
            }
            // libseccomp refuses a rule that repeats the default action; it would change nothing.
            if action == defaultAction { continue }
            let conditions = try comparisons(rule.args ?? [])
            for name in rule.names {
                let number = seccomp_syscall_resolve_name(name)
                if number == __NR_SCMP_ERROR {
                    skipped.append(name)
                    continue
                }
                // As runc: conditions on distinct arguments form one rule (all must hold); when
                // an argument repeats, each condition is a rule of its own (any may hold).
                let indexes = conditions.map(\.arg)
                if Set(indexes).count == indexes.count {
                    try context.addRule(action: action, syscall: number, name: name, conditions: conditions)
                } else {
                    for condition in conditions {
                        try context.addRule(action: action, syscall: number, name: name, conditions: [condition])
                    }
                }
            }
        }
        try context.load()
        return skipped
    }

    private static func comparisons(_ args: [OCISpec.SyscallArg]) throws(SeccompError) -> [scmp_arg_cmp] {
        var result: [scmp_arg_cmp] = []
        for arg in args {
            guard let op = comparison(arg.op), arg.index < 6 else {
                throw SeccompError(function: "seccomp_rule_add", detail: "argument \(arg.index) \(arg.op)", errno: EINVAL)
            }
            result.append(scmp_arg_cmp(arg: arg.index, op: op, datum_a: arg.value, datum_b: arg.valueTwo ?? 0))
        }
        return result
    }

    /// A libseccomp filter context; every call's result is checked.
    private struct Context {
        let handle: scmp_filter_ctx

        init(defaultAction: SeccompAction) throws(SeccompError) {
            guard let handle = seccomp_init(defaultAction.value) else {
                throw SeccompError(function: "seccomp_init", detail: "", errno: ENOMEM)
            }
            self.handle = handle
            // Report the kernel's errno values rather than libseccomp's generic ones, and filter
            // the threads a payload may have started during prepare too.
            for (attribute, name) in [(SCMP_FLTATR_API_SYSRAWRC, "API_SYSRAWRC"), (SCMP_FLTATR_CTL_TSYNC, "CTL_TSYNC")] {
                let result = seccomp_attr_set(handle, attribute, 1)
                guard result >= 0 else {
                    seccomp_release(handle)
                    throw SeccompError(function: "seccomp_attr_set", detail: name, errno: -result)
                }
            }
        }

        func release() {
            seccomp_release(handle)
        }

        func addArchitecture(_ name: String) throws(SeccompError) {
            let token = seccomp_arch_resolve_name(name)
            guard token != 0 else {
                throw SeccompError(function: "seccomp_arch_resolve_name", detail: name, errno: EINVAL)
            }
            let result = seccomp_arch_add(handle, token)
            if result == -EEXIST { return }  // the native architecture is always present
            try check(result, "seccomp_arch_add", name)
        }

        func addRule(action: SeccompAction, syscall: Int32, name: String, conditions: [scmp_arg_cmp]) throws(SeccompError) {
            let result = conditions.withUnsafeBufferPointer { buffer in
                seccomp_rule_add_array(handle, action.value, syscall, UInt32(buffer.count), buffer.baseAddress)
            }
            try check(result, "seccomp_rule_add", name)
        }

        func load() throws(SeccompError) {
            try check(seccomp_load(handle), "seccomp_load", "")
        }

        private func check(_ result: Int32, _ function: String, _ detail: String) throws(SeccompError) {
            guard result >= 0 else {
                throw SeccompError(function: function, detail: detail, errno: -result)
            }
        }
    }
}
