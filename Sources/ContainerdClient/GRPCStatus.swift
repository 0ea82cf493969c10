import NIOHPACK

/// The outcome gRPC reports in a response's trailers (or its only headers): `grpc-status` and
/// the percent-encoded `grpc-message`.
struct GRPCStatus: Equatable {
    /// gRPC's status codes the client tells apart.
    static let ok = 0, deadlineExceeded = 4, notFound = 5, unavailable = 14

    var code: Int
    var message: String

    /// The status in `headers`, or nil when they carry none.
    init?(_ headers: HPACKHeaders) {
        guard let text = headers.first(name: "grpc-status") else { return nil }
        code = Int(text) ?? 2  // UNKNOWN, for a value that is not a number
        message = Self.percentDecoded(headers.first(name: "grpc-message") ?? "")
    }

    init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// The error for a status other than OK.
    var error: ContainerdError? {
        switch code {
        case Self.ok: return nil
        case Self.notFound: return ContainerdError(.notFound, message)
        case Self.unavailable: return ContainerdError(.unavailable, message)
        default: return ContainerdError(.failed, "gRPC status \(code): \(message)")
        }
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
