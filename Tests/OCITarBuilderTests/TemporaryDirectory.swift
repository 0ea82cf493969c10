#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp for a test's files.
struct TemporaryDirectory {
    struct CreationFailed: Error {}

    let path: String

    init() throws {
        var template = Array("/tmp/oci-tar-builder-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let created else { throw CreationFailed() }
        path = String(cString: created)
    }

    func remove() {
        _ = system("rm -rf '\(path)'")
    }
}
