import ArgumentParser

/// The command line. Every option takes the next argument as its value even when it starts
/// with "-" (`--entrypoint -c`), as the hand-written parser this replaces did.
@main
struct OCITarBuilder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oci-tar-builder",
        abstract: "Writes an OCI image-layout tarball for `ctr images import` or `docker load`.",
        discussion: """
            The image is named REPO/NAME:TAG. Give either --file (one ordinary tar layer) or \
            --module (wasm layers, or with --as-artifact the CNCF Wasm OCI Artifact). The same \
            inputs always give the same bytes.
            """)

    @Option(parsing: .unconditional, help: "The image name.")
    var name: String

    @Option(name: .customLong("repo"), parsing: .unconditional, help: "The repository the image name is in.")
    var repository = ""

    @Option(parsing: .unconditional, help: "The image tag.")
    var tag = "latest"

    @Option(name: [.customShort("o"), .long], parsing: .unconditional, help: "The tarball to write.")
    var output: String

    @Option(
        name: .customLong("file"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "Put host file HOST_FILE at PATH_IN_LAYER of one ordinary tar layer (repeatable).",
            valueName: "PATH_IN_LAYER=HOST_FILE"),
        transform: LayerFileArgument.init(parsing:))
    var files: [LayerFileArgument] = []

    @Option(
        name: .customLong("module"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp("Add FILE as a wasm layer (runwasi's wasm-layer image; repeatable).", valueName: "FILE"))
    var modules: [String] = []

    @Flag(help: "With one --module: write the CNCF Wasm OCI Artifact instead.")
    var asArtifact = false

    @Option(
        parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "Append ARG to config.Entrypoint (repeatable). Default: none for --file, NAME.wasm for --module.",
            valueName: "ARG"))
    var entrypoint: [String] = []

    @Option(parsing: .unconditional, help: "Config and platform os (default: wasip1; wasip2 for a component artifact).")
    var os: String?

    @Option(name: .customLong("arch"), parsing: .unconditional, help: "Config and platform architecture (default: wasm).")
    var architecture: String?

    func validate() throws {
        guard !name.isEmpty else { throw ValidationError("--name must not be empty") }
        guard !tag.isEmpty else { throw ValidationError("--tag must not be empty") }
        guard !output.isEmpty else { throw ValidationError("-o/--output must not be empty") }
        switch (files.isEmpty, modules.isEmpty) {
        case (true, true): throw ValidationError("nothing to put in the image: give --file or --module")
        case (false, false): throw ValidationError("--file and --module make different kinds of image: give one kind")
        default: break
        }
        if asArtifact && modules.count != 1 {
            throw ValidationError("--as-artifact takes exactly one --module")
        }
    }

    func run() throws {
        let image = try imageDescription()
        try HostFile.writeAtomically(output, try ImageLayout.tarball(for: image))
        print("wrote \(output): \(image.reference)")
    }

    /// Reads the inputs the options name and says what the image holds.
    func imageDescription() throws -> ImageDescription {
        let content: ImageContent
        var entrypoint: [String]? = entrypoint.isEmpty ? nil : entrypoint
        var os = os ?? "wasip1"
        if !files.isEmpty {
            content = .files(try files.map { file in
                let read = try HostFile.read(file.hostPath)
                return LayerFile(path: file.layerPath, contents: read.contents, mode: read.mode)
            })
        } else {
            let modules = try modules.map { try HostFile.read($0).contents }
            if asArtifact, let module = modules.first {
                content = .artifact(module)
                if self.os == nil && WasmBinary.isComponent(module) { os = "wasip2" }
            } else {
                content = .wasmLayers(modules)
                if entrypoint == nil { entrypoint = [name + ".wasm"] }
            }
        }
        return ImageDescription(
            repository: repository, name: name, tag: tag, os: os,
            architecture: architecture ?? "wasm", entrypoint: entrypoint, content: content)
    }
}
