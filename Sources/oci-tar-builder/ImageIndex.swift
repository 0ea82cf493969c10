/// An OCI image index (`index.json`): the entry point of an image layout.
struct ImageIndex: Codable, Equatable, Sendable {
    var schemaVersion = 2
    var mediaType = MediaType.index
    var manifests: [Descriptor]
}
