#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The WAMR runtime functions that native libraries call, with WAMR 2.x's C signatures
// (addresses and sizes are uint64_t; of a 32-bit memory's, only the low 32 bits count, so that
// libraries built against WAMR 1.x's uint32_t work too), exported under WAMR's names so that existing libraries
// load unchanged. An executable that loads native libraries must export these symbols to
// them (`swim` does: Package.swift, `wamrHelperSymbols`).
//
// They are public so that their C symbols keep default visibility (an internal function's
// symbol is hidden in an optimized build, and cannot be exported); Swift code has no use for them.
//
// `wasm_exec_env_t` and `wasm_module_inst_t` are both the `NativeCall` of the running function.
// A null or stale handle is the library's bug; the functions answer it as WAMR answers an
// address outside memory, without touching memory.

private func nativeCall(_ handle: UnsafeMutableRawPointer?) -> NativeCall? {
    handle.map { Unmanaged<NativeCall>.fromOpaque($0).takeUnretainedValue() }
}

private let outOfBounds = "out of bounds memory access"

@_cdecl("wasm_runtime_get_module_inst")
public func wasm_runtime_get_module_inst(_ execEnv: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    execEnv
}

@_cdecl("wasm_runtime_get_function_attachment")
public func wasm_runtime_get_function_attachment(_ execEnv: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    nativeCall(execEnv)?.attachment
}

/// Whether `size` bytes at `offset` are in the memory; if not, the call will trap.
@_cdecl("wasm_runtime_validate_app_addr")
public func wasm_runtime_validate_app_addr(_ instance: UnsafeMutableRawPointer?, _ offset: UInt64, _ size: UInt64) -> Bool {
    guard let call = nativeCall(instance) else { return false }
    guard let offset = call.appValue(offset), let size = call.appValue(size),
          call.address(offset, length: size) != nil
    else {
        call.setException(outOfBounds)
        return false
    }
    return true
}

/// Whether a NUL-terminated string starts at `offset` and ends inside the memory.
@_cdecl("wasm_runtime_validate_app_str_addr")
public func wasm_runtime_validate_app_str_addr(_ instance: UnsafeMutableRawPointer?, _ offset: UInt64) -> Bool {
    guard let call = nativeCall(instance) else { return false }
    guard let offset = call.appValue(offset), call.string(at: offset) != nil else {
        call.setException(outOfBounds)
        return false
    }
    return true
}

/// Whether `size` bytes at the native address `pointer` are in the memory.
@_cdecl("wasm_runtime_validate_native_addr")
public func wasm_runtime_validate_native_addr(_ instance: UnsafeMutableRawPointer?, _ pointer: UnsafeMutableRawPointer?,
                                       _ size: UInt64) -> Bool {
    guard let call = nativeCall(instance) else { return false }
    guard let offset = appOffset(call, pointer), let size = call.appValue(size),
          call.address(offset, length: size) != nil
    else {
        call.setException(outOfBounds)
        return false
    }
    return true
}

/// The native address of `offset`, or NULL when it is not inside the memory.
@_cdecl("wasm_runtime_addr_app_to_native")
public func wasm_runtime_addr_app_to_native(_ instance: UnsafeMutableRawPointer?, _ offset: UInt64) -> UnsafeMutableRawPointer? {
    guard let call = nativeCall(instance), let offset = call.appValue(offset) else { return nil }
    return call.address(offset, length: 1)
}

/// The memory offset of the native address `pointer`, or 0 when it is not inside the memory.
@_cdecl("wasm_runtime_addr_native_to_app")
public func wasm_runtime_addr_native_to_app(_ instance: UnsafeMutableRawPointer?, _ pointer: UnsafeMutableRawPointer?) -> UInt64 {
    guard let call = nativeCall(instance), let offset = appOffset(call, pointer), offset < call.memorySize else { return 0 }
    return UInt64(offset)
}

/// Ends the running call in a trap with `message` once the C function returns; NULL clears it.
@_cdecl("wasm_runtime_set_exception")
public func wasm_runtime_set_exception(_ instance: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {
    nativeCall(instance)?.setException(message.map { String(cString: $0) })
}

/// The pending exception as "Exception: MESSAGE", or NULL.
@_cdecl("wasm_runtime_get_exception")
public func wasm_runtime_get_exception(_ instance: UnsafeMutableRawPointer?) -> UnsafePointer<CChar>? {
    nativeCall(instance)?.exceptionMessage
}

@_cdecl("wasm_runtime_clear_exception")
public func wasm_runtime_clear_exception(_ instance: UnsafeMutableRawPointer?) {
    nativeCall(instance)?.setException(nil)
}

/// The offset of `pointer` from the memory's base, when it is at or after the base.
private func appOffset(_ call: NativeCall, _ pointer: UnsafeMutableRawPointer?) -> Int? {
    guard let pointer, let base = call.memoryBase, pointer >= base else { return nil }
    return pointer - base
}
