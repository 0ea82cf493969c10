/// One image in Docker's `manifest.json` (an array of these), which lets `docker load`
/// take the same tarball as `ctr images import`.
struct DockerManifestEntry: Codable, Equatable, Sendable {
    /// The config blob's path in the tarball.
    var config: String
    var repoTags: [String]
    /// The layer blobs' paths, in order.
    var layers: [String]

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
    }
}
