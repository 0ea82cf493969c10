import FoundationEssentials
import ShimKit

/// Finds a container's wasm module in its image, as runwasi does: the container record names
/// the image, the image its target (an index, whose wasm-platform manifest is taken, or a
/// manifest), the manifest its config and layers. When the config's architecture is `wasm`
/// and a layer has a wasm media type, that layer is the module; otherwise the module comes from
/// the rootfs as before.
///
/// Once the image is known to be wasm, every problem fails Create: a component, several module
/// layers, a missing blob, bytes that do not match a digest, a module too large. Before that
/// (no container record, no image, containerd unreachable) the rootfs is used, with a warning,
/// as runwasi does: Docker, for one, does not record the image.
struct WasmLayerLoader {
    let store: any ImageStore

    /// The largest index, manifest or config read.
    static let maxDocumentBytes: Int64 = 4 << 20
    /// The largest module read, memory limit or not: it is held in memory twice (the sealed
    /// file and the init's copy).
    static let maxLayerBytes: Int64 = 1 << 30

    enum Outcome {
        /// The module comes from the rootfs; why, when it is worth a warning.
        case rootfs(warning: String?)
        /// The module, in a sealed memory file (the caller closes the descriptor).
        case layer(OCIDescriptor, descriptor: Int32)
    }

    func load(containerID: String, memoryLimitBytes: UInt64?) async throws(WasmLayerError) -> Outcome {
        let target: OCIDescriptor
        do {
            let name = try await store.imageName(ofContainer: containerID)
            if name.isEmpty { return .rootfs(warning: nil) }
            target = try await store.target(ofImage: name)
        } catch {
            return .rootfs(warning: "no wasm layers read (\(error)): the module comes from the rootfs")
        }

        var manifestDescriptor = target
        var knownWasm = false
        if OCIMediaType.isIndex(target.mediaType) {
            let index: OCIIndex = try await readDocument(target, role: "index")
            let wasm = index.manifests.first { $0.platform?.architecture == "wasm" }
            guard let chosen = wasm ?? index.manifests.first else { return .rootfs(warning: nil) }
            manifestDescriptor = chosen
            knownWasm = wasm != nil
        }
        guard OCIMediaType.isManifest(manifestDescriptor.mediaType) else {
            if knownWasm { throw .badImage("the wasm manifest has media type \(manifestDescriptor.mediaType)") }
            return .rootfs(warning: nil)
        }
        let manifest: OCIManifest
        let config: OCIConfig
        do {
            manifest = try await readDocument(manifestDescriptor, role: "manifest")
            config = try await readDocument(manifest.config, role: "config")
        } catch .missingBlob(let digest, let role) where !knownWasm {
            // A multi-platform image pulled for one platform lacks the others' blobs.
            return .rootfs(warning: "the image's \(role) \(digest) is not in the content store: no wasm layers read")
        }
        guard config.architecture == "wasm" else { return .rootfs(warning: nil) }

        let layers = manifest.layers.filter { OCIMediaType.wasmLayers.contains($0.mediaType) }
        // A wasm image whose module is a file in a tar layer (runwasi's wasi-demo-app): the rootfs.
        guard let layer = layers.first else { return .rootfs(warning: nil) }
        guard layers.count == 1 else { throw .multipleModules(digests: layers.map(\.digest)) }
        if let limit = memoryLimitBytes, layer.size >= 0, UInt64(layer.size) >= limit {
            throw .tooLarge(digest: layer.digest, size: layer.size, limit: limit)
        }
        if layer.size > Self.maxLayerBytes {
            throw .tooLarge(digest: layer.digest, size: layer.size, limit: UInt64(Self.maxLayerBytes))
        }
        return .layer(layer, descriptor: try await readModule(layer))
    }

    /// A JSON document of the image, checked against its descriptor.
    private func readDocument<Document: Decodable>(_ descriptor: OCIDescriptor, role: String) async throws(WasmLayerError) -> Document {
        guard descriptor.size <= Self.maxDocumentBytes else {
            throw .badImage("the \(role) \(descriptor.digest) is \(descriptor.size) bytes, more than \(Self.maxDocumentBytes)")
        }
        let sink = BlobSink(try BlobCheck(descriptor, role: role))
        try await read(descriptor, into: sink, role: role)
        do {
            return try JSONDecoder().decode(Document.self, from: Data(sink.bytes))
        } catch {
            throw .badImage("the \(role) \(descriptor.digest) is not a valid \(role) document: \(error)")
        }
    }

    /// The module layer, in a sealed memory file; a component is refused.
    private func readModule(_ descriptor: OCIDescriptor) async throws(WasmLayerError) -> Int32 {
        let file: SealedFile
        do {
            file = try SealedFile(name: "wasm-layer")
        } catch {
            throw .store("creating a memory file for the layer: \(error)")
        }
        let sink = BlobSink(try BlobCheck(descriptor, role: "wasm layer"), file: file)
        try await read(descriptor, into: sink, role: "wasm layer")
        if WasmHeader.isComponent(sink.bytes) { throw .component(digest: descriptor.digest) }
        do {
            return try file.seal()
        } catch {
            throw .store("\(error)")
        }
    }

    private func read(_ descriptor: OCIDescriptor, into sink: BlobSink, role: String) async throws(WasmLayerError) {
        do {
            try await store.read(descriptor.digest) { chunk in try sink.take(chunk) }
            try sink.finish()
        } catch let error as WasmLayerError {
            throw error
        } catch ImageStoreError.notFound {
            throw .missingBlob(digest: descriptor.digest, role: role)
        } catch {
            throw .store("\(error)")
        }
    }
}

/// Where a blob's bytes go as they stream in: checked, then kept in memory (a document), or
/// written to a memory file with only the first bytes kept (a module, whose header is checked).
/// One read uses it at a time, on whatever thread delivers the chunks.
private final class BlobSink: @unchecked Sendable {
    private var check: BlobCheck
    private let file: SealedFile?
    private(set) var bytes: [UInt8] = []

    init(_ check: BlobCheck, file: SealedFile? = nil) {
        self.check = check
        self.file = file
    }

    func take(_ chunk: [UInt8]) throws {
        try check.take(chunk)
        guard let file else {
            bytes += chunk
            return
        }
        if bytes.count < WasmHeader.size { bytes += chunk.prefix(WasmHeader.size - bytes.count) }
        do {
            try file.append(chunk)
        } catch {
            throw WasmLayerError.store("writing the layer to a memory file: \(error)")
        }
    }

    func finish() throws(WasmLayerError) {
        try check.finish()
    }
}
