import Digest

/// Where a shim listens. As containerd's own shims: `unix:///run/containerd/s/<hex>`, the hex
/// being the SHA-256 of `<containerd address>/<namespace>/<group>`, where the group is the
/// pod's sandbox id (one shim per pod) or the task id.
public enum SocketAddress {
    public static let directory = "/run/containerd/s"
    public static let sandboxAnnotation = "io.kubernetes.cri.sandbox-id"

    public static func address(containerdAddress: String, namespace: String, group: String) -> String {
        let key = containerdAddress + "/" + namespace + "/" + group
        return "unix://" + directory + "/" + SHA256.hex(of: Array(key.utf8))
    }

    /// The grouping key: the sandbox id annotation when present, else the task id.
    public static func group(annotations: [String: String]?, id: String) -> String {
        if let sandbox = annotations?[sandboxAnnotation], !sandbox.isEmpty { return sandbox }
        return id
    }
}
