import FuzzSupport
import SwimParser
import SwimTypes
import SwimValidation

/// Binary decode + validate, every feature on: errors are fine, crashes are not. Function
/// bodies are read too (the decoder leaves them lazy; validation reads them all).
@_cdecl("FuzzDecode_main")
public func fuzzDecodeMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let module = try? parseModule(bytes: bytes, features: .default) {
        _ = try? validate(module, features: .default)
    }
    return 0
}
