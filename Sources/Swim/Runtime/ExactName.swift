/// A wasm name as a dictionary key. Names match byte for byte; Swift's `String`
/// equality would treat canonically equivalent names ("Å" and "A\u{30A}") as equal.
struct ExactName: Hashable {
    let utf8: [UInt8]

    init(_ name: String) {
        utf8 = Array(name.utf8)
    }

    var string: String { String(decoding: utf8, as: UTF8.self) }
}
