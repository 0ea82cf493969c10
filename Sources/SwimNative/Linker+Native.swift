import Swim

extension Function {
    /// A host function that calls the C function at `pointer` through libffi, its arguments
    /// converted as the WAMR `signature` says (see `NativeSignature`; nil: by value, as
    /// `type` says). C receives the execution environment first, for the WAMR helpers.
    /// Throws `NativeLinkError` when the signature does not fit `type`.
    public init(store: Store, type: FunctionType, native pointer: UnsafeMutableRawPointer, signature: String?,
                attachment: UnsafeMutableRawPointer? = nil) throws(NativeLinkError) {
        try self.init(store: store, type: type, symbol: NativeSymbol(
            name: "native function", function: pointer, signature: signature, attachment: attachment), library: nil)
    }

    init(store: Store, type: FunctionType, symbol: NativeSymbol, library: NativeLibrary?) throws(NativeLinkError) {
        guard let signature = NativeSignature(symbol.signature, type: type) else {
            let text = symbol.signature.map { "\"\($0)\"" } ?? "(none)"
            throw NativeLinkError("the native signature \(text) of \(symbol.name) does not match the type \(type)")
        }
        let call = try NativeCall(function: symbol.function, signature: signature, attachment: symbol.attachment,
                                  library: library)
        // Addresses are 32-bit: a module whose memory 0 is 64-bit cannot import it.
        self.init(store: store, type: type, requires32BitMemory: signature.usesMemory, rawBody: { caller, slots in
            try call.call(caller, slots)
        })
    }
}

extension Linker {
    /// Defines `module`.`name` as the C function at `pointer` (see `Function.init(store:type:native:signature:attachment:)`).
    public mutating func defineNative(_ module: String, _ name: String, store: Store, type: FunctionType,
                                      function pointer: UnsafeMutableRawPointer, signature: String?,
                                      attachment: UnsafeMutableRawPointer? = nil) throws(NativeLinkError) {
        let function: Function
        do {
            function = try Function(store: store, type: type, native: pointer, signature: signature, attachment: attachment)
        } catch {
            throw NativeLinkError("import \(module).\(name): \(error.message)")
        }
        define(module, name, .function(function))
    }

    /// Defines the functions `module` imports from `library` (by its module name), each checked
    /// against the import's type. Imports the library does not have stay undefined, for
    /// another definition or for instantiation to report. A later definition of the same
    /// name replaces an earlier one, so the last library loaded wins, as in WAMR.
    public mutating func define(_ library: NativeLibrary, store: Store, importsOf module: Module) throws(NativeLinkError) {
        for i in module.importTypes where i.module == library.moduleName {
            guard case .function(let type) = i.type, let symbol = library.symbol(named: i.name) else { continue }
            let function: Function
            do {
                function = try Function(store: store, type: type, symbol: symbol, library: library)
            } catch {
                throw NativeLinkError("import \(i.module).\(i.name) from \(library.path): \(error.message)")
            }
            define(i.module, i.name, .function(function))
        }
    }
}
