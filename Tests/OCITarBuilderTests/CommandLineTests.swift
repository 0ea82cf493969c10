import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import oci_tar_builder

@Suite struct CommandLineTests {
    /// The arguments Makefile's `test-image` passes.
    static let demoArguments = [
        "--repo", "ghcr.io/containerd/runwasi", "--name", "wasi-demo-app", "--tag", "latest",
        "--file", "/wasi-demo-app.wasm=testdata/app.wasm", "--entrypoint", "/wasi-demo-app.wasm", "-o", "out.tar",
    ]

    @Test func parsesTheDemoCommandLine() throws {
        let command = try OCITarBuilder.parse(Self.demoArguments)
        #expect(command.name == "wasi-demo-app" && command.repository == "ghcr.io/containerd/runwasi")
        #expect(command.tag == "latest" && command.output == "out.tar")
        #expect(command.files.map(\.layerPath) == ["/wasi-demo-app.wasm"])
        #expect(command.files.map(\.hostPath) == ["testdata/app.wasm"])
        #expect(command.entrypoint == ["/wasi-demo-app.wasm"])
    }

    @Test func parsesEveryOptionSpelling() throws {
        let command = try OCITarBuilder.parse([
            "--name=app", "--repo=r", "--tag=v1", "--output=o.tar", "--module=a.wasm", "--module", "b.wasm",
            "--entrypoint", "-c", "--entrypoint=--help", "--os", "linux", "--arch", "amd64",
        ])
        #expect(command.name == "app" && command.repository == "r" && command.tag == "v1" && command.output == "o.tar")
        #expect(command.modules == ["a.wasm", "b.wasm"])
        #expect(command.entrypoint == ["-c", "--help"], "an entrypoint argument may look like an option")
        #expect(command.os == "linux" && command.architecture == "amd64" && !command.asArtifact)

        let artifact = try OCITarBuilder.parse(["--name", "a", "-o", "o.tar", "--module", "a.wasm", "--as-artifact"])
        #expect(artifact.asArtifact && artifact.repository == "" && artifact.tag == "latest")
        #expect(artifact.os == nil && artifact.architecture == nil && artifact.entrypoint.isEmpty)

        let file = try OCITarBuilder.parse(["--name", "a", "-o", "o.tar", "--file", "/etc/x=/host/a=b"])
        #expect(file.files == [try LayerFileArgument(parsing: "/etc/x=/host/a=b")])
        #expect(file.files.first?.hostPath == "/host/a=b", "the first = splits")
    }

    @Test(arguments: [
        ([String](), "Missing expected argument '--name <name>'"),
        (["--name", "x", "--module", "a.wasm"], "Missing expected argument '--output <output>'"),
        (["--name", "", "-o", "o.tar", "--module", "a"], "--name must not be empty"),
        (["--name", "x", "--tag", "", "-o", "o.tar", "--module", "a"], "--tag must not be empty"),
        (["--name", "x", "-o", "o.tar"], "nothing to put in the image"),
        (["--name", "x", "-o", "o.tar", "--module", "a", "--file", "a=b"], "different kinds of image"),
        (["--name", "x", "-o", "o.tar", "--module", "a", "--module", "b", "--as-artifact"], "exactly one --module"),
        (["--name", "x", "-o", "o.tar", "--file", "=b"], "expected PATH_IN_LAYER=HOST_FILE"),
        (["--name", "x", "-o", "o.tar", "--file", "a="], "expected PATH_IN_LAYER=HOST_FILE"),
        (["--name", "x", "-o", "o.tar", "--module", "a", "--bogus"], "Unknown option '--bogus'"),
        (["--name", "x", "-o", "o.tar", "--module", "a", "stray"], "Unexpected argument 'stray'"),
        (["--name"], "Missing value for '--name <name>'"),
    ])
    func badCommandLinesSayWhatIsWrong(arguments: [String], message: String) {
        do {
            _ = try OCITarBuilder.parse(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            let full = OCITarBuilder.message(for: error)
            #expect(full.contains(message), "\(full)")
        }
    }

    @Test func describesImagesFromHostFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let modulePath = directory.path + "/app.wasm"
        try HostFile.writeAtomically(modulePath, ImageLayoutTests.module)
        chmod(modulePath, 0o750)

        let files = try OCITarBuilder.parse(
            ["--name", "app", "--repo", "r", "-o", "x.tar", "--file", "/app.wasm=" + modulePath]).imageDescription()
        #expect(files.content.filesForTest == [LayerFile(path: "/app.wasm", contents: ImageLayoutTests.module, mode: 0o750)])
        #expect(files.entrypoint == nil && files.os == "wasip1" && files.architecture == "wasm")
        #expect(files.reference == "r/app:latest")

        let layers = try OCITarBuilder.parse(
            ["--name", "app", "--repo", "r", "-o", "x.tar", "--module", modulePath]).imageDescription()
        #expect(layers.entrypoint == ["app.wasm"], "runwasi's default entrypoint for wasm layers")

        try HostFile.writeAtomically(modulePath, ImageLayoutTests.component)
        let artifact = try OCITarBuilder.parse(
            ["--name", "app", "--repo", "r", "-o", "x.tar", "--module", modulePath, "--as-artifact"]).imageDescription()
        #expect(artifact.os == "wasip2", "a component artifact is a wasip2 image")
        let linux = try OCITarBuilder.parse(
            ["--name", "app", "-o", "x.tar", "--module", modulePath, "--as-artifact", "--os", "linux"]).imageDescription()
        #expect(linux.os == "linux", "--os wins over the component default")

        #expect(throws: HostFile.IOError.self) {
            try OCITarBuilder.parse(["--name", "a", "-o", "x", "--module", directory.path + "/missing"]).imageDescription()
        }
        #expect(throws: HostFile.IOError.self) {
            try OCITarBuilder.parse(["--name", "a", "-o", "x", "--module", directory.path]).imageDescription()
        }
    }
}

extension ImageContent {
    var filesForTest: [LayerFile]? {
        if case .files(let files) = self { return files }
        return nil
    }
}
