/// An OCI image manifest: the config and layers of one image.
struct ImageManifest: Codable, Equatable, Sendable {
    var schemaVersion = 2
    var mediaType = MediaType.manifest
    var config: Descriptor
    var layers: [Descriptor]
    var annotations: [String: String]?
}
