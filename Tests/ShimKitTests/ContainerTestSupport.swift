import Glibc
import Testing

@testable import ShimKit

/// The container tests need root (namespaces, mounts, cgroups) and a real kernel.
let runningAsRoot = getuid() == 0

/// A fresh directory under /tmp, unique per call.
func makeTemporaryDirectory(_ tag: String) -> String {
    let path = "/tmp/swim-\(tag)-\(getpid())-\(TemporaryCounter.next())"
    mkdir(path, 0o755)
    return path
}

private enum TemporaryCounter {
    private static let value = Monitor(0)
    static func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// rm -rf: removes `path` and everything below it (without following symlinks).
func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR {
        if let directory = opendir(path) {
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
            for name in names { removeTree(path + "/" + name) }
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// The mount points (field 5 of mountinfo) of `process` ("self" or a pid) under `prefix`.
func mountPoints(of process: String = "self", under prefix: String) -> [String] {
    let text = (try? LinuxFile.readString("/proc/\(process)/mountinfo")) ?? ""
    return text.split(separator: "\n").compactMap { line -> String? in
        let fields = line.split(separator: " ")
        guard fields.count > 5, fields[4].hasPrefix(prefix) else { return nil }
        return String(fields[4])
    }
}

/// The mount options (field 6) of the mount at exactly `point` in `process`'s mountinfo.
func mountOptions(of process: String = "self", at point: String) -> [String]? {
    let text = (try? LinuxFile.readString("/proc/\(process)/mountinfo")) ?? ""
    for line in text.split(separator: "\n").reversed() {
        let fields = line.split(separator: " ")
        if fields.count > 5, fields[4] == point { return fields[5].split(separator: ",").map(String.init) }
    }
    return nil
}

/// A field of /proc/<pid>/status, as "Seccomp" → "2".
func processStatusField(_ pid: Int32, _ name: String) -> String? {
    let text = (try? LinuxFile.readString("/proc/\(pid)/status")) ?? ""
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
        return line.dropFirst(name.count + 1).trimmingPrefix { $0 == " " || $0 == "\t" }.description
    }
    return nil
}

/// Where the namespace link of `process` points, e.g. "mnt:[4026531841]".
func namespaceIdentity(_ process: String, _ type: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 256)
    let count = readlink("/proc/\(process)/ns/\(type)", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
