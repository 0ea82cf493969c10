/// Formats log lines in logfmt, the way containerd's own shims (logrus' text formatter) write
/// them: `time="2026-11-29T18:00:00.000000000Z" level=info msg="starting" id=abc`.
public enum Logfmt {
    /// One line, newline included: time, level, msg, then the fields sorted by key.
    public static func line(
        time: (seconds: Int64, nanoseconds: Int32), level: String, message: String,
        fields: [(key: String, value: String)] = []
    ) -> String {
        var line = "time=\"\(timestamp(seconds: time.seconds, nanoseconds: time.nanoseconds))\" level=\(level) msg="
        line += value(message)
        for field in fields.sorted(by: { $0.key < $1.key }) {
            line += " \(key(field.key))=\(value(field.value))"
        }
        line += "\n"
        return line
    }

    /// A value as logfmt writes it: bare when it is a non-empty run of `A-Za-z0-9-._/@^+`,
    /// otherwise double-quoted with Go-style escapes.
    public static func value(_ text: String) -> String {
        needsQuoting(text) ? quoted(text) : text
    }

    /// A key; logfmt keys cannot hold spaces, quotes or '=', so those become '_'.
    static func key(_ text: String) -> String {
        guard !text.isEmpty else { return "_" }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "=", "\"", "\t", "\n", "\r": result += "_"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { result += "_" } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    static func needsQuoting(_ text: String) -> Bool {
        if text.isEmpty { return true }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "/"),
                UInt8(ascii: "@"), UInt8(ascii: "^"), UInt8(ascii: "+"):
                continue
            default:
                return true
            }
        }
        return false
    }

    /// Double-quotes `text`, escaping quotes, backslashes and control characters (Go's %q
    /// style); printable non-ASCII characters stay as they are.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{07}": result += "\\a"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\u{0B}": result += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + hex(UInt8(truncatingIfNeeded: scalar.value))
                } else if (0x80...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    result += "\\u" + hex(UInt8(truncatingIfNeeded: scalar.value >> 8)) + hex(UInt8(truncatingIfNeeded: scalar.value))
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result += "\""
        return result
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// RFC 3339 in UTC with nine fractional digits, e.g. 2026-11-29T18:00:00.000000000Z.
    public static func timestamp(seconds: Int64, nanoseconds: Int32) -> String {
        // Clamped to years 0000...9999 so the arithmetic below cannot overflow.
        let seconds = min(max(seconds, -62_167_219_200), 253_402_300_799)
        // Days and seconds of day, flooring so times before 1970 stay correct.
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let nanos = min(max(Int64(nanoseconds), 0), 999_999_999)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
            + "." + pad(nanos, 9) + "Z"
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (the days-from-civil
    /// inverse: eras of 400 years, years starting in March so leap days come last).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ number: Int64, _ width: Int) -> String {
        let digits = String(number.magnitude)
        let sign = number < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
