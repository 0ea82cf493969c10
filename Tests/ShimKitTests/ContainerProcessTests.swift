import Glibc
import Testing

@testable import ShimKit

/// Containers created through `ContainerProcess` on this kernel, with the test payloads of
/// `shimkit-test-init`; each test checks the confinement from outside.
@Suite(.serialized, .enabled(if: runningAsRoot, "containers need root"))
struct ContainerProcessTests {
    @Test func exitStatusAndOutputPropagate() throws {
        let container = ContainerFixture("exit", args: ["hello", "7"])
        defer { container.cleanup() }
        let status = try container.run()
        #expect(status.status == 7)
        #expect(!status.signaled)
        #expect(container.stdout == "hello from the container\n")
    }

    @Test func theProcessIsConfinedBeforeStart() throws {
        let container = ContainerFixture("confined", args: ["sleep"])
        container.spec.linux?.resources = .init(memory: .init(limit: 48 << 20), pids: .init(limit: 16))
        defer { container.cleanup() }
        let process = try container.create()
        let pid = process.pid

        #expect(processStatusField(pid, "Seccomp") == "2")
        #expect(processStatusField(pid, "NoNewPrivs") == "1")
        // No capabilities object in the spec: no capabilities at all.
        #expect(processStatusField(pid, "CapEff") == "0000000000000000")
        #expect(processStatusField(pid, "CapBnd") == "0000000000000000")
        // pid 1 in its own pid namespace.
        #expect(processStatusField(pid, "NSpid")?.hasSuffix("\t1") == true)
        for type in ["mnt", "uts", "ipc", "net", "pid"] {
            let own = try #require(namespaceIdentity("self", type))
            let containers = try #require(namespaceIdentity(String(pid), type))
            #expect(own != containers, "the \(type) namespace is shared with the host")
        }
        // In its cgroup, with the limits applied.
        let cgroup = try #require(container.cgroup)
        #expect(try cgroup.processIDs() == [pid])
        let memory = try #require(cgroup.directory(for: "memory"))
        #expect(try LinuxFile.readValue(memory + "/memory.limit_in_bytes") == String(48 << 20))
        #expect(try LinuxFile.readString("/proc/\(pid)/cgroup").contains("memory:\(cgroup.path)\n"))
        #expect(try LinuxFile.readValue(try #require(cgroup.directory(for: "pids")) + "/pids.max") == "16")
        // Pivoted: its root is the rootfs, where /proc is mounted.
        #expect(mountPoints(of: String(pid), under: "/").contains("/proc"))
        #expect(!mountPoints(of: String(pid), under: "/").contains(container.bundle + "/rootfs"))

        try process.kill(signal: SIGKILL)
        #expect(process.wait(timeout: .seconds(10))?.status == 137)
    }

    @Test func aSyscallOutsideTheAllowListFailsWithEPERM() throws {
        let container = ContainerFixture("seccomp", args: ["forbidden"])
        defer { container.cleanup() }
        #expect(try container.run().status == 0)
        #expect(container.stdout == "getppid=\(-EPERM) socket=-1 errno=\(EPERM)\n")
    }

    @Test func ioctlIsAllowedForTheListedRequestsOnly() throws {
        let container = ContainerFixture("ioctl", args: ["ioctl"])
        defer { container.cleanup() }
        #expect(try container.run().status == 0)
        #expect(container.stdout == "fionread=allowed highbits=allowed tiocsti=EPERM\n")
    }

    @Test func theHostnameIsTheSpecs() throws {
        let container = ContainerFixture("hostname", args: ["hostname"])
        container.spec.hostname = "swim-box"
        defer { container.cleanup() }
        #expect(try container.run().status == 0)
        #expect(container.stdout == "swim-box\n")
    }

    @Test func theMemoryLimitHoldsAndTheOOMIsReported() throws {
        let container = ContainerFixture("oom", args: ["allocate", "256"])
        container.spec.linux?.resources = .init(memory: .init(limit: 32 << 20))
        defer { container.cleanup() }
        let process = try container.create()
        let oomSeen = Monitor(false)
        let watch = try #require(container.cgroup).watchOOM { oomSeen.withLock { $0 = true } }
        defer { watch.stop() }
        try process.start()
        let status = try #require(process.wait(timeout: .seconds(30)))
        #expect(status.status == 137)
        #expect(status.signaled)
        #expect(oomSeen.wait(until: .after(.seconds(5))) { $0 ? true : nil } == true)
        #expect(try #require(container.cgroup).stats().memory?.oomKills ?? 0 >= 1)
        #expect(!container.stdout.contains("allocated"))
    }

