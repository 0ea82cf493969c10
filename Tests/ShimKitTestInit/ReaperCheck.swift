import Glibc
import ShimKit

/// The reaper in the daemon's mode (`reapAllChildren`), which a test process cannot enable
/// for itself without taking the children other tests wait for. Prints one line:
/// `unwatched=<status> orphan=<status> zombies=<count>`.
enum ReaperCheck {
    static func run(directory: String) -> Never {
        Reaper.shared.reapAllChildren()
        // A child nobody watches is collected, and its status kept for a later watch.
        let unwatched = spawnShell("exit 6")
        let unwatchedGone = waitUntilGone(unwatched)
        let unwatchedStatus = (try? Reaper.shared.wait(pid: unwatched))?.status ?? -1
        // An orphan reparented to this subreaper is collected too.
        let parent = spawnShell("(sleep 0.2; exit 9) & echo $! > \(directory)/orphan")
        _ = try? Reaper.shared.wait(pid: parent)
        let orphan = readPID(directory + "/orphan")
        let orphanGone = orphan > 0 && waitUntilGone(orphan)
        let orphanStatus = (try? Reaper.shared.wait(pid: orphan))?.status ?? -1
        let line = "unwatched=\(unwatchedStatus) orphan=\(orphanStatus) collected=\(unwatchedGone && orphanGone)\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        exit(0)
    }

    private static func spawnShell(_ script: String) -> Int32 {
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", script]
        let argv = words.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var cArguments = argv + [nil]
        guard posix_spawn(&pid, "/bin/sh", nil, nil, &cArguments, environ) == 0 else { return -1 }
        return pid
    }

    /// True once the process has been reaped (a zombie still has its /proc entry).
    private static func waitUntilGone(_ pid: Int32) -> Bool {
        for _ in 0..<300 {
            if access("/proc/\(pid)", F_OK) != 0 { return true }
            usleep(10_000)
        }
        return false
    }

    /// The pid the shell wrote (it exited, so the file is complete).
    private static func readPID(_ path: String) -> Int32 {
        guard let file = fopen(path, "r") else { return -1 }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 32)
        guard fgets(&buffer, 32, file) != nil else { return -1 }
        let text = String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int32(text) ?? -1
    }
}
