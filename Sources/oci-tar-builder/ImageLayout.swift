import Digest
/// OCI and wasm media types the builder writes.
enum MediaType {
    static let index = "application/vnd.oci.image.index.v1+json"
    static let manifest = "application/vnd.oci.image.manifest.v1+json"
    static let imageConfig = "application/vnd.oci.image.config.v1+json"
    static let tarLayer = "application/vnd.oci.image.layer.v1.tar"
    /// runwasi's wasm layer: the raw module (or component) bytes, not a tar.
    static let wasmLayer = "application/vnd.bytecodealliance.wasm.component.layer.v0+wasm"
    /// The CNCF wg-wasm artifact.
    static let wasmArtifactConfig = "application/vnd.wasm.config.v0+json"
    static let wasmArtifactLayer = "application/wasm"
}

/// A content-addressed blob and the descriptor that points at it.
struct Blob: Sendable {
    var mediaType: String
    var bytes: [UInt8]
    var digest: String  // "sha256:<hex>"

    init(mediaType: String, bytes: [UInt8]) {
        self.mediaType = mediaType
        self.bytes = bytes
        self.digest = "sha256:" + SHA256.hex(of: bytes)
    }

    var hex: String { String(digest.dropFirst("sha256:".count)) }
    var path: String { "blobs/sha256/" + hex }

    /// The OCI descriptor's fields that every descriptor of this blob has.
    var descriptorFields: [(String, JSONValue)] {
        [("mediaType", .string(mediaType)), ("digest", .string(digest)), ("size", .int(Int64(bytes.count)))]
    }

    var descriptor: JSONValue { .object(descriptorFields) }
}

/// What goes into the image.
enum ImageContent: Sendable {
    /// One ordinary uncompressed tar layer holding these files (the wasi-demo-app image).
    case files([LayerFile])
    /// runwasi's wasm-layer image: each module a layer of its own, `rootfs.diff_ids` empty.
    case wasmLayers([[UInt8]])
    /// The CNCF Wasm OCI Artifact: one `application/wasm` layer and a wasm config.
    case artifact([UInt8])
}

/// A file for a tar layer: its path in the image and its contents.
struct LayerFile: Equatable, Sendable {
    var path: String
    var contents: [UInt8]
    var mode: UInt32
}

/// The description of one image tarball.
struct ImageDescription: Sendable {
    var repository: String
    var name: String
    var tag: String
    var os: String
    var architecture: String
    /// `config.Entrypoint`; nil leaves it out.
    var entrypoint: [String]?
    var content: ImageContent

    /// `<repository>/<name>:<tag>`, the name `ctr images import` gives the image.
    var reference: String {
        (repository.isEmpty ? name : repository + "/" + name) + ":" + tag
    }
}

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
        let config = Blob(mediaType: configMediaType(image), bytes: configJSON(image, layers: layers).bytes)
        let annotations: JSONValue = .object([
            (nameAnnotation, .string(image.reference)), (refNameAnnotation, .string(image.tag)),
        ])
        let manifest = Blob(mediaType: MediaType.manifest, bytes: JSONValue.object([
            ("schemaVersion", .int(2)),
            ("mediaType", .string(MediaType.manifest)),
            ("config", config.descriptor),
            ("layers", .array(layers.map(\.descriptor))),
            ("annotations", annotations),
        ]).bytes)
        let manifestDescriptor = JSONValue.object(manifest.descriptorFields + [
            ("platform", .object([("architecture", .string(image.architecture)), ("os", .string(image.os))])),
            ("annotations", annotations),
        ])
        let index = JSONValue.object([
            ("schemaVersion", .int(2)),
            ("mediaType", .string(MediaType.index)),
            ("manifests", .array([manifestDescriptor])),
        ])
        let dockerManifest = JSONValue.array([.object([
            ("Config", .string(config.path)),
            ("RepoTags", .array([.string(image.reference)])),
            ("Layers", .array(layers.map { .string($0.path) })),
        ])])

        var blobs: [String: Blob] = [:]
        for blob in layers + [config, manifest] { blobs[blob.path] = blob }  // identical layers share a blob
        var entries: [TarEntry] = [.directory("blobs"), .directory("blobs/sha256")]
        entries += blobs.values.map { TarEntry.file($0.path, $0.bytes, mode: 0o444) }
        entries.append(.file("index.json", index.bytes))
        entries.append(.file("manifest.json", dockerManifest.bytes))
        entries.append(.file("oci-layout", JSONValue.object([("imageLayoutVersion", .string("1.0.0"))]).bytes))
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

    static func configMediaType(_ image: ImageDescription) -> String {
        if case .artifact = image.content { return MediaType.wasmArtifactConfig }
        return MediaType.imageConfig
    }

    /// The image config. A tar layer's diff_id is the digest of the uncompressed tar, which is
    /// the layer itself here. Wasm layers are not tars, so runwasi leaves diff_ids empty and
    /// makes the config unique with a label holding a digest of the layer digests.
    static func configJSON(_ image: ImageDescription, layers: [Blob]) -> JSONValue {
        if case .artifact = image.content {
            // oci-wasm's WasmConfig (camelCase fields). `created` is fixed for reproducibility.
            return .object([
                ("created", .string("1970-01-01T00:00:00Z")),
                ("architecture", .string(image.architecture)),
                ("os", .string(image.os)),
                ("layerDigests", .array(layers.map { .string($0.digest) })),
                ("component", .null),
            ])
        }
        var config: [(String, JSONValue)] = []
        if let entrypoint = image.entrypoint { config.append(("Entrypoint", .array(entrypoint.map(JSONValue.string)))) }
        var diffIDs: [JSONValue] = []
        if case .wasmLayers = image.content {
            let layerDigests = layers.map(\.digest).joined()
            config.append(("Labels", .object([(runwasiLayersLabel, .string(SHA256.hex(of: Array(layerDigests.utf8))))])))
        } else {
            diffIDs = layers.map { .string($0.digest) }
        }
        return .object([
            ("architecture", .string(image.architecture)),
            ("os", .string(image.os)),
            ("config", .object(config)),
            ("rootfs", .object([("type", .string("layers")), ("diff_ids", .array(diffIDs))])),
        ])
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
