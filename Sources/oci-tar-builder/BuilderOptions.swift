/// The command line, parsed by hand (an argument-parsing package would bring Foundation).
struct BuilderOptions: Sendable {
    var name = ""
    var repository = ""
    var tag = "latest"
    var output = ""
    /// `PATH_IN_LAYER=HOST_FILE` pairs for an ordinary tar layer.
    var files: [(layerPath: String, hostPath: String)] = []
    var modules: [String] = []
    var entrypoint: [String] = []
    var asArtifact = false
    var os: String?
    var architecture: String?
    var help = false

    static let usage = """
        USAGE: oci-tar-builder --name NAME --repo REPO [--tag TAG] -o OUT.tar
                               (--file PATH_IN_LAYER=HOST_FILE... | --module FILE... [--as-artifact])
                               [--entrypoint ARG]... [--os OS] [--arch ARCH]

        Writes an OCI image-layout tarball for `ctr images import` or `docker load`, named
        REPO/NAME:TAG. The same inputs always give the same bytes.

        OPTIONS:
          --file P=H        Put host file H at path P of one ordinary tar layer (repeatable).
          --module FILE     Add FILE as a wasm layer (runwasi's wasm-layer image; repeatable).
          --as-artifact     With one --module: write the CNCF Wasm OCI Artifact instead.
          --entrypoint ARG  Append ARG to config.Entrypoint (repeatable). Default: none for
                            --file, NAME.wasm for --module.
          --os OS           Config and platform os (default wasip1; wasip2 for a component artifact).
          --arch ARCH       Config and platform architecture (default wasm).
          --tag TAG         Default: latest.
          -o, --output OUT  The tarball to write.
          -h, --help        Show this help.
        """

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses the arguments (without the program name). `--opt value` and `--opt=value` both work.
    static func parse(_ arguments: [String]) throws -> BuilderOptions {
        var options = BuilderOptions()
        var index = 0
        func value(for option: String, inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(option) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            var option = argument
            var inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                option = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            switch option {
            case "--name": options.name = try value(for: option, inline: inline)
            case "--repo": options.repository = try value(for: option, inline: inline)
            case "--tag": options.tag = try value(for: option, inline: inline)
            case "-o", "--output": options.output = try value(for: option, inline: inline)
            case "--module": options.modules.append(try value(for: option, inline: inline))
            case "--entrypoint": options.entrypoint.append(try value(for: option, inline: inline))
            case "--os": options.os = try value(for: option, inline: inline)
            case "--arch": options.architecture = try value(for: option, inline: inline)
            case "--as-artifact": options.asArtifact = true
            case "-h", "--help": options.help = true
            case "--file":
                let pair = try value(for: option, inline: inline)
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex,
                      pair.index(after: equals) != pair.endIndex else {
                    throw UsageError(description: "--file takes PATH_IN_LAYER=HOST_FILE, got \"\(pair)\"")
                }
                options.files.append((String(pair[..<equals]), String(pair[pair.index(after: equals)...])))
            default:
                throw UsageError(description: "unknown argument \"\(argument)\"")
            }
            index += 1
        }
        if options.help { return options }
        guard !options.name.isEmpty else { throw UsageError(description: "--name is required") }
        guard !options.tag.isEmpty else { throw UsageError(description: "--tag must not be empty") }
        guard !options.output.isEmpty else { throw UsageError(description: "-o OUT.tar is required") }
        switch (options.files.isEmpty, options.modules.isEmpty) {
        case (true, true): throw UsageError(description: "nothing to put in the image: give --file or --module")
        case (false, false): throw UsageError(description: "--file and --module make different kinds of image: give one kind")
        default: break
        }
        if options.asArtifact && options.modules.count != 1 {
            throw UsageError(description: "--as-artifact takes exactly one --module")
        }
        return options
    }
}
