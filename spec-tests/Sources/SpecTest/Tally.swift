/// Counts of passed, failed and skipped commands, by command kind.
struct Tally {
    enum Result { case passed, failed, skipped }

    struct Counts {
        var passed = 0, failed = 0, skipped = 0

        mutating func add(_ other: Counts) {
            passed += other.passed
            failed += other.failed
            skipped += other.skipped
        }

        var line: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
    }

    private(set) var byKind: [String: Counts] = [:]

    mutating func record(_ kind: String, _ result: Result) {
        switch result {
        case .passed: byKind[kind, default: Counts()].passed += 1
        case .failed: byKind[kind, default: Counts()].failed += 1
        case .skipped: byKind[kind, default: Counts()].skipped += 1
        }
    }

    mutating func add(_ other: Tally) {
        for (kind, counts) in other.byKind { byKind[kind, default: Counts()].add(counts) }
    }

    var total: Counts {
        var t = Counts()
        for c in byKind.values { t.add(c) }
        return t
    }
}
