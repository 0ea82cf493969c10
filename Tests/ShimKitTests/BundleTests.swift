import FoundationEssentials
import Glibc
import Testing

@testable import ShimKit

/// A config.json as containerd writes it for `ctr run` (trimmed), with fields the shim ignores.
private let containerdConfig = #"""
    {
      "ociVersion": "1.0.2-dev",
      "process": {
        "user": {"uid": 0, "gid": 0, "additionalGids": [10]},
        "args": ["/hello.wasm", "echo", "hi"],
        "env": ["PATH=/usr/local/bin:/usr/bin", "HOSTNAME=demo"],
        "cwd": "/",
        "capabilities": {
          "bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN"],
          "permitted": ["CAP_CHOWN", "CAP_KILL"], "inheritable": []
        },
        "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
        "noNewPrivileges": true,
        "apparmorProfile": "ignored"
      },
      "root": {"path": "rootfs"},
      "hostname": "demo",
      "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}
      ],
      "annotations": {"io.kubernetes.cri.container-type": "container"},
      "hooks": {"prestart": []},
      "linux": {
        "resources": {
          "devices": [{"allow": false, "access": "rwm"}],
          "memory": {"limit": 33554432, "swap": 67108864, "reservation": 1048576},
          "cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0"},
          "pids": {"limit": 32}
        },
        "cgroupsPath": "/default/demo",
        "namespaces": [
          {"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"},
          {"type": "network", "path": "/var/run/netns/cni-1234"}
        ],
        "seccomp": {
          "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
          "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                       {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                        "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]
        },
        "maskedPaths": ["/proc/kcore"],
        "readonlyPaths": ["/proc/sys"]
      }
    }
    """#

private func decode(_ text: String) throws(ConfigError) -> OCISpec {
    try OCIBundle.decodeSpec(Array(text.utf8))
}

/// The ConfigError that decoding `text` throws (nil when it decodes).
private func configError(_ text: String) -> ConfigError? {
    do {
        _ = try decode(text)
        return nil
    } catch {
        return error
    }
}

private let minimal = #"{"process": {"args": ["/a.wasm"], "cwd": "/"}, "root": {"path": "rootfs"}, "linux": {"namespaces": [{"type": "mount"}]}}"#

struct BundleTests {
    @Test func decodesContainerdConfigAndIgnoresUnknownFields() throws {
        let spec = try decode(containerdConfig)
        #expect(spec.process?.args == ["/hello.wasm", "echo", "hi"])
        #expect(spec.process?.user == OCISpec.User(uid: 0, gid: 0, additionalGids: [10]))
        #expect(spec.process?.capabilities?.bounding == ["CAP_CHOWN", "CAP_KILL"])
        #expect(spec.process?.rlimits == [OCISpec.Rlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
        #expect(spec.process?.noNewPrivileges == true)
        #expect(spec.root == OCISpec.Root(path: "rootfs", readonly: nil))
        #expect(spec.hostname == "demo")
        #expect(spec.mounts?.count == 2)
        #expect(spec.mounts?[1].options?.contains("mode=755") == true)
        #expect(spec.linux?.cgroupsPath == "/default/demo")
        #expect(spec.linux?.resources?.memory == OCISpec.Memory(limit: 33_554_432, swap: 67_108_864, reservation: 1_048_576))
        #expect(spec.linux?.resources?.cpu == OCISpec.CPU(shares: 512, quota: 50000, period: 100_000, cpus: "0"))
        #expect(spec.linux?.resources?.pids?.limit == 32)
        #expect(spec.namespace("network")?.path == "/var/run/netns/cni-1234")
        #expect(spec.namespace("user") == nil)
        #expect(spec.linux?.seccomp?.syscalls?[1].args?.first == OCISpec.SyscallArg(index: 0, value: 8, op: "SCMP_CMP_EQ"))
        #expect(spec.linux?.maskedPaths == ["/proc/kcore"])
        #expect(spec.isCRISandbox == false)
    }

    @Test func recognisesTheCRISandbox() throws {
        let spec = try decode(#"{"process": {"args": ["/pause"]}, "root": {"path": "rootfs", "readonly": true}, "#
            + #""annotations": {"io.kubernetes.cri.container-type": "sandbox"}, "linux": {"namespaces": [{"type": "mount"}]}}"#)
        #expect(spec.isCRISandbox)
        #expect(spec.root?.readonly == true)
    }

    @Test func badJSONIsNamedAsSuch() {
        let error = configError("{\"process\": ")
        #expect(error?.field == "")
        #expect(error?.description.hasPrefix("config.json: not valid JSON") == true)
    }

    @Test func wrongTypesNameTheField() {
        let error = configError(#"{"process": {"args": "/a.wasm"}, "root": {"path": "rootfs"}}"#)
        #expect(error?.field == "process.args")
        #expect(error?.description == "config.json: process.args: expected an array")

        let rlimit = configError(#"{"process": {"args": ["a"], "rlimits": [{"type": "RLIMIT_NOFILE", "hard": "many", "soft": 1}]}, "root": {"path": "r"}}"#)
        #expect(rlimit?.field == "process.rlimits[0].hard")
        #expect(rlimit?.message == "expected a number")

        let negative = configError(#"{"process": {"args": ["a"], "user": {"uid": -1, "gid": 0}}, "root": {"path": "r"}}"#)
        #expect(negative?.description == "config.json: process.user.uid: -1 is not in 0...4294967295")
        let groups = configError(#"{"process": {"args": ["a"], "user": {"uid": 0, "gid": 0, "additionalGids": [1, 5000000000]}}, "root": {"path": "r"}}"#)
        #expect(groups?.field == "process.user.additionalGids")
        let errno = configError(#"{"process": {"args": ["a"]}, "root": {"path": "r"}, "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1.5}}}"#)
        #expect(errno?.description == "config.json: linux.seccomp.defaultErrnoRet: 1.5 is not an integer")
    }

    @Test func missingRequiredFieldsAreNamed() {
        #expect(configError(#"{"process": {"args": ["a"]}}"#)?.description == "config.json: root: missing")
        #expect(configError(#"{"root": {"path": "r"}}"#)?.description == "config.json: process: missing")
        #expect(configError(#"{"process": {"args": []}, "root": {"path": "r"}}"#)?.description == "config.json: process.args: empty")
        #expect(configError(#"{"process": {"args": ["a"]}, "root": {}}"#)?.field == "root.path")
        #expect(configError(#"{"process": {"args": ["a"]}, "root": {"path": "r"}, "mounts": [{"type": "proc"}]}"#)?.field == "mounts[0].destination")
    }

    @Test func semanticErrorsNameTheField() {
        func spec(linux: String, extra: String = "") -> String {
            #"{"process": {"args": ["a"]}, "root": {"path": "r"}, "linux": "# + linux + "}" + extra
        }
        let namespaces = #"{"namespaces": [{"type": "mount"}, {"type": "nope"}]}"#
        #expect(configError(spec(linux: namespaces))?.description == #"config.json: linux.namespaces[1].type: unknown namespace type "nope""#)
        #expect(configError(spec(linux: #"{"namespaces": [{"type": "mount"}, {"type": "user"}]}"#))?.message == "user namespaces are not supported")
        #expect(configError(spec(linux: #"{"namespaces": [{"type": "pid"}]}"#))?.field == "linux.namespaces")
        #expect(configError(spec(linux: #"{"namespaces": [{"type": "mount"}, {"type": "mount"}]}"#))?.field == "linux.namespaces[1].type")
        let systemd = #"{"namespaces": [{"type": "mount"}], "cgroupsPath": "system.slice:cri:abc"}"#
        #expect(configError(spec(linux: systemd))?.field == "linux.cgroupsPath")
        let action = #"{"namespaces": [{"type": "mount"}], "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOPE"}]}}"#
        #expect(configError(spec(linux: action))?.description == #"config.json: linux.seccomp.syscalls[0].action: unknown action "SCMP_ACT_NOPE""#)
        let architecture = #"{"namespaces": [{"type": "mount"}], "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"]}}"#
        #expect(configError(spec(linux: architecture))?.field == "linux.seccomp.architectures[0]")
        let op = #"{"namespaces": [{"type": "mount"}], "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ABOUT"}]}]}}"#
        #expect(configError(spec(linux: op))?.field == "linux.seccomp.syscalls[0].args[0].op")
        let hostname = #"{"process": {"args": ["a"]}, "root": {"path": "r"}, "hostname": "h", "linux": {"namespaces": [{"type": "mount"}]}}"#
        #expect(configError(hostname)?.description == "config.json: hostname: unable to set hostname without a private UTS namespace")
        let rlimit = #"{"process": {"args": ["a"], "rlimits": [{"type": "RLIMIT_BOGUS", "hard": 1, "soft": 1}]}, "root": {"path": "r"}}"#
        #expect(configError(rlimit)?.field == "process.rlimits[0].type")
    }

    @Test func rootfsPathIsRelativeToTheBundle() throws {
        let relative = try decode(minimal)
        #expect(OCIBundle.rootfsPath(of: relative, bundle: "/run/b/x") == "/run/b/x/rootfs")
        #expect(OCIBundle.rootfsPath(of: relative, bundle: "/run/b/x/") == "/run/b/x/rootfs")
        var absolute = relative
        absolute.root?.path = "/srv/root"
        #expect(OCIBundle.rootfsPath(of: absolute, bundle: "/run/b/x") == "/srv/root")
    }

    @Test func loadsConfigFromABundleDirectory() throws {
        let directory = "/tmp/swim-bundle-test-\(getpid())"
        mkdir(directory, 0o755)
        defer {
            unlink(directory + "/config.json")
            rmdir(directory)
        }
        #expect(throws: ConfigError.self) { try OCIBundle.load(path: directory) }
        try LinuxFile.create(directory + "/config.json", bytes: Array(minimal.utf8))
        let bundle = try OCIBundle.load(path: directory)
        #expect(bundle.spec.process?.args == ["/a.wasm"])
        #expect(bundle.rootfsPath == directory + "/rootfs")
    }

    @Test func specSurvivesAnEncodeDecodeRoundTrip() throws {
        let spec = try decode(containerdConfig)
        let configuration = InitConfiguration(id: "x", bundle: "/b", rootfs: "/b/rootfs", spec: spec, cgroup: nil, memoryLimitBytes: 5)
        let message = InitMessage.configuration(Array(try JSONEncoder().encode(configuration)))
        let bytes = message.encoded
        let decoded = try InitMessage.decode(kind: bytes[0], payload: Array(bytes[5...]))
        #expect(decoded == message)
        guard case .configuration(let payload) = decoded else { Issue.record("not a configuration"); return }
        let back = try JSONDecoder().decode(InitConfiguration.self, from: Data(payload))
        #expect(back.spec == spec)
        #expect(back.memoryLimitBytes == 5)
    }
}
