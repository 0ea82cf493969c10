import Testing
@testable import oci_tar_builder

/// The whole command, run as a caller runs it: the same inputs give the same bytes, and
/// every digest in the tarball is the digest of the blob it names.
@Suite struct ReproducibleOutputTests {
    /// Writes a module to a fresh directory and returns the directory and the module's path.
    static func withModule(_ module: [UInt8], _ body: (String, String) throws -> Void) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let modulePath = directory.path + "/app.wasm"
        try HostFile.writeAtomically(modulePath, module)
        try body(directory.path, modulePath)
    }

    static func run(_ arguments: [String]) throws -> [UInt8] {
        let command = try OCITarBuilder.parse(arguments)
        try command.run()
        return try HostFile.read(command.output).contents
    }

    /// The three kinds of image: a tar layer (Makefile's test-image), wasm layers, an artifact.
    static let imageKinds: [[String]] = [
        ["--repo", "ghcr.io/containerd/runwasi", "--name", "wasi-demo-app", "--tag", "latest",
         "--file", "/wasi-demo-app.wasm=MODULE", "--entrypoint", "/wasi-demo-app.wasm"],
        ["--repo", "docker.io/swim", "--name", "layers", "--module", "MODULE", "--module", "MODULE"],
        ["--repo", "example.com", "--name", "artifact", "--tag", "1.0", "--module", "MODULE", "--as-artifact"],
    ]

    @Test(arguments: imageKinds)
    func twoRunsWriteTheSameBytes(arguments: [String]) throws {
        try Self.withModule(ImageLayoutTests.module) { directory, modulePath in
            let inputs = arguments.map { $0.replacing("MODULE", with: modulePath) }
            let first = try Self.run(inputs + ["-o", directory + "/first.tar"])
            let second = try Self.run(inputs + ["-o", directory + "/second.tar"])
            #expect(first == second)
            try Layout(first).expectEveryDigestMatchesItsBlob()
        }
    }
}
