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
