import ShimWasm

ShimCli<SwimEngine>.run()
