/// The parts of the OCI image documents (image-spec v1) the shim reads: a descriptor, an
/// index, a manifest and a config. Unknown fields are ignored; missing optional ones are nil.

public struct OCIDescriptor: Codable, Sendable, Equatable {
    public var mediaType: String
    public var digest: String
    public var size: Int64
    public var platform: Platform?

    public struct Platform: Codable, Sendable, Equatable {
        public var architecture: String?
        public var os: String?

        public init(architecture: String?, os: String?) {
            self.architecture = architecture
            self.os = os
        }
    }

    public init(mediaType: String, digest: String, size: Int64, platform: Platform? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
    }
}

/// An image index (or Docker manifest list): one manifest per platform.
struct OCIIndex: Decodable {
    var mediaType: String?
    var manifests: [OCIDescriptor]
}

/// An image manifest: the config and the layers.
struct OCIManifest: Decodable {
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
}

/// The one field of an image (or wasm artifact) config the shim needs.
struct OCIConfig: Decodable {
    var architecture: String?
}
