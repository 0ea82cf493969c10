import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import oci_tar_builder

@Suite struct BuilderOptionsTests {
    @Test func parsesTheDemoCommandLine() throws {
        let options = try BuilderOptions.parse([
            "--name", "wasi-demo-app", "--repo=ghcr.io/containerd/runwasi", "--tag", "latest",
            "--file", "/wasi-demo-app.wasm=testdata/app.wasm", "--entrypoint", "/wasi-demo-app.wasm", "-o", "out.tar",
        ])
        #expect(options.name == "wasi-demo-app" && options.repository == "ghcr.io/containerd/runwasi")
        #expect(options.files.map(\.layerPath) == ["/wasi-demo-app.wasm"])
        #expect(options.files.map(\.hostPath) == ["testdata/app.wasm"])
        #expect(options.entrypoint == ["/wasi-demo-app.wasm"] && options.output == "out.tar")
    }

    @Test(arguments: [
        ([String](), "--name is required"),
        (["--name", "x", "--module", "a.wasm"], "-o OUT.tar is required"),
        (["--name", "x", "-o", "o.tar"], "nothing to put in the image"),
        (["--name", "x", "-o", "o.tar", "--module", "a", "--file", "a=b"], "different kinds of image"),
        (["--name", "x", "-o", "o.tar", "--module", "a", "--module", "b", "--as-artifact"], "exactly one --module"),
        (["--name", "x", "-o", "o.tar", "--file", "=b"], "PATH_IN_LAYER=HOST_FILE"),
        (["--name", "x", "-o", "o.tar", "--file", "a="], "PATH_IN_LAYER=HOST_FILE"),
        (["--name", "x", "--bogus"], "unknown argument"),
        (["--name"], "--name needs a value"),
    ])
    func badCommandLinesSayWhatIsWrong(arguments: [String], message: String) {
        do {
            _ = try BuilderOptions.parse(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func describesImagesFromHostFiles() throws {
        var template = Array("/tmp/oci-tar-builder-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        let directory = String(cString: try #require(created, "mkdtemp failed"))
        defer { _ = system("rm -rf '\(directory)'") }
        let modulePath = directory + "/app.wasm"
        try HostFile.writeAtomically(modulePath, ImageLayoutTests.module)
        chmod(modulePath, 0o750)

        let files = try Main.describeImage(try BuilderOptions.parse(
            ["--name", "app", "--repo", "r", "-o", "x.tar", "--file", "/app.wasm=" + modulePath]))
        #expect(files.content.filesForTest == [LayerFile(path: "/app.wasm", contents: ImageLayoutTests.module, mode: 0o750)])
        #expect(files.entrypoint == nil && files.os == "wasip1" && files.architecture == "wasm")
        #expect(files.reference == "r/app:latest")

        let layers = try Main.describeImage(try BuilderOptions.parse(
            ["--name", "app", "--repo", "r", "-o", "x.tar", "--module", modulePath]))
        #expect(layers.entrypoint == ["app.wasm"], "runwasi's default entrypoint for wasm layers")

        try HostFile.writeAtomically(modulePath, ImageLayoutTests.component)
        let artifact = try Main.describeImage(try BuilderOptions.parse(
            ["--name", "app", "--repo", "r", "-o", "x.tar", "--module", modulePath, "--as-artifact"]))
        #expect(artifact.os == "wasip2", "a component artifact is a wasip2 image")

        #expect(throws: HostFile.IOError.self) {
            try Main.describeImage(try BuilderOptions.parse(["--name", "a", "-o", "x", "--module", directory + "/missing"]))
        }
        #expect(throws: HostFile.IOError.self) {
            try Main.describeImage(try BuilderOptions.parse(["--name", "a", "-o", "x", "--module", directory]))
        }
    }
}

extension ImageContent {
    var filesForTest: [LayerFile]? {
        if case .files(let files) = self { return files }
        return nil
    }
}
