/// Starts libFuzzer on the target's `LLVMFuzzerTestOneInput`.
///
/// SwiftPM links an executable with `main` aliased to `<Target>_main`, so libFuzzer's own
/// `main` is never used: each target defines `<Target>_main` and calls this, which hands the
/// command line to libFuzzer's driver.
public func runLibFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, LLVMFuzzerTestOneInput)
}

@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// Defined by the target (with `@_cdecl`).
@_extern(c, "LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32
