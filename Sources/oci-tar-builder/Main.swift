#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@main
enum Main {
    static func main() {
        let options: BuilderOptions
        do {
            options = try BuilderOptions.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            printError("oci-tar-builder: \(error)\n\n\(BuilderOptions.usage)")
            exit(2)
        }
        if options.help {
            print(BuilderOptions.usage)
            return
        }
        do {
            let image = try describeImage(options)
            try HostFile.writeAtomically(options.output, try ImageLayout.tarball(for: image))
            print("wrote \(options.output): \(image.reference)")
        } catch {
            printError("oci-tar-builder: \(error)")
            exit(1)
        }
    }

    /// Reads the inputs the options name and says what the image holds.
    static func describeImage(_ options: BuilderOptions) throws -> ImageDescription {
        let content: ImageContent
        var entrypoint: [String]? = options.entrypoint.isEmpty ? nil : options.entrypoint
        var os = options.os ?? "wasip1"
        if !options.files.isEmpty {
            content = .files(try options.files.map { pair in
                let file = try HostFile.read(pair.hostPath)
                return LayerFile(path: pair.layerPath, contents: file.contents, mode: file.mode)
            })
        } else {
            let modules = try options.modules.map { try HostFile.read($0).contents }
            if options.asArtifact, let module = modules.first {
                content = .artifact(module)
                if options.os == nil && WasmBinary.isComponent(module) { os = "wasip2" }
            } else {
                content = .wasmLayers(modules)
                if entrypoint == nil { entrypoint = [options.name + ".wasm"] }
            }
        }
        return ImageDescription(
            repository: options.repository, name: options.name, tag: options.tag, os: os,
            architecture: options.architecture ?? "wasm", entrypoint: entrypoint, content: content)
    }
}

/// Tells a core module from a component by the preamble's version and layer fields.
enum WasmBinary {
    static func isComponent(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0..<4].elementsEqual([0x00, 0x61, 0x73, 0x6D])
            && bytes[6..<8].elementsEqual([0x01, 0x00])
    }
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
