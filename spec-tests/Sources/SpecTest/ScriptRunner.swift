import Swim
import SwimWAT
import SwimParser
import SwimTypes
import SwimValidation

/// Runs the commands of one script and tallies the outcome of each.
struct ScriptRunner {
    let engine: Engine
    let store: Store
    var linker = Linker()
    /// Modules by their script name: `(module definition $M ...)` and `(module $M ...)`.
    var modules: [String: Module] = [:]
    /// The module defined last, for `(module instance)` without a module name.
    var lastModule: Module?
    var instances: [String: Instance] = [:]
    var current: Instance?
    var tally = Tally()
    /// Failure descriptions, for --verbose.
    var failures: [String] = []
    /// Skipped commands by reason; and how many of them the skip list named.
    var skips: [String: Int] = [:]
    var listedSkips = 0
    /// Descriptions of the commands skipped, for --verbose.
    var skipped: [String] = []

    init(engine: Engine) throws {
        self.engine = engine
        store = Store(engine: engine)
        try defineSpectest(in: &linker, store: store)
    }

    mutating func run(_ commands: [WastCommand], file: String, skipList: inout SkipList) {
        for command in commands {
            let kind = command.kindName
            if let entry = skipList.match(path: file, line: command.line, kind: kind) {
                // A skipped module or instance does not exist: what follows cannot use it,
                // nor an older module in its place.
                switch command.kind {
                case .module(let m) where !m.isDefinition: current = nil
                case .moduleInstance: current = nil
                default: break
                }
                record(.skipped(entry.reason), kind: kind, file: file, line: command.line)
                listedSkips += 1
                continue
            }
            record(execute(command.kind), kind: kind, file: file, line: command.line)
        }
    }

    private mutating func record(_ outcome: Outcome, kind: String, file: String, line: Int) {
        switch outcome {
        case .passed:
            tally.record(kind, .passed)
        case .failed(let why):
            tally.record(kind, .failed)
            failures.append("\(file):\(line): \(kind): \(why)")
        case .skipped(let why):
            tally.record(kind, .skipped)
            skips[why, default: 0] += 1
            skipped.append("\(file):\(line): \(kind): \(why)")
        }
    }

    enum Outcome {
        case passed
        case failed(String)
        case skipped(String)
    }

    mutating func execute(_ kind: WastCommand.Kind) -> Outcome {
        switch kind {
        case .module(let m):
            let module: Module
            do {
                module = try compile(m)
            } catch {
                if !m.isDefinition { current = nil }
                return .failed("\(error)")
            }
            lastModule = module
            if let name = m.name { modules[name] = module }
            // A definition is only compiled; `(module instance ...)` instantiates it.
            if m.isDefinition { return .passed }
            return instantiate(module, as: m.name)
        case .moduleInstance(let instanceName, let moduleName):
            guard let module = moduleName.map({ modules[$0] }) ?? lastModule else {
                current = nil
                return .failed(moduleName.map { "unknown module $\($0)" } ?? "no module defined")
            }
            return instantiate(module, as: instanceName)
        case .register(let name, let module):
            guard let instance = module.map({ instances[$0] }) ?? current else {
                return .failed("no module to register")
            }
            linker.define(name, instance: instance)
            return .passed
        case .action(let action):
            switch perform(action) {
            case .success: return .passed
            case .failure(let error): return .failed("\(error)")
            }
        case .assertReturn(let action, let expected):
            switch perform(action) {
            case .success(let results):
                if let mismatch = compare(results, expected) { return .failed(mismatch) }
                return .passed
            case .failure(let error):
                return .failed("\(error)")
            }
        case .assertTrap(let action, let message), .assertExhaustion(let action, let message):
            switch perform(action) {
            case .success(let results): return .failed("expected trap '\(message)', got \(results)")
            case .failure(let error): return checkTrap(error, message)
            }
        case .assertModuleTrap(let m, let message):
            do {
                _ = try instantiate(m)
                return .failed("expected trap '\(message)', instantiation succeeded")
            } catch {
                return checkTrap(error, message)
            }
        case .assertInvalid(let m, let message):
            do {
                try decodeAndValidate(m)
                return .failed("expected invalid '\(message)', but it validated")
            } catch is ValidationError {
                return .passed
            } catch {
                return .failed("expected invalid '\(message)', got \(error)")
            }
        case .assertMalformed(let m, let message):
            do {
                try decodeAndValidate(m)
                return .failed("expected malformed '\(message)', but it decoded and validated")
            } catch is WATError {
                return .passed
            } catch is MalformedError {
                return .passed
            } catch {
                return .failed("expected malformed '\(message)', got \(error)")
            }
        case .assertUnlinkable(let m, let message):
            do {
                _ = try instantiate(m)
                return .failed("expected unlinkable '\(message)', instantiation succeeded")
            } catch is InstantiationError {
                return .passed
            } catch {
                return .failed("expected unlinkable '\(message)', got \(error)")
            }
        case .assertException(let action):
            switch perform(action) {
            case .success(let results): return .failed("expected an exception, got \(results)")
            case .failure(let error):
                if error is Exception { return .passed }
                return .failed("expected an exception, got \(error)")
            }
        case .assertMalformedCustom(let m, let message), .assertInvalidCustom(let m, let message):
            // Annotations are text: the compiler rejects a malformed or invalid one, with the
            // message the script expects (as the reference interpreter, by prefix).
            do {
                _ = try m.encode()
                return .failed("expected the annotation error '\(message)', but the module compiled")
            } catch {
                if error.message.hasPrefix(message) { return .passed }
                return .failed("expected the annotation error '\(message)', got '\(error.message)'")
            }
        }
    }

