import ShimKit

// The init binary of ShimKitTests' containers: the tests spawn it as ContainerProcess's
// init executable, and `process.args[0]` of the spec picks the test payload.
ContainerInit.main { spec -> any ContainerPayload in
    if spec.isCRISandbox { return PausePayload() }
    return try TestPayload(arguments: spec.process?.args ?? [])
}
