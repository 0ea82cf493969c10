/// Commands to skip, named one by one in a tab-separated file (spec-tests/skip-gc.tsv):
///
///     # comment
///     main/ref_null.wast	1	module	needs GC
///     main/struct.wast	*	*	needs GC
///
/// Columns: the script's path under the suite's root, the line its command starts on, the
/// command's kind (as the runner names it) and the reason; `*` `*` names every command of the
/// script. A path matches a script whose path ends with `/` + it. Every entry must name
/// exactly one command of its script, of the kind given (a `*` entry: at least one): the
/// runner reports entries that match nothing, so the list cannot go stale.
struct SkipList {
    struct Entry: Hashable {
        var file: String
        /// nil: every command of the script.
        var line: Int?
        var kind: String
        var reason: String
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var entries: [Entry] = []
    /// The entries of each script, by line.
    private var byFile: [String: [Int: Int]] = [:]
    /// Which entries matched a command.
    private var used: [Bool] = []

    init() {}

    init(text: String, source: String) throws(FormatError) {
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let wholeScript = columns.count == 4 && columns[1] == "*" && columns[2] == "*"
            guard columns.count == 4, wholeScript || (Int(columns[1]) ?? 0) > 0,
                  !columns[0].isEmpty, !columns[2].isEmpty, !columns[3].isEmpty
            else {
                throw FormatError(description: "\(source):\(lineNumber): expected file, line, command and reason, separated by tabs")
            }
            let entry = Entry(file: columns[0], line: wholeScript ? nil : Int(columns[1]), kind: columns[2], reason: columns[3])
            let key = entry.line ?? 0
            guard byFile[entry.file]?[key] == nil else {
                throw FormatError(description: "\(source):\(lineNumber): \(entry.file):\(columns[1]) is listed twice")
            }
            byFile[entry.file, default: [:]][key] = entries.count
            entries.append(entry)
            used.append(false)
        }
    }

    /// The keys of `byFile` that name the script at `path`.
    private func keys(for path: String) -> [String] {
        byFile.keys.filter { path == $0 || path.hasSuffix("/" + $0) }
    }

    /// The entry for the command of `kind` starting at `line` of the script at `path`, if
    /// listed; marks it used. An entry whose kind differs does not match (and stays unused).
    mutating func match(path: String, line: Int, kind: String) -> Entry? {
        for key in keys(for: path) {
            // Line 0 holds a whole-script entry.
            let index = byFile[key]?[0] ?? byFile[key]?[line]
            guard let index, entries[index].line == nil || entries[index].kind == kind else { continue }
            used[index] = true
            return entries[index]
        }
        return nil
    }

    /// The entries of the scripts at `paths` that matched no command.
    func unused(inScripts paths: [String]) -> [Entry] {
        var result: [Entry] = []
        for path in paths {
            for key in keys(for: path) {
                for index in byFile[key, default: [:]].values.sorted() where !used[index] {
                    result.append(entries[index])
                }
            }
        }
        return result
    }
}