    /// Decodes and validates `m` without instantiating it (assert_invalid, assert_malformed).
    func decodeAndValidate(_ m: WastModule) throws {
        let features = engine.configuration.features
        _ = try validate(try parseModule(bytes: try m.encode(), features: features), features: features)
    }

    /// Decodes and validates a script module.
    func compile(_ m: WastModule) throws -> Module {
        try Module(engine: engine, bytes: try m.encode())
    }

    func instantiate(_ m: WastModule) throws -> Instance {
        try linker.instantiate(try compile(m), in: store)
    }

    /// Instantiates `module` as the current instance, named `name` if given.
    private mutating func instantiate(_ module: Module, as name: String?) -> Outcome {
        do {
            let instance = try linker.instantiate(module, in: store)
            current = instance
            if let name { instances[name] = instance }
            return .passed
        } catch {
            current = nil
            return .failed("\(error)")
        }
    }

    func perform(_ action: WastAction) -> Result<[Value], any Error> {
        switch action {
        case .invoke(let module, let name, let arguments):
            guard let instance = module.map({ instances[$0] }) ?? current else {
                return .failure(RunnerError("no module for invoke \(name)"))
            }
            guard let function = instance.function(name) else {
                return .failure(RunnerError("no exported function \(name)"))
            }
            return Result { try function.call(arguments.map(value(of:))) }
        case .get(let module, let name):
            guard let instance = module.map({ instances[$0] }) ?? current,
                  let global = instance.global(name)
            else { return .failure(RunnerError("no exported global \(name)")) }
            return .success([global.value])
        }
    }

    func checkTrap(_ error: any Error, _ message: String) -> Outcome {
        guard let trap = error as? Trap else { return .failed("expected trap '\(message)', got \(error)") }
        if trap.message.hasPrefix(message) || message.hasPrefix(trap.message) { return .passed }
        return .failed("expected trap '\(message)', got '\(trap.message)'")
    }
}

struct RunnerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension WastCommand {
    /// The command's head keyword, for the breakdown.
    var kindName: String {
        switch kind {
        case .module(let m):
            if m.isDefinition { return "module definition" }
            switch m.source {
            case .text: return "module"
            case .binary: return "module binary"
            case .quote: return "module quote"
            }
        case .moduleInstance: return "module instance"
        case .register: return "register"
        case .action: return "action"
        case .assertReturn: return "assert_return"
        case .assertTrap: return "assert_trap"
        case .assertModuleTrap: return "assert_trap (module)"
        case .assertExhaustion: return "assert_exhaustion"
        case .assertInvalid: return "assert_invalid"
        case .assertMalformed: return "assert_malformed"
        case .assertUnlinkable: return "assert_unlinkable"
        case .assertException: return "assert_exception"
        case .assertMalformedCustom: return "assert_malformed_custom"
        case .assertInvalidCustom: return "assert_invalid_custom"
        }
    }
}
