import Testing
@testable import oci_tar_builder

/// The exact bytes of each document kind: digests are taken over these, so a change here is a
/// change of every image's digests.
@Suite struct CanonicalJSONTests {
    static func text(_ document: some Encodable) throws -> String {
        String(decoding: try CanonicalJSON.bytes(of: document), as: UTF8.self)
    }

    @Test func descriptorsAreCompactWithSortedKeysAndPlainSlashes() throws {
        let descriptor = Descriptor(mediaType: "a/b", digest: "sha256:00", size: 3)
        #expect(try Self.text(descriptor) == #"{"digest":"sha256:00","mediaType":"a/b","size":3}"#)
        var entry = descriptor
        entry.platform = Platform(architecture: "wasm", os: "wasip1")
        entry.annotations = ["z": "1", "a.b": "2", "B": "3"]
        #expect(try Self.text(entry) == #"""
            {"annotations":{"B":"3","a.b":"2","z":"1"},"digest":"sha256:00","mediaType":"a/b","platform":{"architecture":"wasm","os":"wasip1"},"size":3}
            """#)
    }

    @Test func indexAndManifest() throws {
        let descriptor = Descriptor(mediaType: "m", digest: "d", size: 1)
        #expect(try Self.text(ImageIndex(manifests: [descriptor])) == #"""
            {"manifests":[{"digest":"d","mediaType":"m","size":1}],"mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2}
            """#)
        #expect(try Self.text(ImageManifest(config: descriptor, layers: [], annotations: nil)) == #"""
            {"config":{"digest":"d","mediaType":"m","size":1},"layers":[],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}
            """#)
    }

    @Test func configsKeepTheirOCIAndDockerSpellings() throws {
        let bare = ImageConfig(architecture: "wasm", os: "wasip1", config: .init(), rootfs: .init(diffIDs: []))
        #expect(try Self.text(bare) == #"{"architecture":"wasm","config":{},"os":"wasip1","rootfs":{"diff_ids":[],"type":"layers"}}"#)
        let full = ImageConfig(
            architecture: "amd64", os: "linux", config: .init(entrypoint: ["/bin/sh", "-c"], labels: ["k": "v"]),
            rootfs: .init(diffIDs: ["sha256:00"]))
        #expect(try Self.text(full) == #"""
            {"architecture":"amd64","config":{"Entrypoint":["/bin/sh","-c"],"Labels":{"k":"v"}},"os":"linux","rootfs":{"diff_ids":["sha256:00"],"type":"layers"}}
            """#)
        let artifact = WasmArtifactConfig(architecture: "wasm", os: "wasip2", layerDigests: ["sha256:00"])
        #expect(try Self.text(artifact) == #"""
            {"architecture":"wasm","component":null,"created":"1970-01-01T00:00:00Z","layerDigests":["sha256:00"],"os":"wasip2"}
            """#)
    }

    @Test func layoutFiles() throws {
        #expect(try Self.text(OCILayoutFile()) == #"{"imageLayoutVersion":"1.0.0"}"#)
        let docker = [DockerManifestEntry(config: "blobs/sha256/c", repoTags: ["r/n:t"], layers: ["blobs/sha256/l"])]
        #expect(try Self.text(docker) == #"[{"Config":"blobs/sha256/c","Layers":["blobs/sha256/l"],"RepoTags":["r/n:t"]}]"#)
    }

    @Test func stringsAreEscaped() throws {
        #expect(try Self.text(["a\"b\\c\nd\u{1}é/"]) == #"["a\"b\\c\nd\u0001é/"]"#)
    }
}
