import FoundationEssentials

/// A bad `config.json`: the field (a path such as `linux.namespaces[2].type`) and what is wrong.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's path in the JSON document; empty when the document as a whole is bad.
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "config.json: \(message)" : "config.json: \(field): \(message)"
    }
}

/// An OCI bundle: a directory holding `config.json` and (usually) the `rootfs` directory.
public struct OCIBundle: Sendable {
    /// The bundle directory, absolute.
    public let path: String
    public let spec: OCISpec

    public init(path: String, spec: OCISpec) {
        self.path = path
        self.spec = spec
    }

    /// Reads and validates `<path>/config.json`.
    public static func load(path: String) throws -> OCIBundle {
        let configPath = path.hasSuffix("/") ? path + "config.json" : path + "/config.json"
        let bytes: [UInt8]
        do {
            bytes = try LinuxFile.readAll(configPath)
        } catch {
            throw ConfigError(field: "", "cannot read \(configPath): \(error.reason)")
        }
        return OCIBundle(path: path, spec: try decodeSpec(bytes))
    }

    /// Decodes and validates a `config.json` document.
    public static func decodeSpec(_ bytes: [UInt8]) throws(ConfigError) -> OCISpec {
        let spec: OCISpec
        do {
            spec = try JSONDecoder().decode(OCISpec.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ConfigError(decoding: error)
        } catch {
            throw ConfigError(field: "", "not a valid OCI spec: \(error)")
        }
        try spec.validate()
        return spec
    }

    /// The root file system's absolute path: `root.path`, relative to the bundle unless absolute.
    public var rootfsPath: String { Self.rootfsPath(of: spec, bundle: path) }

    public static func rootfsPath(of spec: OCISpec, bundle: String) -> String {
        let root = spec.root?.path ?? "rootfs"
        if root.hasPrefix("/") { return root }
        return bundle.hasSuffix("/") ? bundle + root : bundle + "/" + root
    }
}

extension OCISpec {
    /// The CRI annotation that marks a pod's sandbox (pause) container.
    public static let containerTypeAnnotation = "io.kubernetes.cri.container-type"

    /// True for the pod sandbox CRI sends to the shim: it only holds the pod's namespaces.
    public var isCRISandbox: Bool {
        annotations?[Self.containerTypeAnnotation] == "sandbox"
    }

    /// The namespace entry of `type` (`pid`, `network`, ...), if the spec lists one.
    public func namespace(_ type: String) -> Namespace? {
        linux?.namespaces?.first { $0.type == type }
    }
}

extension ConfigError {
    /// Names the field a decoding error points at, as `process.rlimits[0].hard`.
    init(decoding error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(field: Self.path(context.codingPath), "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(field: Self.path(context.codingPath), "expected \(Self.describe(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(field: Self.path(context.codingPath + [key]), "missing")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(field: "", "not valid JSON (\(context.debugDescription))")
            } else {
                self.init(field: Self.path(context.codingPath), context.debugDescription)
            }
        @unknown default:
            self.init(field: "", "\(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int64.Type, is UInt64.Type, is UInt32.Type, is Int.Type: return "a number"
        case is [String].Type: return "an array of strings"
        case is [String: String].Type: return "an object of strings"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "an array" : (name.hasPrefix("Dictionary") ? "an object" : "an object (\(name))")
        }
    }
}
