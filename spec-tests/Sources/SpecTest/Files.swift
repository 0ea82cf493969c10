#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a file as UTF-8 text.
func readText(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n == 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return String(validating: bytes, as: UTF8.self)
}

/// The .wast files named by `paths`: files as given, folders searched (not recursively), sorted.
func wastFiles(_ paths: [String]) -> [String] {
    var result: [String] = []
    for path in paths {
        var info = stat()
        guard stat(path, &info) == 0 else {
            result.append(path)  // reported as unreadable later
            continue
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            guard let dir = opendir(path) else { continue }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name.hasSuffix(".wast") { names.append(name) }
            }
            closedir(dir)
            let base = path.hasSuffix("/") ? path : path + "/"
            result += names.sorted().map { base + $0 }
        } else {
            result.append(path)
        }
    }
    return result
}

func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// Whether `file` belongs to the Wasm 2.0 suite: it sits in a folder named `wasm-2.0`.
func isWasm2Suite(_ file: String) -> Bool {
    file.split(separator: "/").dropLast().contains("wasm-2.0")
}
