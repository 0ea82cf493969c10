import Digest
import FoundationEssentials
import Testing
@testable import oci_tar_builder

/// The OCI documents as a reader sees them, spelt out here apart from the builder's own
/// types so that a misspelt key in those shows up as a failure to decode.
enum Decoded {
    struct Descriptor: Decodable, Equatable {
        struct Platform: Decodable, Equatable { var architecture: String; var os: String }
        var mediaType: String
        var digest: String
        var size: Int
        var platform: Platform?
        var annotations: [String: String]?
    }
    struct Index: Decodable { var schemaVersion: Int; var mediaType: String; var manifests: [Descriptor] }
    struct Manifest: Decodable {
        var schemaVersion: Int
        var mediaType: String
        var config: Descriptor
        var layers: [Descriptor]
        var annotations: [String: String]
    }
    struct ImageConfig: Decodable {
        struct Config: Decodable { var Entrypoint: [String]?; var Labels: [String: String]? }
        struct RootFS: Decodable { var type: String; var diff_ids: [String] }
        var architecture: String
        var os: String
        var config: Config
        var rootfs: RootFS
    }
    struct ArtifactConfig: Decodable {
        var architecture: String
        var os: String
        var layerDigests: [String]
        var created: String
    }
    struct DockerManifest: Decodable { var Config: String; var RepoTags: [String]; var Layers: [String] }
}

/// An image tarball taken apart.
struct Layout {
    var files: [String: [UInt8]] = [:]
    var entries: [TarReader.Entry]

    init(_ archive: [UInt8]) throws {
        entries = try TarReader.entries(archive)
        for entry in entries where entry.type == UInt8(ascii: "0") { files[entry.name] = entry.contents }
    }

    func decode<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        let bytes = try #require(files[path], "\(path) is missing")
        return try JSONDecoder().decode(T.self, from: Data(bytes))
    }

    func blob(_ descriptor: Decoded.Descriptor) throws -> [UInt8] {
        let hex = String(descriptor.digest.dropFirst("sha256:".count))
        let bytes = try #require(files["blobs/sha256/" + hex], "blob \(descriptor.digest) is missing")
        #expect(bytes.count == descriptor.size, "size of \(descriptor.digest)")
        return bytes
    }

    func manifest() throws -> Decoded.Manifest {
        let index = try decode(Decoded.Index.self, "index.json")
        let descriptor = try #require(index.manifests.first)
        return try JSONDecoder().decode(Decoded.Manifest.self, from: Data(try blob(descriptor)))
    }

    /// Follows every digest the documents mention (index to manifest, manifest to config and
    /// layers, config and manifest.json back to the layers) and checks that each names a blob
    /// of that digest and size, that every blob is named by its own digest, and that no blob
    /// is left unreferenced.
    func expectEveryDigestMatchesItsBlob() throws {
        let blobs = files.filter { $0.key.hasPrefix("blobs/sha256/") }
        for (path, bytes) in blobs {
            #expect(path == "blobs/sha256/" + SHA256.hex(of: bytes), "\(path) is not named by its digest")
        }
        var referenced: Set<String> = []
        func follow(_ descriptor: Decoded.Descriptor) throws -> [UInt8] {
            referenced.insert("blobs/sha256/" + descriptor.digest.dropFirst("sha256:".count))
            return try blob(descriptor)
        }
        let index = try decode(Decoded.Index.self, "index.json")
        let docker = try decode([Decoded.DockerManifest].self, "manifest.json")
        #expect(docker.count == index.manifests.count)
        for (entry, dockerImage) in zip(index.manifests, docker) {
            let manifest = try JSONDecoder().decode(Decoded.Manifest.self, from: Data(try follow(entry)))
            let configBytes = try follow(manifest.config)
            let layerDigests = manifest.layers.map(\.digest)
            for layer in manifest.layers { _ = try follow(layer) }

            if manifest.config.mediaType == MediaType.wasmArtifactConfig {
                let config = try JSONDecoder().decode(Decoded.ArtifactConfig.self, from: Data(configBytes))
                #expect(config.layerDigests == layerDigests)
            } else {
                let config = try JSONDecoder().decode(Decoded.ImageConfig.self, from: Data(configBytes))
                if manifest.layers.allSatisfy({ $0.mediaType == MediaType.tarLayer }) {
                    #expect(config.rootfs.diff_ids == layerDigests, "an uncompressed layer's diff_id is its digest")
                } else {
                    #expect(config.rootfs.diff_ids.isEmpty)
                    let label = config.config.Labels?[ImageLayout.runwasiLayersLabel]
                    #expect(label == SHA256.hex(of: Array(layerDigests.joined().utf8)))
                }
            }
            #expect(dockerImage.Config == "blobs/sha256/" + manifest.config.digest.dropFirst("sha256:".count))
            #expect(dockerImage.Layers == layerDigests.map { "blobs/sha256/" + $0.dropFirst("sha256:".count) })
        }
        #expect(Set(blobs.keys) == referenced, "every blob is referenced, every reference has its blob")
    }
}

