/// The `oci-layout` file that marks a directory (or tarball) as an OCI image layout.
struct OCILayoutFile: Codable, Equatable, Sendable {
    var imageLayoutVersion = "1.0.0"
}
