import Glibc
import ShimKit
import Testing

@testable import ShimWasm

/// A second engine, to show the protocol is not Swim's alone: it "runs" a text module of the
/// form `exit N` by returning N.
struct ExitCodeEngine: WasmEngine {
    static let name = "exitcode"

    func canHandle(_ context: RuntimeContext) throws {
        let text = String(decoding: try context.entrypoint.moduleBytes(), as: UTF8.self)
        guard text.hasPrefix("exit ") else { throw ShimWasmError("not an exit-code module") }
    }

    func prepare(_ context: RuntimeContext) throws -> Int32 {
        let text = String(decoding: try context.entrypoint.moduleBytes(), as: UTF8.self)
        guard let code = Int32(text.dropFirst(5).trimmingPrefix(" ").prefix { $0.isNumber }) else {
            throw ShimWasmError("bad exit code")
        }
        return code
    }

    var allowedSyscalls: [AllowedSyscall] { [] }

    func run(_ prepared: Int32) throws -> Int32 { prepared }
}

/// The default engine behaviour: it only checks the module's format.
struct FormatOnlyEngine: WasmEngine {
    static let name = "format"
    func prepare(_ context: RuntimeContext) throws {}
    var allowedSyscalls: [AllowedSyscall] { [] }
    func run(_ prepared: Void) throws -> Int32 { 0 }
}

@Suite struct EngineTests {
    /// A scratch directory with the given files.
    private func directory(_ files: [String: [UInt8]]) throws -> String {
        var template = Array("/tmp/shimwasm-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ShimWasmError("mkdtemp failed") }
        let path = String(cString: made)
        for (name, bytes) in files {
            let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        return path
    }

    private func spec(args: [String], env: [String] = [], cwd: String = "/") throws -> OCISpec {
        let json = """
            {"ociVersion": "1.0.2", "process": {"args": [\(args.map { "\"\($0)\"" }.joined(separator: ","))],
             "env": [\(env.map { "\"\($0)\"" }.joined(separator: ","))], "cwd": "\(cwd)"}, "root": {"path": "rootfs"},
             "linux": {"namespaces": [{"type": "mount"}]}}
            """
        return try OCIBundle.decodeSpec(Array(json.utf8))
    }

    @Test func entrypointsSplitTheFunctionAndResolveThePath() throws {
        let dir = try directory(["app.wasm": [0, 0x61, 0x73, 0x6D]])
        var e = Entrypoint(arg0: "/app/app.wasm#entry", cwd: "/", path: [])
        #expect(e.function == "entry" && e.name == "app" && e.path == "/app/app.wasm")
        e = Entrypoint(arg0: "app.wasm", cwd: "/elsewhere", path: ["/nope", dir])
        #expect(e.function == "_start" && e.path == dir + "/app.wasm")
        e = Entrypoint(arg0: "sub/app.wasm", cwd: "/work", path: [dir])
        #expect(e.path == "/work/sub/app.wasm")
        e = Entrypoint(arg0: "#init", cwd: "/", path: [])
        #expect(e.function == "init" && e.path.isEmpty)
        #expect(throws: ShimWasmError.self) { _ = try e.moduleBytes() }
    }

    @Test func aSecondEnginePlugsIn() throws {
        let dir = try directory(["job.txt": Array("exit 7".utf8)])
        var payload = WasmPayload<ExitCodeEngine>()
        let context = ContainerContext(id: "c", bundle: "/b", spec: try spec(args: [dir + "/job.txt"]),
                                       memoryLimitBytes: nil, isPIDNamespaceInit: false)
        try payload.prepare(context)
        #expect(payload.run() == 7)

        let wasm = try directory(["m.wasm": [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]])
        var refused = WasmPayload<ExitCodeEngine>()
        let other = ContainerContext(id: "c", bundle: "/b", spec: try spec(args: [wasm + "/m.wasm"]),
                                     memoryLimitBytes: nil, isPIDNamespaceInit: false)
        #expect(throws: ShimWasmError.self) { try refused.prepare(other) }
    }

    @Test func byDefaultEnginesTakeWasmAndWatOnly() throws {
        let dir = try directory([
            "a.wasm": [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0],
            "b.wat": Array("(module (func (export \"_start\")))".utf8),
            "c.sh": Array("#!/bin/sh\necho hi\n".utf8),
        ])
        let engine = FormatOnlyEngine()
        for (file, accepted) in [("a.wasm", true), ("b.wat", true), ("c.sh", false)] {
            let context = try RuntimeContext(spec: spec(args: [dir + "/" + file]), id: "c", memoryLimitBytes: nil)
            if accepted {
                try engine.canHandle(context)
            } else {
                #expect(throws: ShimWasmError.self) { try engine.canHandle(context) }
            }
        }
        // A spec without args is refused already when config.json is read.
        #expect(throws: ConfigError.self) { _ = try spec(args: []) }
    }
}
