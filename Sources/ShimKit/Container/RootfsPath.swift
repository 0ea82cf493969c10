import Glibc

/// Resolves container paths inside a root file system the way the container will see them:
/// symlinks are followed, but an absolute link target or a `..` never leaves the root (the
/// algorithm of filepath-securejoin, which runc uses). An image cannot make a mount land on
/// the host by shipping `/proc` as a symlink to `/etc`.
enum RootfsPath {
    /// More symlinks than this in one path is a loop.
    static let maximumLinks = 255

    static func resolve(_ containerPath: String, in root: String) throws(SystemCallError) -> String {
        var resolved: [String] = []
        var remaining = Array(containerPath.split(separator: "/").map(String.init).reversed())
        var linksFollowed = 0
        while let component = remaining.popLast() {
            if component == "." { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = join(root, resolved + [component])
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                // Not there (yet): the rest is taken literally; the caller creates it.
                resolved.append(component)
                continue
            }
            guard (info.st_mode & S_IFMT) == S_IFLNK else {
                resolved.append(component)
                continue
            }
            linksFollowed += 1
            guard linksFollowed <= maximumLinks else {
                throw SystemCallError("resolve", path: containerPath, errno: ELOOP)
            }
            let target = try readLink(candidate)
            if target.hasPrefix("/") { resolved = [] }
            remaining.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
        }
        return join(root, resolved)
    }

    private static func join(_ root: String, _ components: [String]) -> String {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        return components.isEmpty ? (base.isEmpty ? "/" : base) : base + "/" + components.joined(separator: "/")
    }

    private static func readLink(_ path: String) throws(SystemCallError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw SystemCallError("readlink", path: path) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
