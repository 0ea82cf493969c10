import Glibc
import Testing

@testable import ShimKit

/// One test container: a bundle under /tmp with an empty rootfs, stdout and stderr captured in
/// files, its own cgroup, and the `shimkit-test-init` binary as init (`process.args` picks the
/// test payload). `cleanup` kills what is left and removes the cgroup and the bundle.
final class ContainerFixture {
    let id: String
    let bundle: String
    var spec: OCISpec
    private(set) var cgroup: Cgroup?
    private(set) var process: ContainerProcess?

    /// The test payload binary, built next to the test bundle.
    static let initExecutable = LinuxFile.parent(of: ContainerProcess.selfExecutable) + "/shimkit-test-init"

    init(_ tag: String, args: [String]) {
        id = "\(tag)-\(getpid())"
        bundle = makeTemporaryDirectory("container-\(tag)")
        mkdir(bundle + "/rootfs", 0o755)
        spec = OCISpec(
            process: .init(args: args, cwd: "/"),
            root: .init(path: "rootfs"),
            hostname: "swim-test",
            mounts: [.init(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"])],
            linux: .init(
                namespaces: ["pid", "mount", "ipc", "uts", "network"].map { OCISpec.Namespace(type: $0) },
                cgroupsPath: "/swim-shimkit-\(tag)-\(getpid())"))
    }

    /// Creates the cgroup and the container; returns once it is ready (or throws Create's error).
    @discardableResult
    func create(files: [ContainerFile] = [], readyTimeout: Duration = .seconds(120)) throws -> ContainerProcess {
        try spec.validate()
        let cgroup = try Cgroup.create(path: Cgroup.path(for: spec, id: id) ?? "/" + id, resources: spec.linux?.resources)
        self.cgroup = cgroup
        let stdin = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let stdout = open(bundle + "/stdout", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let stderr = open(bundle + "/stderr", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { [stdin, stdout, stderr].forEach { close($0) } }
        let process = try ContainerProcess.create(
            id: id, bundle: bundle, spec: spec, stdio: ContainerStdio(stdin: stdin, stdout: stdout, stderr: stderr),
            cgroup: cgroup, files: files, initExecutable: Self.initExecutable, readyTimeout: readyTimeout)
        self.process = process
        return process
    }

    /// Starts the container and waits (at most 30 s) for it to exit.
    func run() throws -> ProcessExitStatus {
        let process = try process ?? create()
        try process.start()
        return try #require(process.wait(timeout: .seconds(30)), "the container did not exit")
    }

    var stdout: String { (try? LinuxFile.readString(bundle + "/stdout")) ?? "" }
    var stderr: String { (try? LinuxFile.readString(bundle + "/stderr")) ?? "" }

    func cleanup() {
        if let process, process.exitStatus == nil {
            try? process.kill(signal: SIGKILL, all: true)
            _ = process.wait(timeout: .seconds(10))
        }
        try? cgroup?.delete()
        removeTree(bundle)
    }
}

/// Hands a fixture to one other thread; the test does not touch it until that thread is done.
struct UncheckedFixture: @unchecked Sendable {
    let fixture: ContainerFixture

    init(_ fixture: ContainerFixture) {
        self.fixture = fixture
    }
}
