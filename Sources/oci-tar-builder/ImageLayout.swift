import Digest

struct ImageLayoutError: Error, CustomStringConvertible {
    var description: String
}

/// Builds an OCI image-layout tarball (runwasi oci-tar-builder's layout): `oci-layout`,
/// `index.json`, `blobs/sha256/*` (layers, config, manifest) and a Docker-compatible
/// `manifest.json`, so both `ctr images import` and `docker load` take it.
enum ImageLayout {
    static let nameAnnotation = "io.containerd.image.name"
    static let refNameAnnotation = "org.opencontainers.image.ref.name"
    static let runwasiLayersLabel = "containerd.runwasi.layers"

    /// The archive's entries, sorted by path, with their parent directories.
    static func entries(for image: ImageDescription) throws -> [TarEntry] {
        let layers = try layerBlobs(for: image)
        let config = try configBlob(for: image, layers: layers)
        let annotations = [nameAnnotation: image.reference, refNameAnnotation: image.tag]
        let manifest = try Blob(mediaType: MediaType.manifest, document: ImageManifest(
            config: config.descriptor, layers: layers.map(\.descriptor), annotations: annotations))
        var manifestEntry = manifest.descriptor
        manifestEntry.platform = Platform(architecture: image.architecture, os: image.os)
        manifestEntry.annotations = annotations
        let index = ImageIndex(manifests: [manifestEntry])
        let dockerManifest = [DockerManifestEntry(config: config.path, repoTags: [image.reference], layers: layers.map(\.path))]

        var blobs: [String: Blob] = [:]
        for blob in layers + [config, manifest] { blobs[blob.path] = blob }  // identical layers share a blob
        var entries: [TarEntry] = [.directory("blobs"), .directory("blobs/sha256")]
        entries += blobs.values.map { TarEntry.file($0.path, $0.bytes, mode: 0o444) }
        entries.append(.file("index.json", try CanonicalJSON.bytes(of: index)))
        entries.append(.file("manifest.json", try CanonicalJSON.bytes(of: dockerManifest)))
        entries.append(.file("oci-layout", try CanonicalJSON.bytes(of: OCILayoutFile())))
        return entries.sorted { $0.path < $1.path }
    }

    static func tarball(for image: ImageDescription) throws -> [UInt8] {
        TarWriter.archive(try entries(for: image))
    }

    static func layerBlobs(for image: ImageDescription) throws -> [Blob] {
        switch image.content {
        case .files(let files):
            return [Blob(mediaType: MediaType.tarLayer, bytes: TarWriter.archive(try layerEntries(files)))]
        case .wasmLayers(let modules):
            guard !modules.isEmpty else { throw ImageLayoutError(description: "a wasm-layer image needs at least one module") }
            return modules.map { Blob(mediaType: MediaType.wasmLayer, bytes: $0) }
        case .artifact(let module):
            return [Blob(mediaType: MediaType.wasmArtifactLayer, bytes: module)]
        }
    }

    /// The image config. A tar layer's diff_id is the digest of the uncompressed tar, which is
    /// the layer itself here. Wasm layers are not tars, so runwasi leaves diff_ids empty and
    /// makes the config unique with a label holding a digest of the layer digests.
    static func configBlob(for image: ImageDescription, layers: [Blob]) throws -> Blob {
        let layerDigests = layers.map(\.digest)
        switch image.content {
        case .artifact:
            return try Blob(mediaType: MediaType.wasmArtifactConfig, document: WasmArtifactConfig(
                architecture: image.architecture, os: image.os, layerDigests: layerDigests))
        case .files:
            return try Blob(mediaType: MediaType.imageConfig, document: ImageConfig(
                architecture: image.architecture, os: image.os,
                config: .init(entrypoint: image.entrypoint), rootfs: .init(diffIDs: layerDigests)))
        case .wasmLayers:
            let label = SHA256.hex(of: Array(layerDigests.joined().utf8))
            return try Blob(mediaType: MediaType.imageConfig, document: ImageConfig(
                architecture: image.architecture, os: image.os,
                config: .init(entrypoint: image.entrypoint, labels: [runwasiLayersLabel: label]),
                rootfs: .init(diffIDs: [])))
        }
    }

    /// The layer's tar entries: the files plus every parent directory, sorted so that a
    /// directory comes before what it holds.
    static func layerEntries(_ files: [LayerFile]) throws -> [TarEntry] {
        var byPath: [String: TarEntry] = [:]
        var directories: Set<String> = []
        for file in files {
            let components = try pathComponents(file.path)
            let path = components.joined(separator: "/")
            guard byPath[path] == nil, !directories.contains(path) else {
                throw ImageLayoutError(description: "\(file.path): given twice, or both as a file and as a directory")
            }
            byPath[path] = .file(path, file.contents, mode: file.mode)
            for depth in 1..<components.count {
                let directory = components[0..<depth].joined(separator: "/")
                if case .file = byPath[directory]?.kind {
                    throw ImageLayoutError(description: "\(file.path): \(directory) is also a file")
                }
                directories.insert(directory)
            }
        }
        for directory in directories { byPath[directory] = .directory(directory) }
        return byPath.values.sorted {
            $0.path.split(separator: "/").lexicographicallyPrecedes($1.path.split(separator: "/"))
        }
    }

    /// The components of a path in the image: leading "/" and "." dropped, ".." refused (a
    /// layer entry must not point outside the rootfs).
    static func pathComponents(_ path: String) throws -> [String] {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.map(String.init)
        guard !components.isEmpty else { throw ImageLayoutError(description: "\"\(path)\": not a file path") }
        if components.contains("..") { throw ImageLayoutError(description: "\(path): \"..\" is not allowed in a layer path") }
        if path.utf8.contains(0) { throw ImageLayoutError(description: "a layer path contains a NUL byte") }
        return components
    }
}
