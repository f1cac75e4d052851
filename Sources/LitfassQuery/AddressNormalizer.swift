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

    /// Edit distance between two keys (for "did you mean").
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
