import Glibc
import ShimKit
import SwimWAT

/// What an engine needs to know about its container (runwasi's `RuntimeContext`), seen from
/// inside the container: paths are in its root file system.
public struct RuntimeContext: Sendable {
    /// `process.args`, all of them: argv[0] included (with its `#func` suffix, if any).
    public var args: [String]
    /// `process.env` as `KEY=VALUE`.
    public var envs: [String]
    /// `process.cwd`.
    public var cwd: String
    public var entrypoint: Entrypoint
    /// Where the module comes from: the image's wasm layer when it has one, else the file
    /// `args[0]` names.
    public var source: ModuleSource
    /// The cgroup's memory limit in force, if any: linear memory must stay below it.
    public var memoryLimitBytes: UInt64?
    /// The container id.
    public var id: String

    /// - Parameter layer: the module from the image's wasm layer, if it has one; `args[0]`
    ///   then only selects the function (`#func`).
    public init(spec: OCISpec, id: String, memoryLimitBytes: UInt64?, layer: [UInt8]? = nil) throws {
        let process = spec.process
        args = process?.args ?? []
        envs = process?.env ?? []
        cwd = process?.cwd ?? "/"
        self.id = id
        self.memoryLimitBytes = memoryLimitBytes
        guard let arg0 = args.first ?? (layer == nil ? nil : "") else {
            throw ShimWasmError("process.args is empty: nothing to run")
        }
        entrypoint = Entrypoint(arg0: arg0, cwd: cwd, path: Self.searchPath(envs))
        source = layer.map { .layer($0) } ?? .file(entrypoint.path)
    }

    /// The module's bytes, from its source.
    public func moduleBytes() throws -> [UInt8] {
        switch source {
        case .file: return try entrypoint.moduleBytes()
        case .layer(let bytes): return bytes
        }
    }

    /// The module's binary: the bytes, or WebAssembly text compiled.
    public func wasmBinary() throws -> [UInt8] {
        do {
            return try SwimWAT.wasmBinary(fromBinaryOrText: moduleBytes())
        } catch ModuleFileError.neitherBinaryNorText {
            throw ShimWasmError("\(moduleName) is neither a wasm module nor WebAssembly text")
        } catch ModuleFileError.invalidText(let error) {
            throw ShimWasmError("\(moduleName) is neither a wasm module nor valid WebAssembly text: \(error)")
        }
    }

    /// The module as error messages name it.
    public var moduleName: String {
        switch source {
        case .file(let path): return path
        case .layer: return "the image's wasm layer"
        }
    }

    private static func searchPath(_ envs: [String]) -> [String] {
        let value = envs.last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? "/usr/local/bin:/usr/bin:/bin"
        return value.split(separator: ":").map(String.init)
    }
}

/// Where a container's module comes from (runwasi's `Source`).
public enum ModuleSource: Sendable, Equatable {
    /// A file in the container's root file system (`args[0]`, resolved).
    case file(String)
    /// The image's wasm layer, read by the shim daemon from containerd's content store.
    case layer([UInt8])
}

/// The module to run and the function to call: `args[0]` as `path[#func]`.
public struct Entrypoint: Sendable, Equatable {
    /// The exported function to call (`_start` by default).
    public var function: String
    /// The module's file name without extension (`app` for `/app/app.wasm#entry`), if any.
    public var name: String?
    /// The module file, resolved: `args[0]` with a `/` is relative to the cwd; a bare name is
    /// looked up in PATH, then in the cwd.
    public var path: String

    public init(arg0: String, cwd: String, path searchPath: [String]) {
        let parts = arg0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let file = String(parts.first ?? "")
        function = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "_start"
        let base = file.split(separator: "/").last.map(String.init)
        name = base.map { $0.split(separator: ".").first.map(String.init) ?? $0 }
        if file.isEmpty {
            path = ""
        } else if file.contains("/") {
            path = file.hasPrefix("/") ? file : Self.join(cwd, file)
        } else {
            let candidates = searchPath.map { Self.join($0, file) } + [Self.join(cwd, file)]
            path = candidates.first { access($0, F_OK) == 0 } ?? Self.join(cwd, file)
        }
    }

    private static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }

    /// The module file's bytes.
    public func moduleBytes() throws -> [UInt8] {
        guard !path.isEmpty else { throw ShimWasmError("no module: process.args[0] names no file") }
        // Non-blocking, and regular files only: a fifo planted in the image must not hang Create.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw ShimWasmError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ShimWasmError("\(path) is not a regular file")
        }
        do {
            return try LinuxFile.readAll(fd: fd, path: path)
        } catch {
            throw ShimWasmError("cannot read \(path): \(error.reason)")
        }
    }
}
