import Testing
import SwimTypes
import SwimValidation

/// Builds `DecodedModule` values directly, so each test states exactly the construct under
/// test. Function bodies are real bytes, appended to `module.bytes`, so they go
/// through the parser's `InstructionReader` as in production.
struct ModuleBuilder {
    var module = DecodedModule(bytes: [])

    @discardableResult
    mutating func type(_ parameters: [ValueType] = [], _ results: [ValueType] = []) -> UInt32 {
        module.types.append(FunctionType(parameters: parameters, results: results))
        return UInt32(module.types.count - 1)
    }

    /// Adds a function whose body is `code` followed by the final `end`.
    @discardableResult
    mutating func function(type: UInt32, locals: [LocalRun] = [], _ code: [UInt8]...) -> UInt32 {
        rawFunction(type: type, locals: locals, code.flatMap { $0 } + Code.end)
    }

    /// Adds a function whose body is exactly `body` (no `end` added).
    @discardableResult
    mutating func rawFunction(type: UInt32, locals: [LocalRun] = [], _ body: [UInt8]) -> UInt32 {
        let start = module.bytes.count
        module.bytes.append(contentsOf: body)
        let localCount = locals.reduce(0) { $0 + Int($1.count) }
        module.functions.append(type)
        module.codes.append(FunctionBody(locals: locals, localCount: localCount, range: start..<module.bytes.count))
        return UInt32(module.importedFunctionCount + module.functions.count - 1)
    }

    mutating func importFunction(type: UInt32, name: String = "f") {
        module.imports.append(Import(module: "env", name: name, descriptor: .function(type)))
    }

    mutating func importGlobal(_ type: ValueType, mutable: Bool = false, name: String = "g") {
        let global = GlobalType(mutability: mutable ? .variable : .constant, valueType: type)
        module.imports.append(Import(module: "env", name: name, descriptor: .global(global)))
    }

    mutating func importMemory(min: UInt64 = 1, max: UInt64? = nil) {
        module.imports.append(
            Import(module: "env", name: "mem", descriptor: .memory(MemoryType(limits: Limits(min: min, max: max)))))
    }

    mutating func memory(min: UInt64 = 1, max: UInt64? = nil, is64: Bool = false) {
        module.memories.append(MemoryType(limits: Limits(min: min, max: max, is64: is64)))
    }

    mutating func table(_ type: RefType = .funcref, min: UInt64 = 1, max: UInt64? = nil) {
        module.tables.append(TableDefinition(type: TableType(elementType: type, limits: Limits(min: min, max: max))))
    }

    mutating func global(_ type: ValueType, mutable: Bool = false, _ initializer: Instruction...) {
        let globalType = GlobalType(mutability: mutable ? .variable : .constant, valueType: type)
        module.globals.append(GlobalDefinition(type: globalType, initializer: ConstExpression(instructions: initializer)))
    }

    /// Adds a tag of type `type`; returns its index (imports come first).
    @discardableResult
    mutating func tag(type: UInt32) -> UInt32 {
        module.tags.append(type)
        return UInt32(module.allTags.count - 1)
    }

    mutating func importTag(type: UInt32, name: String = "e") {
        module.imports.append(Import(module: "env", name: name, descriptor: .tag(type)))
    }

    mutating func export(_ name: String, _ descriptor: ExportDescriptor) {
        module.exports.append(Export(name: name, descriptor: descriptor))
    }

    mutating func element(_ mode: ElementSegment.Mode, type: RefType = .funcref, functions: [UInt32]) {
        module.elements.append(ElementSegment(type: type, mode: mode, items: .functions(functions)))
    }

    mutating func element(_ type: RefType, _ mode: ElementSegment.Mode, expressions: [[Instruction]]) {
        let items = expressions.map { ConstExpression(instructions: $0) }
        module.elements.append(ElementSegment(type: type, mode: mode, items: .expressions(items)))
    }

    /// Adds a data segment and, as a binary with `memory.init` would need, the data count.
    mutating func data(_ mode: DataSegment.Mode = .passive) {
        module.data.append(DataSegment(mode: mode, range: 0..<0))
        module.dataCount = UInt32(module.data.count)
    }
}

/// An active segment's mode with a constant offset.
func offset(_ instructions: Instruction...) -> ConstExpression {
    ConstExpression(instructions: instructions)
}

/// A module with one function of type `parameters -> results` whose body is `code`.
func singleFunction(
    _ parameters: [ValueType] = [], _ results: [ValueType] = [], locals: [LocalRun] = [], _ code: [UInt8]...
) -> ModuleBuilder {
    var builder = ModuleBuilder()
    let type = builder.type(parameters, results)
    builder.rawFunction(type: type, locals: locals, code.flatMap { $0 } + Code.end)
    return builder
}

// MARK: Expectations

/// Validates and returns the info, recording an issue if validation fails.
@discardableResult
func expectValid(
    _ builder: ModuleBuilder, features: WasmFeatures = .default, sourceLocation: SourceLocation = #_sourceLocation
) -> ModuleInfo? {
    do {
        return try validate(builder.module, features: features)
    } catch {
        Issue.record("expected a valid module, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Expects a `ValidationError` whose message starts with `prefix` (the spec tests'
/// convention); returns the error for further checks.
@discardableResult
func expectInvalid(
    _ builder: ModuleBuilder, _ prefix: String, features: WasmFeatures = .default,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ValidationError? {
    do {
        _ = try validate(builder.module, features: features)
        Issue.record("expected \"\(prefix)\" but the module validated", sourceLocation: sourceLocation)
    } catch let error as ValidationError {
        #expect(error.message.hasPrefix(prefix), "got \"\(error.message)\"", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a ValidationError \"\(prefix)\", got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Expects a `MalformedError` (a body that does not decode or is badly nested).
@discardableResult
func expectMalformed(
    _ builder: ModuleBuilder, _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation
) -> MalformedError? {
    do {
        _ = try validate(builder.module)
        Issue.record("expected a MalformedError but the module validated", sourceLocation: sourceLocation)
    } catch let error as MalformedError {
        #expect(error.message.hasPrefix(prefix), "got \"\(error.message)\"", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a MalformedError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
