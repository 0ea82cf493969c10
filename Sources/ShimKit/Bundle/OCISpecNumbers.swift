/// Integer fields decoded with a precise error. JSONDecoder reports a number that does not fit
/// the field's type (a uid of -1, an errnoRet of 70000) as "not valid JSON" with no field at
/// all; these helpers name the field and the allowed range instead.
extension KeyedDecodingContainer {
    func decodeInteger<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if let value = try? decode(T.self, forKey: key) { return value }
        if let signed = try? decode(Int64.self, forKey: key) { throw outOfRange(String(signed), T.self, key) }
        if let unsigned = try? decode(UInt64.self, forKey: key) { throw outOfRange(String(unsigned), T.self, key) }
        if let real = try? decode(Double.self, forKey: key) {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(real) is not an integer")
        }
        return try decode(T.self, forKey: key)
    }

    func decodeIntegerIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeInteger(T.self, forKey: key)
    }

    /// An array of integers, each checked against the element type's range.
    func decodeIntegersIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> [T]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let values = try? decode([T].self, forKey: key) { return values }
        let wide = try decode([Int64].self, forKey: key)
        return try wide.map { value in
            guard let narrow = T(exactly: value) else { throw outOfRange(String(value), T.self, key) }
            return narrow
        }
    }

    private func outOfRange<T: FixedWidthInteger>(_ value: String, _ type: T.Type, _ key: Key) -> DecodingError {
        DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(value) is not in \(T.min)...\(T.max)")
    }
}
