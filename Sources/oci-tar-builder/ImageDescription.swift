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
