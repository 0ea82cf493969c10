import SwimTypes

/// `swim run -W NAME[=y|n][,NAME[=y|n]...]`: turns WebAssembly proposals on or off by the names
/// wasmtime's `-W` takes (`-W relaxed-simd=n`, `-W tail-call`). Names Swim has no flag for are
/// errors, except wasmtime's proposals that Swim does not implement: those can be turned off
/// (they are), not on.
struct WasmOptions {
    /// The settings given, by name; the last one of a name wins, as in wasmtime.
    private(set) var settings: [String: Bool] = [:]

    /// wasmtime's proposals that Swim does not implement yet.
    static let unimplemented: Set<String> = [
        "gc", "threads", "shared-memory", "shared-everything-threads",
        "stack-switching", "custom-page-sizes", "wide-arithmetic", "branch-hinting", "component-model",
    ]
    /// Swim's relaxed SIMD always gives the deterministic profile's results, so this wasmtime
    /// option changes nothing either way.
    static let relaxedSIMDDeterministic = "relaxed-simd-deterministic"
    /// Sets every proposal that is not named on its own (as wasmtime's `all-proposals`).
    static let allProposals = "all-proposals"

    /// Reads one `-W` argument: comma-separated `NAME`, `NAME=y` or `NAME=n`.
    mutating func add(_ argument: String) throws(CLIError) {
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let enable: Bool
            switch parts.count > 1 ? String(parts[1]) : "y" {
            case "y", "yes", "true": enable = true
            case "n", "no", "false": enable = false
            case let value: throw CLIError("-W \(name)=\(value): expected y or n")
            }
            if WasmFeatures(proposalName: name) == nil && name != Self.allProposals
                && name != Self.relaxedSIMDDeterministic {
                if Self.unimplemented.contains(name) {
                    if enable { throw CLIError("-W \(name): swim does not implement the \(name) proposal yet") }
                } else {
                    throw CLIError("unknown -W option `\(name)`; swim takes: \(Self.knownNames.joined(separator: ", "))")
                }
            }
            settings[name] = enable
        }
    }

    static var knownNames: [String] {
        WasmFeatures.proposalNames.map(\.name) + [allProposals, relaxedSIMDDeterministic]
    }

    /// `base` with the settings applied; `all-proposals` sets those in `supported` (the ones the
    /// engine runs). Relaxed SIMD builds on SIMD: when SIMD is off it is off too, and asking for
    /// relaxed SIMD without SIMD is an error.
    func features(from base: WasmFeatures, supported: WasmFeatures) throws(CLIError) -> WasmFeatures {
        var features = base
        for (name, feature) in WasmFeatures.proposalNames {
            let all = supported.contains(feature) ? settings[Self.allProposals] : nil
            guard let enable = settings[name] ?? all else { continue }
            if enable { features.insert(feature) } else { features.remove(feature) }
        }
        if features.contains(.relaxedSimd) && !features.contains(.simd) {
            if settings["relaxed-simd"] == true { throw CLIError("-W relaxed-simd needs -W simd") }
            features.remove(.relaxedSimd)
        }
        return features
    }
}
