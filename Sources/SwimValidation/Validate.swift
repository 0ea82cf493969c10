import SwimTypes

/// Validates a decoded module against the WebAssembly 2.0 specification (plus the
/// Wasm 3.0 features that `features` enables).
///
/// Every function body is decoded and type-checked in one pass. Throws `ValidationError`
/// (message and, where known, byte offset) when the module is invalid, and lets a
/// `MalformedError` from decoding a body propagate unchanged.
///
/// The result gives, for each defined function, the figures the translator needs to
/// lay out its frames.
public func validate(_ module: DecodedModule, features: WasmFeatures = .default) throws -> ModuleInfo {
    let context = ValidationContext(module: module, features: features)
    var declarations = ModuleValidator(module: module, context: context)
    try declarations.validate()

    guard module.codes.count == module.functions.count else {
        throw ValidationError(
            "function and code section have inconsistent lengths (\(module.functions.count) and \(module.codes.count))")
    }
    var validator = FunctionValidator(context: context, module: module)
    var functions: [FunctionInfo] = []
    functions.reserveCapacity(module.codes.count)
    for (body, typeIndex) in zip(module.codes, module.functions) {
        functions.append(try validator.validate(body, typeIndex: typeIndex))
    }
    return ModuleInfo(functions: functions)
}
