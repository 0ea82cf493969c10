import ShimKit

/// A wasm shim's whole `main`: `ShimCli<MyEngine>.run()`.
public enum ShimCli<E: WasmEngine> {
    public static func run() -> Never {
        ShimMain.runContainers(identity: .init(name: E.name, version: E.version),
                               preparation: WasmLayerPreparation()) { spec -> any ContainerPayload in
            // A CRI pod's sandbox container holds the pod's namespaces; the others run wasm.
            if spec.isCRISandbox { return PausePayload() }
            return WasmPayload<E>()
        }
    }
}
