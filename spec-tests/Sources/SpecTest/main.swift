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
///     spec-test [--verbose] [--skip LIST] [--require FOLDER]... FILE_OR_FOLDER...
///
/// Prints one line per file, the totals of each argument (with more than one), a breakdown
/// by command kind, the skipped commands with their reasons, and last
/// `N passed, N failed, N skipped`.
///
/// `--skip LIST` skips the commands a skip list names (see `SkipList`), each counted as
/// skipped with its reason. Exit status 1 when something failed or a file could not be run,
/// or when the skip list names a command that does not exist. With `--require`, only the
/// arguments named by it decide the status: each must have no failures, no unreadable files
/// and no skips other than the skip list's.

let usage = "usage: spec-test [--verbose] [--skip LIST] [--require FOLDER]... FILE_OR_FOLDER..."
var verbose = false
var paths: [String] = []
var required: [String] = []
var skipList = SkipList()
var arguments = CommandLine.arguments.dropFirst()[...]
while let argument = arguments.popFirst() {
    switch argument {
    case "--verbose", "-v": verbose = true
    case "--help", "-h":
        print(usage)
        exit(0)
    case "--skip", "--require":
        guard let value = arguments.popFirst() else {
            writeStandardError("\(argument) needs a value\n\(usage)\n")
            exit(2)
        }
        if argument == "--require" {
            required.append(value)
            continue
        }
        guard let text = readText(value) else {
            writeStandardError("cannot read the skip list \(value)\n")
            exit(2)
        }
        do {
            skipList = try SkipList(text: text, source: value)
        } catch {
            writeStandardError("\(error)\n")
            exit(2)
        }
    default: paths.append(argument)
    }
}
if paths.isEmpty {
    writeStandardError(usage + "\n")
    exit(2)
}
for folder in required where !paths.contains(folder) {
    writeStandardError("--require \(folder): not among the files and folders to run\n")
    exit(2)
}

/// The outcome of one argument: a file, or a folder of scripts.
struct PathResult {
    var tally = Tally()
    var unreadable = 0
    /// Skips the skip list did not name.
    var unlistedSkips = 0

    /// Whether the argument passes as a required one.
    var isClean: Bool { tally.total.failed == 0 && unreadable == 0 && unlistedSkips == 0 }
}

// The wasm-2.0 suite runs with Wasm 2.0's features: some of its modules are invalid in 2.0 but
// valid in 3.0 (a global read by a later global or a segment, several memories...).
var wasm2Configuration = Engine.Configuration()
wasm2Configuration.features = .wasm2
let engines = (wasm2: Engine(configuration: wasm2Configuration), default: Engine())
var total = Tally()
var results: [PathResult] = []
var skipReasons: [String: Int] = [:]
var unreadable = 0
var scripts: [String] = []
for path in paths {
    var result = PathResult()
    for file in wastFiles([path]) {
        scripts.append(file)
        guard let text = readText(file) else {
            print("\(file): cannot read")
            result.unreadable += 1
            continue
        }
        let engine = isWasm2Suite(file) ? engines.wasm2 : engines.default
        let commands: [WastCommand]
        do {
            commands = try parseWast(text, features: engine.configuration.features)
        } catch {
            print("\(file): cannot parse script: \(error)")
            result.unreadable += 1
            continue
        }
        do {
            var runner = try ScriptRunner(engine: engine)
            runner.run(commands, file: file, skipList: &skipList)
            print("\(file): \(runner.tally.total.line)")
            if verbose {
                for f in runner.failures { print("  FAIL \(f)") }
                for s in runner.skipped { print("  SKIP \(s)") }
            }
            result.tally.add(runner.tally)
            result.unlistedSkips += runner.tally.total.skipped - runner.listedSkips
            for (reason, n) in runner.skips { skipReasons[reason, default: 0] += n }
        } catch {
            print("\(file): cannot set up the spectest module: \(error)")
            result.unreadable += 1
        }
    }
    total.add(result.tally)
    unreadable += result.unreadable
    results.append(result)
}

if paths.count > 1 {
    print("\nBy folder:")
    for (path, result) in zip(paths, results) {
        let note = result.unreadable > 0 ? " (\(result.unreadable) files could not be run)" : ""
        print("  \(path): \(result.tally.total.line)\(note)")
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
let stale = skipList.unused(inScripts: scripts)
if !stale.isEmpty {
    print("\nThe skip list names \(stale.count) commands that do not exist:")
    for entry in stale { print("  \(entry.file):\(entry.line.map(String.init) ?? "*"): \(entry.kind)") }
}
if unreadable > 0 { print("\n\(unreadable) files could not be run") }
let t = total.total
print("\n\(t.passed) passed, \(t.failed) failed, \(t.skipped) skipped")

var succeeded = stale.isEmpty
if required.isEmpty {
    succeeded = succeeded && t.failed == 0 && unreadable == 0
} else {
    for (path, result) in zip(paths, results) where required.contains(path) && !result.isClean {
        writeStandardError("required \(path): \(result.tally.total.line), "
            + "\(result.unreadable) unreadable, \(result.unlistedSkips) skipped outside the skip list\n")
        succeeded = false
    }
}
exit(succeeded ? 0 : 1)
