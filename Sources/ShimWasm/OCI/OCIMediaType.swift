/// The media types the shim tells apart when it reads an image from containerd.
public enum OCIMediaType {
    public static let imageIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"

    /// runwasi's wasm-layer image: a layer that is a wasm module or component, not a tar.
    public static let wasmComponentLayer = "application/vnd.bytecodealliance.wasm.component.layer.v0+wasm"
    /// The CNCF Wasm OCI Artifact's layer (its config is `application/vnd.wasm.config.v0+json`).
    public static let wasmLayer = "application/wasm"

    /// The layer types whose blob is the module (runwasi's `supported_layers_types`).
    public static let wasmLayers: Set<String> = [wasmComponentLayer, wasmLayer]

    public static func isIndex(_ mediaType: String) -> Bool {
        mediaType == imageIndex || mediaType == dockerManifestList
    }

    public static func isManifest(_ mediaType: String) -> Bool {
        mediaType == imageManifest || mediaType == dockerManifest
    }
}
