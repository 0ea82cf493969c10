/// The kernel's MS_* mount flags (sys/mount.h), as the `flags` argument of mount(2).
public enum MountFlag {
    public static let readOnly: UInt = 0x1
    public static let noSUID: UInt = 0x2
    public static let noDev: UInt = 0x4
    public static let noExec: UInt = 0x8
    public static let synchronous: UInt = 0x10
    public static let remount: UInt = 0x20
    public static let mandatoryLocks: UInt = 0x40
    public static let dirSync: UInt = 0x80
    public static let noATime: UInt = 0x400
    public static let noDirATime: UInt = 0x800
    public static let bind: UInt = 0x1000
    public static let move: UInt = 0x2000
    public static let recursive: UInt = 0x4000
    public static let silent: UInt = 0x8000
    public static let unbindable: UInt = 0x20000
    public static let `private`: UInt = 0x40000
    public static let slave: UInt = 0x80000
    public static let shared: UInt = 0x100000
    public static let relATime: UInt = 0x200000
    public static let strictATime: UInt = 0x1000000

    /// The propagation types; mount(2) changes them only in a call of their own.
    public static let propagationTypes: UInt = shared | `private` | slave | unbindable
}

/// Mount options (`["ro", "rbind", "lowerdir=..."]`) split into mount(2) flags and the data
/// string, with the same table as containerd's `mount.Mount` on Linux: a known option sets or
/// clears a flag, anything else (`lowerdir=`, `mode=755`, `index=off`) goes to the data.
public struct MountOptions: Sendable, Equatable {
    /// Flags for the mount call itself (no propagation types).
    public var flags: UInt
    /// A propagation change (with MS_REC when recursive) applied after the mount; 0 for none.
    public var propagation: UInt
    /// Filesystem-specific options, in order.
    public var data: [String]

    public init(flags: UInt = 0, propagation: UInt = 0, data: [String] = []) {
        self.flags = flags
        self.propagation = propagation
        self.data = data
    }

    /// The data argument of mount(2): the data options joined by commas.
    public var dataString: String { data.joined(separator: ",") }

    public var isBind: Bool { flags & MountFlag.bind != 0 }

    /// Flags a bind mount ignores on creation and only applies when remounted.
    static let bindRemountFlags: UInt = MountFlag.readOnly | MountFlag.noSUID | MountFlag.noDev | MountFlag.noExec
        | MountFlag.noATime | MountFlag.noDirATime | MountFlag.relATime | MountFlag.strictATime

    /// Parses options as containerd does; later options win (`ro` then `rw` is read-write).
    public init(parsing options: [String]) {
        self.init()
        for option in options {
            if let (clear, flag) = Self.flagTable[option] {
                if clear { flags &= ~flag } else { flags |= flag }
            } else if let change = Self.propagationFlag(option) {
                propagation = change
            } else {
                data.append(option)
            }
        }
    }

    /// The propagation flags of `rprivate`, `shared`, ... (nil for anything else).
    public static func propagationFlag(_ name: String) -> UInt? {
        switch name {
        case "private": return MountFlag.private
        case "rprivate": return MountFlag.private | MountFlag.recursive
        case "shared": return MountFlag.shared
        case "rshared": return MountFlag.shared | MountFlag.recursive
        case "slave": return MountFlag.slave
        case "rslave": return MountFlag.slave | MountFlag.recursive
        case "unbindable": return MountFlag.unbindable
        case "runbindable": return MountFlag.unbindable | MountFlag.recursive
        default: return nil
        }
    }

    /// containerd's table (mount_linux.go): option → (clears the flag?, flag).
    static let flagTable: [String: (Bool, UInt)] = [
        "async": (true, MountFlag.synchronous),
        "atime": (true, MountFlag.noATime),
        "bind": (false, MountFlag.bind),
        "defaults": (false, 0),
        "dev": (true, MountFlag.noDev),
        "diratime": (true, MountFlag.noDirATime),
        "dirsync": (false, MountFlag.dirSync),
        "exec": (true, MountFlag.noExec),
        "mand": (false, MountFlag.mandatoryLocks),
        "noatime": (false, MountFlag.noATime),
        "nodev": (false, MountFlag.noDev),
        "nodiratime": (false, MountFlag.noDirATime),
        "noexec": (false, MountFlag.noExec),
        "nomand": (true, MountFlag.mandatoryLocks),
        "norelatime": (true, MountFlag.relATime),
        "nostrictatime": (true, MountFlag.strictATime),
        "nosuid": (false, MountFlag.noSUID),
        "rbind": (false, MountFlag.bind | MountFlag.recursive),
        "relatime": (false, MountFlag.relATime),
        "remount": (false, MountFlag.remount),
        "ro": (false, MountFlag.readOnly),
        "rw": (true, MountFlag.readOnly),
        "strictatime": (false, MountFlag.strictATime),
        "suid": (true, MountFlag.noSUID),
        "sync": (false, MountFlag.synchronous),
    ]
}
