import Digest
import Glibc
import ShimKit
import Testing

@testable import ShimWasm

/// containerd's records and content store in memory; blobs are served in small chunks so that
/// the loader's streaming checks see several.
struct InMemoryImageStore: ImageStore {
    var containers: [String: String] = [:]
    var images: [String: OCIDescriptor] = [:]
    var blobs: [String: [UInt8]] = [:]

    func imageName(ofContainer id: String) async throws(ImageStoreError) -> String {
        guard let name = containers[id] else { throw .notFound("container \(id)") }
        return name
    }

    func target(ofImage name: String) async throws(ImageStoreError) -> OCIDescriptor {
        guard let target = images[name] else { throw .notFound("image \(name)") }
        return target
    }

    func read(_ digest: String, _ chunk: @escaping @Sendable ([UInt8]) throws -> Void) async throws {
        guard let blob = blobs[digest] else { throw ImageStoreError.notFound("blob \(digest)") }
        var offset = 0
        while offset < blob.count {
            let end = min(offset + 5, blob.count)
            try chunk(Array(blob[offset..<end]))
            offset = end
        }
    }

    /// Adds a blob; returns its descriptor.
    @discardableResult
    mutating func add(_ bytes: [UInt8], _ mediaType: String, platform: OCIDescriptor.Platform? = nil) -> OCIDescriptor {
        let digest = "sha256:" + SHA256.hex(of: bytes)
        blobs[digest] = bytes
        return OCIDescriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count), platform: platform)
    }

    /// A manifest with `layers` (media type, bytes) and a config of `architecture`, its image
    /// named `name`, and container `id` made from it. Returns the manifest's descriptor.
    @discardableResult
    mutating func image(_ name: String, container id: String, architecture: String = "wasm",
                        configType: String = "application/vnd.oci.image.config.v1+json",
                        layers: [(String, [UInt8])]) -> OCIDescriptor {
        let config = add(Array(#"{"architecture":"\#(architecture)","os":"wasip1"}"#.utf8), configType)
        let layerJSON = layers.map { layer in json(add(layer.1, layer.0)) }.joined(separator: ",")
        let manifest = add(Array(#"{"schemaVersion":2,"config":\#(json(config)),"layers":[\#(layerJSON)]}"#.utf8),
                           OCIMediaType.imageManifest)
        images[name] = manifest
        containers[id] = name
        return manifest
    }

    func json(_ descriptor: OCIDescriptor) -> String {
        let platform = descriptor.platform.map {
            #","platform":{"architecture":"\#($0.architecture ?? "")","os":"\#($0.os ?? "")"}"#
        } ?? ""
        return #"{"mediaType":"\#(descriptor.mediaType)","digest":"\#(descriptor.digest)","size":\#(descriptor.size)\#(platform)}"#
    }
}

@Suite struct WasmLayerLoaderTests {
    static let module: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0x61, 0x62, 0x63]
    static let component: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00]

    private func load(_ store: InMemoryImageStore, _ id: String = "c", limit: UInt64? = nil) async throws -> WasmLayerLoader.Outcome {
        try await WasmLayerLoader(store: store).load(containerID: id, memoryLimitBytes: limit)
    }

    private func layerBytes(_ outcome: WasmLayerLoader.Outcome) throws -> [UInt8]? {
        guard case .layer(_, let fd) = outcome else { return nil }
        defer { close(fd) }
        #expect(SealedFile.isSealed(fd))
        return try SealedFile.read(fd)
    }

    @Test func aWasmLayerImageYieldsItsModuleSealed() async throws {
        var store = InMemoryImageStore()
        store.image("oci", container: "c", layers: [(OCIMediaType.wasmComponentLayer, Self.module)])
        #expect(try layerBytes(try await load(store)) == Self.module)
    }

    @Test func anArtifactYieldsItsModule() async throws {
        var store = InMemoryImageStore()
        store.image("artifact", container: "c", configType: "application/vnd.wasm.config.v0+json",
                    layers: [(OCIMediaType.wasmLayer, Self.module)])
        #expect(try layerBytes(try await load(store)) == Self.module)
    }

    @Test func anIndexLeadsToItsWasmManifest() async throws {
        var store = InMemoryImageStore()
        let manifest = store.image("m", container: "c", layers: [(OCIMediaType.wasmLayer, Self.module)])
        var wasm = manifest
        wasm.platform = .init(architecture: "wasm", os: "wasip1")
        // Another platform's manifest comes first, and its blobs are absent (pulled for one platform).
        let other = OCIDescriptor(mediaType: OCIMediaType.imageManifest, digest: "sha256:" + String(repeating: "0", count: 64),
                                  size: 10, platform: .init(architecture: "amd64", os: "linux"))
        let index = store.add(Array(#"{"schemaVersion":2,"manifests":[\#(store.json(other)),\#(store.json(wasm))]}"#.utf8),
                              OCIMediaType.imageIndex)
        store.images["m"] = index
        #expect(try layerBytes(try await load(store)) == Self.module)
    }

    @Test func anIndexWithoutAWasmPlatformWhoseBlobsAreAbsentUsesTheRootfs() async throws {
        var store = InMemoryImageStore()
        let absent = OCIDescriptor(mediaType: OCIMediaType.imageManifest, digest: "sha256:" + String(repeating: "1", count: 64),
                                   size: 10, platform: .init(architecture: "arm64", os: "linux"))
        store.images["multi"] = store.add(Array(#"{"schemaVersion":2,"manifests":[\#(store.json(absent))]}"#.utf8),
                                          OCIMediaType.imageIndex)
        store.containers["c"] = "multi"
        guard case .rootfs(let warning?) = try await load(store) else {
            Issue.record("an index without a wasm platform should use the rootfs")
            return
        }
        #expect(warning.contains("not in the content store"))
    }

    @Test func otherImagesUseTheRootfs() async throws {
        var store = InMemoryImageStore()
        store.image("linux", container: "linux", architecture: "amd64", layers: [(OCIMediaType.wasmLayer, Self.module)])
        store.image("tar", container: "tar", layers: [("application/vnd.oci.image.layer.v1.tar", [1, 2, 3])])
        store.containers["no-image"] = ""
        for id in ["linux", "tar", "no-image"] {
            guard case .rootfs(nil) = try await load(store, id) else {
                Issue.record("container \(id) should use the rootfs without a warning")
                continue
            }
        }
        // No record at all (containerd unreachable, or not containerd's container): a warning.
        guard case .rootfs(let warning?) = try await load(store, "unknown") else {
            Issue.record("an unknown container should use the rootfs with a warning")
            return
        }
        #expect(warning.contains("container unknown"))
    }

    @Test func aComponentIsRefused() async throws {
        var store = InMemoryImageStore()
        store.image("c", container: "c", layers: [(OCIMediaType.wasmComponentLayer, Self.component)])
        await #expect(throws: WasmLayerError.component(digest: "sha256:" + SHA256.hex(of: Self.component))) {
            try await load(store)
        }
    }

    @Test func twoModuleLayersAreRefused() async throws {
        var store = InMemoryImageStore()
        store.image("two", container: "c", layers: [(OCIMediaType.wasmLayer, Self.module), (OCIMediaType.wasmLayer, Self.module + [0])])
        await #expect { try await load(store) } throws: { error in
            guard case WasmLayerError.multipleModules(let digests) = error else { return false }
            return digests.count == 2 && "\(error)".contains("single module")
        }
    }

    @Test func aMissingLayerIsReported() async throws {
        var store = InMemoryImageStore()
        store.image("m", container: "c", layers: [(OCIMediaType.wasmLayer, Self.module)])
        let digest = "sha256:" + SHA256.hex(of: Self.module)
        store.blobs[digest] = nil
        await #expect(throws: WasmLayerError.missingBlob(digest: digest, role: "wasm layer")) { try await load(store) }
    }

    @Test func bytesThatDoNotMatchTheDigestAreRefused() async throws {
        var store = InMemoryImageStore()
        store.image("m", container: "c", layers: [(OCIMediaType.wasmLayer, Self.module)])
        let digest = "sha256:" + SHA256.hex(of: Self.module)
        var tampered = Self.module
        tampered[tampered.count - 1] ^= 0xFF
        store.blobs[digest] = tampered
        await #expect(throws: WasmLayerError.digestMismatch(digest: digest, role: "wasm layer",
                                                            actual: "sha256:" + SHA256.hex(of: tampered))) {
            try await load(store)
        }
        // More bytes than the descriptor says: stopped at the first byte too many.
        store.blobs[digest] = Self.module + [0]
        await #expect(throws: WasmLayerError.sizeMismatch(digest: digest, role: "wasm layer",
                                                          expected: Int64(Self.module.count), actual: Int64(Self.module.count + 1))) {
            try await load(store)
        }
    }

    @Test func aLayerTooLargeForTheMemoryLimitIsRefused() async throws {
        var store = InMemoryImageStore()
        store.image("m", container: "c", layers: [(OCIMediaType.wasmLayer, Self.module)])
        let digest = "sha256:" + SHA256.hex(of: Self.module)
        await #expect(throws: WasmLayerError.tooLarge(digest: digest, size: Int64(Self.module.count), limit: 10)) {
            try await load(store, limit: 10)
        }
        #expect(try layerBytes(try await load(store, limit: 1 << 20)) == Self.module)
    }

    @Test func malformedDocumentsAreReported() async throws {
        var store = InMemoryImageStore()
        store.images["bad"] = store.add(Array("{not json".utf8), OCIMediaType.imageManifest)
        store.containers["c"] = "bad"
        await #expect { try await load(store) } throws: { error in
            guard case WasmLayerError.badImage = error else { return false }
            return true
        }
        store.images["bad"] = OCIDescriptor(mediaType: OCIMediaType.imageManifest, digest: "md5:abc", size: 3)
        await #expect { try await load(store) } throws: { error in "\(error)".contains("not sha256:") }
    }
}
