#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CFFI
import Swim

/// One C function behind a wasm import, called through libffi: the call interface is prepared
/// once (`ffi_prep_cif`), and each call converts the wasm arguments in place and runs
/// `ffi_call`.
///
/// The C function's first argument is the execution environment WAMR's native functions
/// expect: a pointer to this object, which the WAMR helper functions (`WAMRHelpers.swift`)
/// accept both as `wasm_exec_env_t` and as `wasm_module_inst_t`. A store runs on one thread
/// and C cannot call back into wasm, so the argument buffers are reused from call to call.
final class NativeCall {
    let function: UnsafeMutableRawPointer
    let signature: NativeSignature
    /// What `wasm_runtime_get_function_attachment` returns during a call.
    let attachment: UnsafeMutableRawPointer?
    /// The library the function comes from, kept loaded while the function exists.
    let library: NativeLibrary?

    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    /// The C arguments, one 8-byte cell each (the environment first), and their addresses.
    private let arguments: UnsafeMutablePointer<UInt64>
    private let argumentAddresses: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let argumentCount: Int

    /// The caller's memory 0 during a call (empty outside one).
    private(set) var memoryBase: UnsafeMutableRawPointer?
    private(set) var memorySize = 0
    /// Whether that memory is 64-bit: for a 32-bit one the helpers read only the low 32 bits
    /// of an offset or size, as libraries built against WAMR 1.x pass `uint32_t`.
    private(set) var memoryIs64 = false
    /// Set by `wasm_runtime_set_exception`: the call then ends in a trap with this message.
    var exception: String?
    /// `exception` as WAMR's `wasm_runtime_get_exception` returns it ("Exception: ..."), owned here.
    private var exceptionCString: UnsafeMutablePointer<CChar>?

    init(function: UnsafeMutableRawPointer, signature: NativeSignature, attachment: UnsafeMutableRawPointer?,
         library: NativeLibrary?) throws(NativeLinkError) {
        self.function = function
        self.signature = signature
        self.attachment = attachment
        self.library = library
        argumentCount = signature.parameters.count + 1
        cif = .allocate(capacity: 1)
        argumentTypes = .allocate(capacity: argumentCount)
        arguments = .allocate(capacity: argumentCount)
        arguments.initialize(repeating: 0, count: argumentCount)
        argumentAddresses = .allocate(capacity: argumentCount)
        for i in 0..<argumentCount {
            argumentAddresses[i] = UnsafeMutableRawPointer(arguments + i)
        }
        argumentTypes[0] = swim_ffi_type_pointer()
        for (i, p) in signature.parameters.enumerated() {
            switch p {
            case .i32, .length: argumentTypes[i + 1] = swim_ffi_type_uint32()
            case .i64: argumentTypes[i + 1] = swim_ffi_type_uint64()
            case .f32: argumentTypes[i + 1] = swim_ffi_type_float()
            case .f64: argumentTypes[i + 1] = swim_ffi_type_double()
            case .pointer, .string: argumentTypes[i + 1] = swim_ffi_type_pointer()
            }
        }
        let resultType: UnsafeMutablePointer<ffi_type>?
        switch signature.result {
        case nil: resultType = swim_ffi_type_void()
        case .i32: resultType = swim_ffi_type_uint32()
        case .i64: resultType = swim_ffi_type_uint64()
        case .f32: resultType = swim_ffi_type_float()
        case .f64: resultType = swim_ffi_type_double()
        }
        guard swim_ffi_prep_cif(cif, UInt32(argumentCount), resultType, argumentTypes) == 0 else {
            throw NativeLinkError("libffi cannot prepare a call with the signature \(signature)")
        }
        arguments[0] = UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()))
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
        arguments.deallocate()
        argumentAddresses.deallocate()
        free(exceptionCString)
    }

    /// Calls the function with the wasm arguments in `slots` and writes its result to slot 0.
    /// An address or string outside the caller's memory is a trap before C runs.
    func call(_ caller: Caller, _ slots: UnsafeMutablePointer<UInt64>) throws {
        if let library, !library.isLoaded {
            throw Trap(hostMessage: "native library \(library.path) is no longer loaded")
        }
        // The helpers may reach the memory whatever the signature says. Outside a call it is
        // empty (the defer below).
        if let memory = caller.memory {
            memory.withUnsafeMutableBytes { bytes in
                memoryBase = bytes.baseAddress
                memorySize = bytes.count
            }
            memoryIs64 = memory.type.limits.is64
        }
        defer {
            memoryBase = nil
            memorySize = 0
            memoryIs64 = false
        }
        for (i, p) in signature.parameters.enumerated() {
            let value = slots[i]
            switch p {
            case .i32, .f32, .length:
                arguments[i + 1] = value & 0xffff_ffff
            case .i64, .f64:
                arguments[i + 1] = value
            case .pointer(let hasLength):
                let offset = Int(UInt32(truncatingIfNeeded: value))
                let length = hasLength ? Int(UInt32(truncatingIfNeeded: slots[i + 1])) : 1
                guard let address = address(offset, length: length) else { throw Trap(.outOfBoundsMemoryAccess) }
                arguments[i + 1] = UInt64(UInt(bitPattern: address))
            case .string:
                guard let string = string(at: Int(UInt32(truncatingIfNeeded: value))) else {
                    throw Trap(.outOfBoundsMemoryAccess)
                }
                arguments[i + 1] = UInt64(UInt(bitPattern: string))
            }
        }
        // No exception is pending here: a call that raised one cleared it as it threw.
        var result: UInt64 = 0
        swim_ffi_call(cif, function, &result, argumentAddresses)
        if let exception {
            setException(nil)
            throw Trap(hostMessage: exception)
        }
        switch signature.result {
        case nil: break
        case .i32, .f32: slots[0] = result & 0xffff_ffff
        case .i64, .f64: slots[0] = result
        }
    }

    /// The native address of `length` bytes at `offset` in the caller's memory, if they are in it.
    func address(_ offset: Int, length: Int) -> UnsafeMutableRawPointer? {
        guard offset >= 0, length >= 0, offset <= memorySize, length <= memorySize - offset,
              let memoryBase else { return nil }
        return memoryBase + offset
    }

    /// An app offset or size from a helper's caller, as this memory reads it: whole for a 64-bit
    /// memory, its low 32 bits for a 32-bit one; nil when it cannot be an offset at all.
    func appValue(_ value: UInt64) -> Int? {
        let v = memoryIs64 ? value : value & 0xffff_ffff
        return v <= UInt64(Int.max) ? Int(v) : nil
    }

    /// The native address of the NUL-terminated string at `offset`, if it ends inside the memory.
    func string(at offset: Int) -> UnsafeMutableRawPointer? {
        guard offset >= 0, offset < memorySize, let memoryBase,
              memchr(memoryBase + offset, 0, memorySize - offset) != nil else { return nil }
        return memoryBase + offset
    }

    /// Sets or clears the exception (`wasm_runtime_set_exception`).
    func setException(_ message: String?) {
        exception = message
        free(exceptionCString)
        exceptionCString = message.flatMap { strdup("Exception: " + $0) }
    }

    /// The exception as WAMR formats it, valid until it changes (`wasm_runtime_get_exception`).
    var exceptionMessage: UnsafePointer<CChar>? { exceptionCString.map { UnsafePointer($0) } }
}
