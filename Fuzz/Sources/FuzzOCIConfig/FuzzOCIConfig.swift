import FuzzSupport
import ShimKit

/// A bundle's `config.json`: decoding and validation must answer with an error, not crash.
@_cdecl("FuzzOCIConfig_main")
public func fuzzOCIConfigMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOCIConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let spec = try? OCIBundle.decodeSpec(bytes) {
        _ = try? spec.validate()
    }
    return 0
}
