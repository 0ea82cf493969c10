#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Swim
import SwimWAT

/// spec-test: runs official WebAssembly `.wast` scripts through Swim's own text parser,
/// decoder, validator and interpreter.
///
///     spec-test [--verbose] [--proposals] FILE_OR_FOLDER...
///
/// Prints one line per file, a breakdown by command kind, the skipped commands with
/// their reasons, and last `N passed, N failed, N skipped`. Exits 1 if anything failed.

var verbose = false
var paths: [String] = []
for argument in CommandLine.arguments.dropFirst() {
    switch argument {
    case "--verbose", "-v": verbose = true
    case "--help", "-h":
        print("usage: spec-test [--verbose] FILE_OR_FOLDER...")
        exit(0)
    default: paths.append(argument)
    }
}
if paths.isEmpty {
    writeStandardError("usage: spec-test [--verbose] FILE_OR_FOLDER...\n")
    exit(2)
}

/// Scripts of the Wasm 2.0 suite run with the 2.0 features: some of their modules are
/// malformed or invalid in 2.0 but valid in 3.0 (several memories, memarg memory indices,
/// u64 limits). Every other script runs with the default (3.0) features.
let engine = Engine()
let engine2: Engine = {
    var configuration = Engine.Configuration()
    configuration.features = .wasm2
    return Engine(configuration: configuration)
}()
func isWasm2Script(_ file: String) -> Bool {
    file.split(separator: "/").contains("wasm-2.0")
}
var total = Tally()
var skipReasons: [String: Int] = [:]
var unreadable = 0
for file in wastFiles(paths) {
    guard let text = readText(file) else {
        print("\(file): cannot read")
        unreadable += 1
        continue
    }
    let commands: [WastCommand]
    do {
        commands = try parseWast(text, features: isWasm2Script(file) ? engine2.configuration.features : engine.configuration.features)
    } catch {
        print("\(file): cannot parse script: \(error)")
        unreadable += 1
        continue
    }
    do {
        var runner = try ScriptRunner(engine: isWasm2Script(file) ? engine2 : engine)
        runner.run(commands, file: file)
        print("\(file): \(runner.tally.total.line)")
        if verbose { for f in runner.failures { print("  FAIL \(f)") } }
        total.add(runner.tally)
        for (reason, n) in runner.skips { skipReasons[reason, default: 0] += n }
    } catch {
        print("\(file): cannot set up the spectest module: \(error)")
        unreadable += 1
    }
}

print("\nBy command:")
for (kind, counts) in total.byKind.sorted(by: { $0.key < $1.key }) {
    print("  \(kind): \(counts.line)")
}
if !skipReasons.isEmpty {
    print("\nSkipped:")
    for (reason, n) in skipReasons.sorted(by: { $0.key < $1.key }) { print("  \(n) \(reason)") }
}
if unreadable > 0 { print("\n\(unreadable) files could not be run") }
let t = total.total
print("\n\(t.passed) passed, \(t.failed) failed, \(t.skipped) skipped")
exit(t.failed > 0 || unreadable > 0 ? 1 : 0)
