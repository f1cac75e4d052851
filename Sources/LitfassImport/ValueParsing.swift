import Foundation
import LitfassGeo

/// A number read from one cell.
enum ParsedNumber: Equatable {
    /// The cell is empty (or "-", "n/a").
    case missing
    /// A number, with the unit written after it in the cell, if any ("25 m", "43 dBm", "10 W").
    case value(Double, HeaderUnit?)
    /// Text that is not a number.
    case invalid
}

/// Reads numbers the way carriers' spreadsheets write them: decimal point or comma, thousands
/// separators, a unit after the number.
enum NumberReader {
    private static let missingWords: Set<String> = ["", "-", "--", "n/a", "na", "null", "none", "#n/a"]
    private static let suffixes: [(String, HeaderUnit, Double)] = [
        ("dbm", .dBm, 1), ("dbw", .dBW, 1), ("dbi", .dBi, 1), ("db", .dBi, 1), ("kw", .watt, 1000), ("mw", .watt, 1e-3),
        ("w", .watt, 1), ("ghz", .gigahertz, 1), ("mhz", .megahertz, 1), ("khz", .kilohertz, 1), ("hz", .hertz, 1),
        ("deg", .degree, 1), ("°", .degree, 1), ("m", .metre, 1),
    ]

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// The common case without allocating: optional spaces and sign, up to 15 digits with one
    /// decimal point or comma ("6,691234", "-12.5", "120"). Exact: an integer below 2^53 divided
    /// by an exact power of ten is correctly rounded. nil for anything else.
    static func fastDecimal(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { buffer -> Double? in
            var i = 0, n = buffer.count
            while i < n && buffer[i] == 0x20 { i += 1 }
            while n > i && buffer[n - 1] == 0x20 { n -= 1 }
            guard i < n else { return nil }
            var negative = false
            if buffer[i] == 0x2D { negative = true; i += 1 } else if buffer[i] == 0x2B { i += 1 }
            var mantissa: UInt64 = 0, digits = 0, fraction = 0, separator = false
            while i < n {
                let c = buffer[i]
                if c >= 0x30 && c <= 0x39 {
                    mantissa = mantissa * 10 + UInt64(c - 0x30)
                    digits += 1
                    if separator { fraction += 1 }
                    if digits > 15 { return nil }
                } else if (c == 0x2E || c == 0x2C) && !separator {
                    separator = true
                } else {
                    return nil
                }
                i += 1
            }
            guard digits > 0 else { return nil }
            let value = fraction > 0 ? Double(mantissa) / powersOfTen[fraction] : Double(mantissa)
            return negative ? -value : value
        }
    }

    /// Parses one cell.
    static func parse(_ value: FieldValue) -> ParsedNumber {
        switch value {
        case .null: return .missing
        case .integer(let i): return .value(Double(i), nil)
        case .real(let d): return d.isFinite ? .value(d, nil) : .invalid
        case .string(let s): return parse(text: s)
        }
    }

    /// Parses text: "6.69", "6,69", "1.234,5", "1,234.5", "25 m", "120°", "43 dBm".
    static func parse(text raw: String) -> ParsedNumber {
        if let fast = fastDecimal(raw) { return .value(fast, nil) }
        if let plain = decimal(raw) { return .value(plain, nil) }
        var text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if missingWords.contains(text) { return .missing }
        var unit: HeaderUnit?
        var scale = 1.0
        for (suffix, u, factor) in suffixes where text.hasSuffix(suffix) {
            let rest = text.dropLast(suffix.count)
            // "m" only after a digit or space: "25m", "25 m" — not the end of a word.
            guard let last = rest.last, last.isNumber || last == " " || last == "." else { continue }
            text = String(rest).trimmingCharacters(in: .whitespaces)
            unit = u
            scale = factor
            break
        }
        text = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{a0}", with: "")
            .replacingOccurrences(of: "'", with: "")
        let commas = text.filter { $0 == "," }.count, points = text.filter { $0 == "." }.count
        if commas > 0 && points > 0 {
            // The later separator is the decimal one; the other groups thousands.
            let lastComma = text.lastIndex(of: ",")!, lastPoint = text.lastIndex(of: ".")!
            if lastComma > lastPoint {
                text = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else {
                text = text.replacingOccurrences(of: ",", with: "")
            }
        } else if commas == 1 {
            text = text.replacingOccurrences(of: ",", with: ".")
        } else if commas > 1 {
            return .invalid
        }
        guard let number = decimal(text), (number * scale).isFinite else { return .invalid }
        return .value(number * scale, unit)
    }

    /// A decimal number in Swift's syntax ("-1.5e3") and nothing else: `Double(_:)` also reads
    /// "nan", "inf", "infinity" and hex floats ("0x1p6"), which are no numbers of a site list.
    static func decimal(_ text: String) -> Double? {
        var digit = false
        for c in text.utf8 {
            switch c {
            case 0x30...0x39: digit = true
            case 0x2E, 0x2B, 0x2D, 0x65, 0x45: continue   // . + - e E
            default: return nil
            }
        }
        guard digit, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

extension FieldValue {
    /// The cell as trimmed text; nil when empty.
    var trimmedText: String? {
        switch self {
        case .null: return nil
        case .string(let s):
            guard let first = s.utf8.first, let last = s.utf8.last else { return nil }
            // Printable ASCII at both ends (the common case): nothing to trim.
            if first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F { return s }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        case .integer(let i): return String(i)
        case .real(let d): return d.isNaN ? nil : (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d))
        }
    }
}
