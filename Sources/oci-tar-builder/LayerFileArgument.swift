import ArgumentParser

/// The value of `--file PATH_IN_LAYER=HOST_FILE`: which host file goes where in the layer.
struct LayerFileArgument: Equatable, Sendable {
    var layerPath: String
    var hostPath: String

    /// Splits at the first "=", so a host path may hold "=" but a layer path may not.
    init(parsing argument: String) throws {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex,
              argument.index(after: equals) != argument.endIndex else {
            throw ValidationError("expected PATH_IN_LAYER=HOST_FILE, both non-empty")
        }
        layerPath = String(argument[..<equals])
        hostPath = String(argument[argument.index(after: equals)...])
    }
}
