import Glibc
import Testing

@testable import ShimKit

/// What a container adds to the bundle's unmounted rootfs is removed again, and only that.
@Suite struct UnmountedRootfsTests {
    @Test func additionsAreRemovedAndWhatWasThereStays() throws {
        let root = makeTemporaryDirectory("unmounted-rootfs")
        defer { removeTree(root) }
        try LinuxFile.create(root + "/kept", bytes: [1])
        mkdir(root + "/kept-dir", 0o755)
        let rootfs = try UnmountedRootfs(path: root)

        for directory in ["dev", "proc", "sys", "run", "dev/pts", "deep/a/b"] { try LinuxFile.makeDirectories(root + "/" + directory) }
        try LinuxFile.create(root + "/deep/a/b/file", bytes: [2])
        try LinuxFile.create(root + "/written", bytes: [3])
        symlink("/etc", root + "/link")  // removed itself; /etc is not followed
        try rootfs.removeAdditions()

        #expect(listDirectory(root).sorted() == ["kept", "kept-dir"])
        #expect(LinuxFile.exists("/etc/passwd"))
    }

    @Test func aMissingDirectoryIsAnError() {
        #expect(throws: SystemCallError.self) { _ = try UnmountedRootfs(path: "/nonexistent-rootfs-\(getpid())") }
    }
}

private func listDirectory(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
