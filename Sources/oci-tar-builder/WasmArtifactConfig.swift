/// The config of a CNCF Wasm OCI Artifact (`application/vnd.wasm.config.v0+json`), as
/// oci-wasm's `WasmConfig` writes it (camelCase fields).
struct WasmArtifactConfig: Encodable, Equatable, Sendable {
    /// Fixed, so the same module always gives the same config.
    var created = "1970-01-01T00:00:00Z"
    var architecture: String
    var os: String
    var layerDigests: [String]

    enum CodingKeys: String, CodingKey {
        case created, architecture, os, layerDigests, component
    }

    /// Written by hand for `component`: oci-wasm writes it as null when it does not describe
    /// a component's world, and the builder never does (a synthesized encoder would leave it out).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(created, forKey: .created)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(os, forKey: .os)
        try container.encode(layerDigests, forKey: .layerDigests)
        try container.encodeNil(forKey: .component)
    }
}
