import Glibc
import Testing

@testable import ShimKit

struct ContainerMountOptionTests {
    @Test func flagsAreSetAndClearedInOrder() {
        let options = MountOptions(parsing: ["ro", "rbind", "nosuid", "nodev", "noexec"])
        #expect(options.flags == MountFlag.readOnly | MountFlag.bind | MountFlag.recursive | MountFlag.noSUID | MountFlag.noDev | MountFlag.noExec)
        #expect(options.data.isEmpty)
        #expect(options.isBind)

        #expect(MountOptions(parsing: ["ro", "rw"]).flags & MountFlag.readOnly == 0)
        #expect(MountOptions(parsing: ["rw", "ro"]).flags & MountFlag.readOnly != 0)
        #expect(MountOptions(parsing: ["nosuid", "suid"]).flags == 0)
        #expect(MountOptions(parsing: ["defaults"]) == MountOptions())
        #expect(MountOptions(parsing: ["bind"]).flags == MountFlag.bind)
    }

    @Test func unknownOptionsBecomeTheDataStringInOrder() {
        let options = MountOptions(parsing: [
            "index=off", "workdir=/s/3/work", "upperdir=/s/3/fs", "lowerdir=/s/2/fs:/s/1/fs", "ro",
        ])
        #expect(options.flags == MountFlag.readOnly)
        #expect(options.dataString == "index=off,workdir=/s/3/work,upperdir=/s/3/fs,lowerdir=/s/2/fs:/s/1/fs")
        #expect(MountOptions(parsing: ["nosuid", "mode=755", "size=65536k"]).dataString == "mode=755,size=65536k")
    }

    @Test func propagationIsKeptApart() {
        let options = MountOptions(parsing: ["rbind", "rprivate"])
        #expect(options.flags == MountFlag.bind | MountFlag.recursive)
        #expect(options.propagation == MountFlag.private | MountFlag.recursive)
        #expect(MountOptions(parsing: ["slave"]).propagation == MountFlag.slave)
        #expect(MountOptions.propagationFlag("rshared") == MountFlag.shared | MountFlag.recursive)
        #expect(MountOptions.propagationFlag("sideways") == nil)
    }

    @Test func rootfsPathsNeverLeaveTheRoot() throws {
        let root = makeTemporaryDirectory("rootfs-path")
        defer { removeTree(root) }
        mkdir(root + "/etc", 0o755)
        symlink("/etc", root + "/proc")  // an image's absolute link: must stay inside
        symlink("../../../../etc", root + "/up")  // climbing out: clamped at the root
        symlink("loop", root + "/loop")
        #expect(try RootfsPath.resolve("/proc/x", in: root) == root + "/etc/x")
        #expect(try RootfsPath.resolve("/up/passwd", in: root) == root + "/etc/passwd")
        #expect(try RootfsPath.resolve("/../../dev", in: root) == root + "/dev")
        #expect(try RootfsPath.resolve("/", in: root) == root)
        #expect(try RootfsPath.resolve("/new/dir/./x", in: root) == root + "/new/dir/x")
        #expect(throws: SystemCallError.self) { try RootfsPath.resolve("/loop/x", in: root) }
    }
}

@Suite(.serialized, .enabled(if: runningAsRoot, "mounting needs root"))
struct ContainerRootfsMountTests {
    @Test func bindMountIsReadOnlyAndUnmountedOnDelete() throws {
        let base = makeTemporaryDirectory("rootfs-bind")
        defer { removeTree(base) }
        let snapshot = base + "/snapshot"
        let target = base + "/bundle/rootfs"
        mkdir(snapshot, 0o755)
        try LinuxFile.create(snapshot + "/hello.wasm", bytes: [0, 0x61, 0x73, 0x6d])

        try RootfsMounts.mount([RootfsMount(type: "bind", source: snapshot, options: ["rbind", "ro"])], onto: target)
        #expect(LinuxFile.exists(target + "/hello.wasm"))
        #expect(mountOptions(at: target)?.contains("ro") == true)
        #expect(open(target + "/new", O_WRONLY | O_CREAT, 0o644) < 0 && errno == EROFS)

        try RootfsMounts.unmount(target)
        #expect(mountPoints(under: base).isEmpty)
        #expect(!LinuxFile.exists(target + "/hello.wasm"))
        try RootfsMounts.unmount(target)  // already gone: fine
    }

    @Test func overlayMountWritesToTheUpperDirectory() throws {
        let base = makeTemporaryDirectory("rootfs-overlay")
        defer { removeTree(base) }
        for directory in ["lower", "upper", "work"] { mkdir(base + "/" + directory, 0o755) }
        try LinuxFile.create(base + "/lower/module.wasm", bytes: [1, 2, 3])
        let target = base + "/rootfs"
        let options = ["index=off", "workdir=\(base)/work", "upperdir=\(base)/upper", "lowerdir=\(base)/lower"]
        try RootfsMounts.mount([RootfsMount(type: "overlay", source: "overlay", options: options)], onto: target)
        defer { try? RootfsMounts.unmount(target) }

        #expect(try LinuxFile.readAll(target + "/module.wasm") == [1, 2, 3])
        try LinuxFile.create(target + "/written", bytes: [9])
        #expect(LinuxFile.exists(base + "/upper/written"))
        #expect(!LinuxFile.exists(base + "/lower/written"))

        try RootfsMounts.unmount(target)
        #expect(mountPoints(under: base).isEmpty)
    }

    @Test func aFailingMountNamesItsEntry() {
        let base = makeTemporaryDirectory("rootfs-bad")
        defer { removeTree(base) }
        do {
            try RootfsMounts.mount([RootfsMount(type: "nosuchfs", source: "none", options: [])], onto: base + "/rootfs")
            Issue.record("mounting an unknown file system type succeeded")
        } catch {
            #expect(error.description.hasPrefix("rootfs[0] nosuchfs mount of none on \(base)/rootfs"))
            #expect(error.errno == ENODEV)
        }
        #expect(mountPoints(under: base).isEmpty)
    }
}
