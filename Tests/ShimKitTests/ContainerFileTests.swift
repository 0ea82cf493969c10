import Glibc
import Testing

@testable import ShimKit

/// Files the daemon hands a container's init (`ContainerPreparation`): sealed memory files
/// reach the payload's prepare under their names and are closed before it runs.
@Suite(.serialized, .enabled(if: runningAsRoot, "containers need root"))
struct ContainerFileTests {
    private func sealed(_ text: String) throws -> Int32 {
        let file = try SealedFile(name: "test")
        try file.append(Array(text.utf8))
        return try file.seal()
    }

    @Test func handedFilesReachThePayloadSealedAndAreClosedBeforeRun() throws {
        let container = ContainerFixture("files", args: ["handed-files"])
        defer { container.cleanup() }
        let files = [ContainerFile(name: "first", descriptor: try sealed("one")),
                     ContainerFile(name: "second", descriptor: try sealed("two"))]
        defer { PreparedFiles(files: files).close() }
        try container.create(files: files)
        let status = try container.run()
        #expect(status.status == 0, "\(container.stderr)")
        #expect(container.stdout == "first=one sealed=true closed=true\nsecond=two sealed=true closed=true\n")
    }

    @Test func aSealedFileCannotChange() throws {
        let fd = try sealed("fixed")
        defer { close(fd) }
        #expect(SealedFile.isSealed(fd))
        #expect(try SealedFile.read(fd) == Array("fixed".utf8))
        #expect(write(fd, "x", 1) < 0 && errno == EPERM)
        #expect(ftruncate(fd, 0) < 0 && errno == EPERM)
    }
}
