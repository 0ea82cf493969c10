/// An OCI image config (`application/vnd.oci.image.config.v1+json`), with the fields the
/// builder writes.
struct ImageConfig: Codable, Equatable, Sendable {
    /// How to run the image (the config's `config`).
    struct Execution: Codable, Equatable, Sendable {
        var entrypoint: [String]?
        var labels: [String: String]?

        enum CodingKeys: String, CodingKey {
            case entrypoint = "Entrypoint"
            case labels = "Labels"
        }
    }

    /// The layers' uncompressed digests, in order.
    struct RootFS: Codable, Equatable, Sendable {
        var type = "layers"
        var diffIDs: [String]

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }
    }

    var architecture: String
    var os: String
    var config: Execution
    var rootfs: RootFS
}
