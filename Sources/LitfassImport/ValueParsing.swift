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
    private static let missingWords: Set<String> = ["", "-", "--", "n/a", "na", "null", "none", "#n/a", "nan"]
    private static let suffixes: [(String, HeaderUnit, Double)] = [
        ("dbm", .dBm, 1), ("dbw", .dBW, 1), ("dbi", .dBi, 1), ("db", .dBi, 1), ("kw", .watt, 1000), ("mw", .watt, 1e-3),
        ("w", .watt, 1), ("ghz", .gigahertz, 1), ("mhz", .megahertz, 1), ("khz", .kilohertz, 1), ("hz", .hertz, 1),
        ("deg", .degree, 1), ("°", .degree, 1), ("m", .metre, 1),
    ]

    /// Parses one cell.
    static func parse(_ value: FieldValue) -> ParsedNumber {
        switch value {
        case .null: return .missing
        case .integer(let i): return .value(Double(i), nil)
        case .real(let d): return d.isNaN ? .missing : .value(d, nil)
        case .string(let s): return parse(text: s)
        }
    }

    /// Parses text: "6.69", "6,69", "1.234,5", "1,234.5", "25 m", "120°", "43 dBm".
    static func parse(text raw: String) -> ParsedNumber {
        if let fast = Double(raw) { return fast.isNaN ? .missing : .value(fast, nil) }
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
        guard let number = Double(text) else { return .invalid }
        return .value(number * scale, unit)
    }
}

extension FieldValue {
    /// The cell as trimmed text; nil when empty.
    var trimmedText: String? {
        switch self {
        case .null: return nil
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        case .integer(let i): return String(i)
        case .real(let d): return d.isNaN ? nil : (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d))
        }
    }
}
