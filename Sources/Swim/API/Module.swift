import SwimParser
import SwimTypes
import SwimValidation

/// A decoded and validated module, ready to be instantiated in any store of its engine.
/// Function bodies are translated lazily, on their first call.
public final class Module: @unchecked Sendable {
    public let engine: Engine
    let parsed: SwimTypes.DecodedModule
    let info: ModuleInfo
    /// Per defined function: the frame header slot and the frame size in slots.
    let frameSizes: [(headerSlot: Int, frameSlots: Int)]
    /// The number of imported functions: defined function `i` is function `importedFunctionCount + i`.
    let importedFunctionCount: Int

    /// Decodes and validates `bytes`. Throws `MalformedError`, `ValidationError`, or
    /// `ModuleError` when a function exceeds an implementation limit.
    public init(engine: Engine, bytes: [UInt8]) throws {
        self.engine = engine
        let features = engine.configuration.features
        let unsupported = features.subtracting(Engine.supportedFeatures)
        guard unsupported.isEmpty else {
            throw ModuleError(message: "the interpreter does not implement these proposals yet: \(unsupported)")
        }
        parsed = try parseModule(bytes: bytes, features: features)
        info = try validate(parsed, features: features)
        importedFunctionCount = parsed.importedFunctionCount
        var sizes: [(Int, Int)] = []
        sizes.reserveCapacity(parsed.functions.count)
        for (i, typeIndex) in parsed.functions.enumerated() {
            let type = parsed.functionType(typeIndex)
            let size = FrameLayout.size(type: type, locals: parsed.codes[i].locals,
                                        maxStackSlots: info.functions[i].maxStackSlots)
            guard let size else {
                throw ModuleError(message: "function \(importedFunctionCount + i) needs more than "
                    + "\(FrameLayout.maxSlots) value slots (an implementation limit)")
            }
            sizes.append(size)
        }
        frameSizes = sizes
    }

    /// The module's imports, in order.
    public var imports: [Import] { parsed.imports }

    /// The module's imports with their types.
    public var importTypes: [ImportType] {
        parsed.imports.map { i in
            let type: ExternalType
            switch i.descriptor {
            case .function(let t): type = .function(parsed.functionType(t))
            case .table(let t): type = .table(t)
            case .memory(let t): type = .memory(t)
            case .global(let t): type = .global(t)
            case .tag(let t): type = .tag(parsed.functionType(t))
            }
            return ImportType(module: i.module, name: i.name, type: type)
        }
    }

    /// The module's exports with their types.
    public var exports: [ExportType] {
        let functionTypes = parsed.functionTypeIndices
        let tables = parsed.allTables, memories = parsed.allMemories, globals = parsed.allGlobals, tags = parsed.allTags
        return parsed.exports.map { export in
            switch export.descriptor {
            case .function(let i): return ExportType(name: export.name, type: .function(parsed.functionType(functionTypes[Int(i)])))
            case .table(let i): return ExportType(name: export.name, type: .table(tables[Int(i)]))
            case .memory(let i): return ExportType(name: export.name, type: .memory(memories[Int(i)]))
            case .global(let i): return ExportType(name: export.name, type: .global(globals[Int(i)]))
            case .tag(let i): return ExportType(name: export.name, type: .tag(parsed.functionType(tags[Int(i)])))
            }
        }
    }

    /// The name the `name` section gives a function, if any.
    public func functionName(_ index: Int) -> String? {
        parsed.names?.functionNames[UInt32(truncatingIfNeeded: index)]
    }
}

/// A module the engine cannot run (an implementation limit), though it is valid.
public struct ModuleError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

public struct ImportType: Sendable {
    public var module: String
    public var name: String
    public var type: ExternalType
}

public struct ExportType: Sendable {
    public var name: String
    public var type: ExternalType
}

public enum ExternalType: Sendable {
    case function(FunctionType)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// A tag of the given type: its parameters are the payload.
    case tag(FunctionType)
}