    @Test func thePidsLimitHolds() throws {
        let container = ContainerFixture("pids", args: ["fork", "20"])
        container.spec.linux?.resources = .init(pids: .init(limit: 5))
        defer { container.cleanup() }
        // The payload counts as one task; four children fit under pids.max = 5.
        #expect(try container.run().status == 4)
        #expect(container.stdout == "forked 4\n")
        let pids = try #require(container.cgroup?.directory(for: "pids"))
        #expect(try LinuxFile.readValue(pids + "/pids.events") != "max 0")
    }

    @Test func killDeliversSignals() throws {
        // pid 1 of a pid namespace: the init's handler turns SIGTERM into status 143.
        let namespaced = ContainerFixture("kill-term", args: ["sleep"])
        defer { namespaced.cleanup() }
        let first = try namespaced.create()
        try first.start()
        try first.kill(signal: SIGTERM)
        #expect(first.wait(timeout: .seconds(10))?.status == 128 + SIGTERM)
        #expect(throws: ContainerError.notRunning) { try first.kill(signal: SIGTERM) }

        // Without a pid namespace the default action kills it: 128 + SIGUSR1.
        let plain = ContainerFixture("kill-usr1", args: ["sleep"])
        plain.spec.linux?.namespaces = ["mount", "uts"].map { OCISpec.Namespace(type: $0) }
        defer { plain.cleanup() }
        let second = try plain.create()
        try second.start()
        try second.kill(signal: SIGUSR1, all: true)
        let status = try #require(second.wait(timeout: .seconds(10)))
        #expect(status.signaled)
        #expect(status.status == 128 + SIGUSR1)
    }

    @Test func aFailingPrepareFailsCreateAndLeavesNothing() throws {
        let container = ContainerFixture("prepare", args: ["fail-prepare"])
        defer { container.cleanup() }
        do {
            try container.create()
            Issue.record("create succeeded")
        } catch let error as ContainerError {
            #expect(error.description == "preparing the payload: deliberate failure in prepare")
        }
        #expect(try #require(container.cgroup).processIDs().isEmpty)
    }

    @Test func aHungPrepareFailsCreateAtTheDeadlineAndLeavesNothing() throws {
        let container = ContainerFixture("hang", args: ["hang-prepare"])
        defer { container.cleanup() }
        do {
            try container.create(readyTimeout: .milliseconds(500))
            Issue.record("create succeeded")
        } catch let error as ContainerError {
            #expect(error == .notReadyInTime(.milliseconds(500)))
            #expect(error.description == "the container process was not ready within 0.5 seconds")
        }
        #expect(try #require(container.cgroup).processIDs().isEmpty)
    }

    @Test func setupErrorsNameTheStep() throws {
        let container = ContainerFixture("bad-mount", args: ["hello"])
        container.spec.mounts = [.init(destination: "/data", type: "bind", source: "/nonexistent-swim-source", options: ["rbind"])]
        defer { container.cleanup() }
        do {
            try container.create()
            Issue.record("create succeeded")
        } catch let error as ContainerError {
            #expect(error.description.hasPrefix("mounts[0] (bind on /data): mount "))
            #expect(error.description.hasSuffix("No such file or directory (errno 2)"))
        }
    }

    @Test func containersCreatedConcurrentlyKeepTheirOwnStatus() throws {
        let count = 8
        let fixtures = (0..<count).map { ContainerFixture("parallel\($0)", args: ["hello", String(10 + $0)]) }
        defer { fixtures.forEach { $0.cleanup() } }
        let results = Monitor([Int: Int32]())
        for (index, fixture) in fixtures.enumerated() {
            let box = UncheckedFixture(fixture)
            Threads.spawn(name: "create-\(index)") {
                let status = (try? box.fixture.run())?.status ?? -1
                results.withLock { $0[index] = status }
            }
        }
        let all = results.wait(until: .after(.seconds(60))) { $0.count == count ? $0 : nil }
        #expect(all == Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, Int32(10 + $0)) }))
        for fixture in fixtures {
            #expect(fixture.stdout == "hello from the container\n")
        }
    }

    @Test func cleanupLeavesNoCgroupOrMountBehind() throws {
        let container = ContainerFixture("cleanup", args: ["hello", "0"])
        defer { container.cleanup() }
        #expect(try container.run().status == 0)
        let cgroup = try #require(container.cgroup)
        try cgroup.delete()
        for directory in cgroup.placement.directories {
            #expect(!LinuxFile.exists(directory.path))
        }
        // The container's mounts lived in its own mount namespace, gone with it.
        #expect(mountPoints(under: container.bundle).isEmpty)
    }
}
