import ShimKit

// The init binary of ShimKitTests' containers: the tests spawn it as ContainerProcess's
// init executable, and `process.args[0]` of the spec picks the test payload.
// `shimkit-test-init reaper-check DIR` instead checks the daemon's reaping mode.
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "reaper-check" {
    ReaperCheck.run(directory: CommandLine.arguments[2])
}
ContainerInit.main { spec -> any ContainerPayload in
    if spec.isCRISandbox { return PausePayload() }
    return try TestPayload(arguments: spec.process?.args ?? [])
}
