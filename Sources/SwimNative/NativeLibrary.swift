#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A shared library of host functions in WAMR's native-library ABI (`iwasm --native-lib`):
///
/// ```c
/// uint32_t get_native_lib(char **module_name, NativeSymbol **symbols); // required
/// int init_native_lib(void);    // optional: called once after loading; non-zero fails the load
/// void deinit_native_lib(void); // optional: called once before unloading
/// typedef struct { const char *symbol; void *func_ptr; const char *signature; void *attachment; } NativeSymbol;
/// ```
///
/// The library stays loaded while this object or any function defined from it is alive,
/// or until `unload()`.
public final class NativeLibrary {
    public let path: String
    /// The import module name its functions are imported under ("env", say).
    public let moduleName: String
    public let symbols: [NativeSymbol]
    private var handle: UnsafeMutableRawPointer?

    /// Loads the library and runs its `init_native_lib`.
    public init(path: String) throws(NativeLibraryError) {
        self.path = path
        // RTLD_GLOBAL as iwasm: a later library may use an earlier one's symbols.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL) else {
            throw NativeLibraryError(path: path, String(cString: dlerror()))
        }
        if let initialize = dlsym(handle, "init_native_lib") {
            typealias Initialize = @convention(c) () -> Int32
            let status = unsafeBitCast(initialize, to: Initialize.self)()
            guard status == 0 else {
                dlclose(handle)
                throw NativeLibraryError(path: path, "init_native_lib failed with \(status)")
            }
        }
        guard let get = dlsym(handle, "get_native_lib") else {
            Self.finish(handle)
            throw NativeLibraryError(path: path, "it has no get_native_lib function (not a native library)")
        }
        typealias GetNativeLib = @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                                                 UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32
        var name: UnsafeMutablePointer<CChar>?
        var table: UnsafeMutableRawPointer?
        let count = Int(unsafeBitCast(get, to: GetNativeLib.self)(&name, &table))
        guard let name else {
            Self.finish(handle)
            throw NativeLibraryError(path: path, "get_native_lib gave no module name")
        }
        var symbols: [NativeSymbol] = []
        if count > 0 {
            guard let table else {
                Self.finish(handle)
                throw NativeLibraryError(path: path, "get_native_lib gave \(count) symbols but no table")
            }
            // NativeSymbol: four pointers.
            let fields = table.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
            for i in 0..<count {
                let entry = fields + 4 * i
                guard let symbol = entry[0], let function = entry[1] else {
                    Self.finish(handle)
                    throw NativeLibraryError(path: path, "native symbol \(i) has no name or no function")
                }
                symbols.append(NativeSymbol(
                    name: String(cString: symbol.assumingMemoryBound(to: CChar.self)), function: function,
                    signature: entry[2].map { String(cString: $0.assumingMemoryBound(to: CChar.self)) },
                    attachment: entry[3]))
            }
        }
        self.moduleName = String(cString: name)
        self.symbols = symbols
        self.handle = handle
    }

    deinit { unload() }

    public var isLoaded: Bool { handle != nil }

    /// Runs `deinit_native_lib` and unloads the library. Its functions then trap when called.
    public func unload() {
        guard let handle else { return }
        self.handle = nil
        Self.finish(handle)
    }

    private static func finish(_ handle: UnsafeMutableRawPointer) {
        if let deinitialize = dlsym(handle, "deinit_native_lib") {
            typealias Deinitialize = @convention(c) () -> Void
            unsafeBitCast(deinitialize, to: Deinitialize.self)()
        }
        dlclose(handle)
    }

    /// The symbol an import named `name` resolves to: by its name, or, as in WAMR, by the name
    /// without a leading underscore. The first of equal names wins.
    public func symbol(named name: String) -> NativeSymbol? {
        if let s = symbols.first(where: { $0.name == name }) { return s }
        guard name.hasPrefix("_") else { return nil }
        let bare = String(name.dropFirst())
        return symbols.first { $0.name == bare }
    }
}

/// One function of a native library: its C name, address, WAMR signature and attachment.
public struct NativeSymbol: @unchecked Sendable {
    public var name: String
    public var function: UnsafeMutableRawPointer
    public var signature: String?
    public var attachment: UnsafeMutableRawPointer?

    public init(name: String, function: UnsafeMutableRawPointer, signature: String?,
                attachment: UnsafeMutableRawPointer? = nil) {
        self.name = name
        self.function = function
        self.signature = signature
        self.attachment = attachment
    }
}

/// A native library could not be loaded.
public struct NativeLibraryError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "native library \(path): \(reason)" }
}

/// A native function cannot serve an import: its signature does not match the wasm type.
public struct NativeLinkError: Error, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
