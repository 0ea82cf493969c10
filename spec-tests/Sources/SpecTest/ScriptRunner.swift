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
    var instances: [String: Instance] = [:]
    var current: Instance?
    var tally = Tally()
    /// Failure descriptions, for --verbose.
    var failures: [String] = []
    var skips: [String: Int] = [:]

    init(engine: Engine) throws {
        self.engine = engine
        store = Store(engine: engine)
        try defineSpectest(in: &linker, store: store)
    }

    mutating func run(_ commands: [WastCommand], file: String) {
        for command in commands {
            let kind = command.kindName
            switch execute(command.kind) {
            case .passed:
                tally.record(kind, .passed)
            case .failed(let why):
                tally.record(kind, .failed)
                failures.append("\(file):\(command.line): \(kind): \(why)")
            case .skipped(let why):
                tally.record(kind, .skipped)
                skips[why, default: 0] += 1
            }
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
            if m.isDefinition { return .skipped("module definitions (Wasm 3.0 scripts)") }
            do {
                let instance = try instantiate(m)
                current = instance
                if let name = m.name { instances[name] = instance }
                return .passed
            } catch {
                current = nil
                return .failed("\(error)")
            }
        case .moduleInstance:
            return .skipped("module instances (Wasm 3.0 scripts)")
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
        case .assertMalformedCustom, .assertInvalidCustom:
            return .skipped("custom-section annotations (Wasm 3.0)")
        }
    }

    /// Decodes and validates `m` without instantiating it (assert_invalid, assert_malformed).
    func decodeAndValidate(_ m: WastModule) throws {
        let features = engine.configuration.features
        _ = try validate(try parseModule(bytes: try m.encode(), features: features), features: features)
    }

    func instantiate(_ m: WastModule) throws -> Instance {
        let module = try Module(engine: engine, bytes: try m.encode())
        return try linker.instantiate(module, in: store)
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
