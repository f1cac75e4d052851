import Foundation

/// Folds the ways people write German addresses onto one key: case, ß/ss, umlauts written as
/// ae/oe/ue, "Str."/"Strasse"/"Straße", hyphens and spaces ("Jean-Pullen-Weg" = "Jean Pullen Weg").
public enum AddressNormalizer {
    /// The comparison key of a street name, e.g. "Krefelder Straße" -> "krefelderstr".
    public static func streetKey(_ street: String) -> String {
        var s = street.lowercased()
        for (from, to) in [("ß", "ss"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("é", "e"), ("è", "e")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        // Remove everything but letters and digits, then fold the street-type word.
        s = String(s.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        // "strasse", "strase", "strae", "str" (and the misspellings between them) -> "str".
        if let range = s.range(of: "str(a?s{0,2}e?)$", options: .regularExpression) {
            s.replaceSubrange(range, with: "str")
        }
        return s
    }

    /// A house number as number and suffix: "12a" -> (12, "a"), "12 A" -> (12, "a"); nil without digits.
    public static func houseNumber(_ text: String) -> (number: Int, suffix: String)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isNumber }
        guard let number = Int(digits) else { return nil }
        let suffix = trimmed.dropFirst(digits.count).filter { $0.isLetter }
        return (number, String(suffix))
    }

    /// The house numbers an OSM `addr:housenumber` value stands for: "12a" -> [12a];
    /// "2-10" -> 2…10 (same parity when both ends share it, as German street sides do);
    /// "19;21" and "18a,18b" -> each listed.
    public static func houseNumbers(_ text: String) -> [(number: Int, suffix: String)] {
        let parts = text.split(whereSeparator: { $0 == ";" || $0 == "," }).map(String.init)
        if parts.count > 1 { return parts.compactMap(houseNumber) }
        let range = text.split(separator: "-").map { String($0) }
        if range.count == 2, let low = houseNumber(range[0]), let high = houseNumber(range[1]),
           low.suffix.isEmpty, high.suffix.isEmpty, low.number < high.number, high.number - low.number <= 200 {
            let step = (low.number % 2 == high.number % 2) ? 2 : 1
            return stride(from: low.number, through: high.number, by: step).map { ($0, "") }
        }
        return houseNumber(text).map { [$0] } ?? []
    }

    /// The street name with case, ß and umlauts folded but the street-type word kept ("Krefelder Straße" ->
    /// "krefelderstrasse"): typos in the type word ("Strsse") are compared on this form.
    public static func looseKey(_ street: String) -> String {
        var s = street.lowercased()
        for (from, to) in [("ß", "ss"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("é", "e"), ("è", "e")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        s = String(s.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        if s.hasSuffix("str") { s += "asse" }
        return s
    }

    /// Edit distance between two keys: insertions, deletions, substitutions and swaps of neighbouring letters
    /// each count 1 (optimal string alignment, Damerau 1964), the usual typing errors.
    /// - Complexity: O(|a| × |b|).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var d = [Int](repeating: 0, count: (a.count + 1) * width)
        for j in 0...b.count { d[j] = j }
        for i in 1...a.count {
            d[i * width] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, d[(i - 2) * width + j - 2] + 1) }
                d[i * width + j] = v
            }
        }
        return d[a.count * width + b.count]
    }

    /// The house number text compared as written: "12 A" -> "12a", "2 - 10" -> "2-10".
    static func writtenNumber(_ text: String) -> String {
        text.lowercased().filter { !$0.isWhitespace }
    }
}
