import GRPCCore

/// The three containerd methods the shim calls, by their gRPC names (the services of our
/// `.proto` copies); no generated service stubs are needed to call them.
enum ContainerdMethods {
    static let getContainer = MethodDescriptor(
        fullyQualifiedService: "containerd.services.containers.v1.Containers", method: "Get")
    static let getImage = MethodDescriptor(fullyQualifiedService: "containerd.services.images.v1.Images", method: "Get")
    static let readContent = MethodDescriptor(
        fullyQualifiedService: "containerd.services.content.v1.Content", method: "Read")
}
