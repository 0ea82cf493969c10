/// An OCI content descriptor: what a manifest or an index says about a blob it points at.
struct Descriptor: Codable, Equatable, Sendable {
    var mediaType: String
    var digest: String
    var size: Int64
    /// Set on an index's manifest entries, so a runtime can pick its platform's image.
    var platform: Platform?
    var annotations: [String: String]?
}

/// The platform a manifest is for (the `platform` of an index entry).
struct Platform: Codable, Equatable, Sendable {
    var architecture: String
    var os: String
}
