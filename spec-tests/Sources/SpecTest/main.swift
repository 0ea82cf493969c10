#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Swim
import SwimTypes
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

// The wasm-2.0 suite runs with Wasm 2.0's features: some of its modules are invalid in 2.0 but
// valid in 3.0 (a global read by a later global or a segment, several memories...).
var wasm2Configuration = Engine.Configuration()
wasm2Configuration.features = .wasm2
let engines = (wasm2: Engine(configuration: wasm2Configuration), default: Engine())
var total = Tally()
var skipReasons: [String: Int] = [:]
var unreadable = 0
for file in wastFiles(paths) {
    guard let text = readText(file) else {
        print("\(file): cannot read")
        unreadable += 1
        continue
    }
    let engine = isWasm2Suite(file) ? engines.wasm2 : engines.default
    let commands: [WastCommand]
    do {
        commands = try parseWast(text, features: engine.configuration.features)
    } catch {
        print("\(file): cannot parse script: \(error)")
        unreadable += 1
        continue
    }
    do {
        var runner = try ScriptRunner(engine: engine)
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
