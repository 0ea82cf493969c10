#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
@testable import SwimWASI

/// Path resolution beneath a directory descriptor, with openat2 and with the component walk.
@Suite struct SandboxTests {
    /// base/outside.txt, and under base/root: files, a directory, and symlinks of every kind.
    final class Tree {
        let base: TemporaryDirectory
        let root: Int32

        init() throws {
            base = try TemporaryDirectory()
            try writeText(base.sub("outside.txt"), "outside")
            let r = try base.makeDirectory("root")
            try writeText(r + "/file.txt", "file")
            _ = try base.makeDirectory("root/dir")
            _ = try base.makeDirectory("root/dir/sub")
            try writeText(r + "/dir/inner.txt", "inner")
            let links = [("link_up", ".."), ("link_abs", "/etc"), ("link_file", "dir/inner.txt"), ("link_dir", "dir"),
                         ("loop_a", "loop_b"), ("loop_b", "loop_a"), ("dir/escape", "../../outside.txt"),
                         ("dir/back", "../file.txt"), ("dir/sub/up2", "../../.."), ("dangling", "nowhere")]
            for (name, target) in links { symlink(target, r + "/" + name) }
            root = open(r, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard root >= 0 else { throw TestFailure("cannot open root") }
        }

        deinit { close(root) }
    }

    private static func contents(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    /// Opens `path` beneath the tree's root: its contents, or the errno.
    private static func openBeneath(_ tree: Tree, _ path: String, follow: Bool = true, flags: Int32 = O_RDONLY) -> Result<String, WASIErrno> {
        do {
            let fd = try Sandbox.open(tree.root, path, flags: flags | (follow ? 0 : O_NOFOLLOW), mode: 0o644)
            defer { close(fd) }
            return .success(contents(fd))
        } catch {
            return .failure(error)
        }
    }

    private static func inBothModes(_ body: () throws -> Void) rethrows {
        try body()
        try Linux.$openat2Disabled.withValue(true) { try body() }
    }

    @Test func splitting() throws {
        let p = try Sandbox.split("a/b/c")
        #expect(p.directory == "a/b" && p.name == "c" && !p.trailingSlash)
        let q = try Sandbox.split("name//")
        #expect(q.directory == "" && q.name == "name" && q.trailingSlash)
        let r = try Sandbox.split("a//..")
        #expect(r.directory == "a/" && r.name == "..")
        #expect(throws: WASIErrno.noent) { _ = try Sandbox.split("") }
        #expect(throws: WASIErrno.perm) { _ = try Sandbox.split("/etc") }
    }

    @Test func legitimatePaths() throws {
        let tree = try Tree()
        Self.inBothModes {
            #expect(Self.openBeneath(tree, "file.txt") == .success("file"))
            #expect(Self.openBeneath(tree, "./dir/../file.txt") == .success("file"))
            #expect(Self.openBeneath(tree, "dir/inner.txt") == .success("inner"))
            #expect(Self.openBeneath(tree, "link_file") == .success("inner"))
            #expect(Self.openBeneath(tree, "link_dir/inner.txt") == .success("inner"))
            #expect(Self.openBeneath(tree, "dir/back") == .success("file"))
            #expect(Self.openBeneath(tree, "dir/sub/../../file.txt") == .success("file"))
            #expect(Self.openBeneath(tree, "dir/", flags: O_RDONLY | O_DIRECTORY) == .success(""))
        }
    }

    @Test func escapesAreRefused() throws {
        let tree = try Tree()
        Self.inBothModes {
            for path in ["..", "../outside.txt", "/etc/passwd", "dir/../../outside.txt", "link_up/outside.txt",
                         "link_abs/passwd", "dir/escape", "dir/sub/up2/outside.txt", "link_dir/../../outside.txt"] {
                #expect(Self.openBeneath(tree, path) == .failure(.perm), "\(path)")
            }
            // Creating through an escape creates nothing.
            #expect(Self.openBeneath(tree, "link_up/new.txt", flags: O_WRONLY | O_CREAT) == .failure(.perm))
            #expect(!exists(tree.base.sub("new.txt")))
        }
    }

    @Test func errors() throws {
        let tree = try Tree()
        Self.inBothModes {
            #expect(Self.openBeneath(tree, "") == .failure(.noent))
            #expect(Self.openBeneath(tree, "missing") == .failure(.noent))
            #expect(Self.openBeneath(tree, "file.txt/") == .failure(.notdir))
            #expect(Self.openBeneath(tree, "file.txt/x") == .failure(.notdir))
            #expect(Self.openBeneath(tree, "loop_a") == .failure(.loop))
            #expect(Self.openBeneath(tree, "link_file", follow: false) == .failure(.loop))
            #expect(Self.openBeneath(tree, "dangling") == .failure(.noent))
        }
    }

    @Test func creatingThroughADanglingLink() throws {
        let tree = try Tree()
        #expect(Self.openBeneath(tree, "dangling", flags: O_WRONLY | O_CREAT) == .success(""))
        #expect(exists(tree.base.sub("root/nowhere")))
        Linux.$openat2Disabled.withValue(true) {
            unlink(tree.base.sub("root/nowhere"))
            #expect(Self.openBeneath(tree, "dangling", flags: O_WRONLY | O_CREAT) == .success(""))
            #expect(exists(tree.base.sub("root/nowhere")))
        }
    }

    @Test func resolvingTheLastComponent() throws {
        let tree = try Tree()
        try Self.inBothModes {
            // Not following: the link itself, in its directory.
            let link = try Sandbox.resolve(tree.root, "link_dir", follow: false)
            #expect(link.name == "link_dir" && !link.owned)
            link.release()
            // Following: the target's name in the target's directory.
            let target = try Sandbox.resolve(tree.root, "link_file", follow: true)
            #expect(target.name == "inner.txt" && target.owned)
            var st = stat()
            #expect(fstatat(target.directory, target.name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_size == 5)
            target.release()
            // `.` and `..` are applied: the name becomes ".".
            let parent = try Sandbox.resolve(tree.root, "dir/sub/..", follow: false)
            #expect(parent.name == ".")
            #expect(fstatat(parent.directory, "inner.txt", &st, 0) == 0)
            parent.release()
            #expect(throws: WASIErrno.perm) { _ = try Sandbox.resolve(tree.root, "dir/../..", follow: false) }
            #expect(throws: WASIErrno.perm) { _ = try Sandbox.resolve(tree.root, "dir/escape", follow: true) }
            #expect(throws: WASIErrno.loop) { _ = try Sandbox.resolve(tree.root, "loop_a", follow: true) }
            #expect(throws: WASIErrno.notdir) { _ = try Sandbox.resolve(tree.root, "file.txt/", follow: false) }
        }
    }

    @Test func locatingAParent() throws {
        let tree = try Tree()
        try Self.inBothModes {
            let here = try Sandbox.locate(tree.root, "new")
            #expect(here.directory == tree.root && !here.owned && here.name == "new")
            let deep = try Sandbox.locate(tree.root, "link_dir/sub/new/")
            #expect(deep.owned && deep.name == "new" && deep.trailingSlash)
            #expect(mkdirat(deep.directory, deep.name, 0o755) == 0)
            deep.release()
            #expect(exists(tree.base.sub("root/dir/sub/new")))
            #expect(throws: WASIErrno.perm) { _ = try Sandbox.locate(tree.root, "link_up/x") }
            #expect(throws: WASIErrno.noent) { _ = try Sandbox.locate(tree.root, "missing/x") }
            rmdir(tree.base.sub("root/dir/sub/new"))
        }
    }
}