@Suite struct ImageLayoutTests {
    static let module: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00]
    static let component: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00]

    static func demo(_ module: [UInt8] = module) -> ImageDescription {
        ImageDescription(
            repository: "ghcr.io/containerd/runwasi", name: "wasi-demo-app", tag: "latest", os: "wasip1",
            architecture: "wasm", entrypoint: ["/wasi-demo-app.wasm"],
            content: .files([LayerFile(path: "/wasi-demo-app.wasm", contents: module, mode: 0o755)]))
    }

    @Test func demoImageHasTheLayoutRunwasiWrites() throws {
        let layout = try Layout(try ImageLayout.tarball(for: Self.demo()))
        try layout.expectEveryDigestMatchesItsBlob()
        let names = layout.entries.map(\.name)
        #expect(names == names.sorted(), "entries are sorted")
        #expect(names.prefix(2) == ["blobs/", "blobs/sha256/"])
        #expect(Set(names.suffix(3)) == ["index.json", "manifest.json", "oci-layout"])
        #expect(layout.files["oci-layout"] == Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        for entry in layout.entries where entry.name.hasPrefix("blobs/sha256/") && entry.type == UInt8(ascii: "0") {
            #expect(entry.name == "blobs/sha256/" + SHA256.hex(of: entry.contents), "a blob is named by its digest")
            #expect(entry.mode == 0o444)
        }

        let index = try layout.decode(Decoded.Index.self, "index.json")
        #expect(index.schemaVersion == 2 && index.mediaType == MediaType.index)
        let entry = try #require(index.manifests.first)
        #expect(index.manifests.count == 1)
        #expect(entry.mediaType == MediaType.manifest)
        #expect(entry.platform == .init(architecture: "wasm", os: "wasip1"))
        let names2 = [
            "io.containerd.image.name": "ghcr.io/containerd/runwasi/wasi-demo-app:latest",
            "org.opencontainers.image.ref.name": "latest",
        ]
        #expect(entry.annotations == names2)

        let manifest = try layout.manifest()
        #expect(manifest.schemaVersion == 2 && manifest.mediaType == MediaType.manifest)
        #expect(manifest.annotations == names2)
        #expect(manifest.config.mediaType == MediaType.imageConfig)
        let layer = try #require(manifest.layers.first)
        #expect(manifest.layers.count == 1)
        #expect(layer.mediaType == MediaType.tarLayer)

        let config = try JSONDecoder().decode(Decoded.ImageConfig.self, from: Data(try layout.blob(manifest.config)))
        #expect(config.os == "wasip1" && config.architecture == "wasm")
        #expect(config.config.Entrypoint == ["/wasi-demo-app.wasm"])
        #expect(config.rootfs.type == "layers")
        #expect(config.rootfs.diff_ids == [layer.digest], "an uncompressed layer's diff_id is its own digest")

        let files = try TarReader.entries(try layout.blob(layer))
        #expect(files == [.init(name: "wasi-demo-app.wasm", type: UInt8(ascii: "0"), mode: 0o755, contents: Self.module)])

        let docker = try layout.decode([Decoded.DockerManifest].self, "manifest.json")
        #expect(docker.count == 1)
        #expect(docker.first?.RepoTags == ["ghcr.io/containerd/runwasi/wasi-demo-app:latest"])
        #expect(docker.first?.Config == "blobs/sha256/" + manifest.config.digest.dropFirst(7))
        #expect(docker.first?.Layers == ["blobs/sha256/" + layer.digest.dropFirst(7)])
    }

    @Test func sameInputsGiveSameBytesAndOtherInputsOthers() throws {
        let first = try ImageLayout.tarball(for: Self.demo())
        #expect(first == (try ImageLayout.tarball(for: Self.demo())))
        #expect(first != (try ImageLayout.tarball(for: Self.demo(Self.module + [0]))))
        var retagged = Self.demo()
        retagged.tag = "v2"
        #expect(first != (try ImageLayout.tarball(for: retagged)))
    }

    @Test func layerHoldsParentDirectoriesBeforeTheirFiles() throws {
        let entries = try ImageLayout.layerEntries([
            LayerFile(path: "bin/busybox", contents: [1], mode: 0o755),
            LayerFile(path: "/usr/lib/x/a.so", contents: [2], mode: 0o644),
            LayerFile(path: "./bin-extra", contents: [3], mode: 0o600),
        ])
        #expect(entries.map(\.path) == ["bin", "bin/busybox", "bin-extra", "usr", "usr/lib", "usr/lib/x", "usr/lib/x/a.so"])
        #expect(entries.first?.kind == .directory)
        #expect(entries.first { $0.path == "bin-extra" }?.mode == 0o600)
    }

    @Test(arguments: [
        ["../etc/passwd"], ["a/../../b"], ["/"], ["."], ["a", "/a"], ["a", "a/b"], ["a/b", "a"],
    ])
    func badLayerPathsAreRefused(paths: [String]) {
        let files = paths.map { LayerFile(path: $0, contents: [0], mode: 0o644) }
        #expect(throws: ImageLayoutError.self) { try ImageLayout.layerEntries(files) }
    }

    @Test func wasmLayerImageFollowsRunwasi() throws {
        let other = Self.module + [0x00]
        let image = ImageDescription(
            repository: "ghcr.io/containerd/runwasi", name: "wasi-demo-oci", tag: "latest", os: "wasip1",
            architecture: "wasm", entrypoint: ["wasi-demo-oci.wasm"], content: .wasmLayers([Self.module, other, Self.module]))
        let layout = try Layout(try ImageLayout.tarball(for: image))
        try layout.expectEveryDigestMatchesItsBlob()
        let manifest = try layout.manifest()
        #expect(manifest.layers.map(\.mediaType) == Array(repeating: MediaType.wasmLayer, count: 3))
        #expect(try layout.blob(manifest.layers[1]) == other)
        #expect(manifest.layers[0] == manifest.layers[2])
        let blobs = layout.entries.filter { $0.name.hasPrefix("blobs/sha256/") && $0.type == UInt8(ascii: "0") }
        #expect(blobs.count == 4, "two distinct layers, a config and a manifest: identical layers share a blob")

        let config = try JSONDecoder().decode(Decoded.ImageConfig.self, from: Data(try layout.blob(manifest.config)))
        #expect(config.rootfs.diff_ids.isEmpty, "wasm layers are not tars: no diff_ids")
        #expect(config.config.Entrypoint == ["wasi-demo-oci.wasm"])
        let digests = manifest.layers.map(\.digest).joined()
        #expect(config.config.Labels == ["containerd.runwasi.layers": SHA256.hex(of: Array(digests.utf8))])
    }

    @Test func artifactUsesTheWasmConfigAndLayerTypes() throws {
        let image = ImageDescription(
            repository: "example.com/demo", name: "hello", tag: "1.0", os: "wasip1", architecture: "wasm",
            entrypoint: nil, content: .artifact(Self.module))
        let layout = try Layout(try ImageLayout.tarball(for: image))
        try layout.expectEveryDigestMatchesItsBlob()
        let manifest = try layout.manifest()
        #expect(manifest.config.mediaType == MediaType.wasmArtifactConfig)
        #expect(manifest.layers.map(\.mediaType) == [MediaType.wasmArtifactLayer])
        #expect(try layout.blob(manifest.layers[0]) == Self.module)
        let config = try JSONDecoder().decode(Decoded.ArtifactConfig.self, from: Data(try layout.blob(manifest.config)))
        #expect(config.layerDigests == manifest.layers.map(\.digest))
        #expect(config.os == "wasip1" && config.architecture == "wasm")
        #expect(manifest.annotations["io.containerd.image.name"] == "example.com/demo/hello:1.0")
        #expect(manifest.annotations["org.opencontainers.image.ref.name"] == "1.0")
    }

    @Test func componentsAreToldFromModules() {
        #expect(WasmBinary.isComponent(Self.component))
        #expect(!WasmBinary.isComponent(Self.module))
        #expect(!WasmBinary.isComponent([0x00, 0x61]))
    }

    @Test func anEmptyWasmLayerListIsAnError() {
        var image = Self.demo()
        image.content = .wasmLayers([])
        #expect(throws: ImageLayoutError.self) { try ImageLayout.tarball(for: image) }
    }
}
