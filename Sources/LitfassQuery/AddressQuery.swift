import Foundation

/// An address as a person types it, parsed: "Krefelder Str. 15, 41460 Neuss", "41460 neuss krefelder str 15",
/// "Krefelder Straße Nr. 15, Deutschland", "Stephanstraße 2 - 10".
public struct AddressQuery: Sendable, Hashable {
    /// The street as typed; may still carry a city word in front ("neuss augustastraße"), which `AddressIndex`
    /// recognises against the scenario's cities.
    public var street: String
    /// The house number without spaces: "12", "12a", "2-10".
    public var houseNumber: String
    /// A five-digit German postcode.
    public var postcode: String?
    /// What else was written (the city; several comma-separated parts are kept apart by ", ").
    public var city: String?

    public init(street: String, houseNumber: String, postcode: String? = nil, city: String? = nil) {
        self.street = street
        self.houseNumber = houseNumber
        self.postcode = postcode
        self.city = city
    }

    /// Words that say nothing about the place: house-number labels and country names (German conventions).
    static let numberLabels: Set<String> = ["nr", "no", "nummer", "hausnummer", "hausnr", "hnr", "#"]
    static let countryWords: Set<String> = ["deutschland", "germany", "allemagne", "brd", "bundesrepublik", "nrw",
                                            "nordrhein-westfalen", "nordrheinwestfalen"]
    /// Country codes, dropped only as the last word or on their own: "…, DE", "…, D".
    static let countryCodes: Set<String> = ["de", "d", "deu", "ger"]

    /// Parses what people type: street and house number, postcode and city in any order, with or without commas,
    /// in any case; "Nr."/"Hausnummer" and country names are ignored; "12 a" is "12a", "2 - 10" and "2 bis 10" are
    /// "2-10"; "D-41460" is a postcode. The street is the words before the house number (after it when the number
    /// comes first); the rest is the city. Returns nil when there is no house number or no street.
    public init?(parsing text: String) {
        var tokens: [(text: String, segment: Int)] = []
        let cleaned = text.replacingOccurrences(of: "\u{2013}", with: "-").replacingOccurrences(of: "\u{2014}", with: "-")
        let segments = cleaned.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
        for (s, segment) in segments.enumerated() {
            for word in segment.split(whereSeparator: \.isWhitespace) {
                tokens += Self.splitGlued(String(word)).map { (text: $0, segment: s) }
            }
        }
        // Labels and country names.
        tokens.removeAll { token in
            let word = token.text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".:"))
            return Self.numberLabels.contains(word) || Self.countryWords.contains(word)
        }
        if let last = tokens.last, Self.countryCodes.contains(last.text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))),
           tokens.count > 2, tokens[tokens.count - 2].segment != last.segment {
            tokens.removeLast()
        }
        // The postcode: five digits, maybe "D-41460".
        var postcode: String?
        if let i = tokens.firstIndex(where: { Self.postcode($0.text) != nil }) {
            postcode = Self.postcode(tokens[i].text)
            tokens.remove(at: i)
        }
        // The house number: the first word starting with a digit, with a following letter ("12 a") or range end
        // ("2 - 10", "2 -10", "2- 10", "2 bis 10").
        guard let start = tokens.firstIndex(where: { $0.text.first?.isNumber == true }) else { return nil }
        let segment = tokens[start].segment
        var number = tokens[start].text.lowercased()
        var end = start + 1
        while end < tokens.count, tokens[end].segment == segment {
            let word = tokens[end].text, lower = word.lowercased()
            if ["-", "bis", "/"].contains(lower), end + 1 < tokens.count, tokens[end + 1].segment == segment,
               tokens[end + 1].text.first?.isNumber == true {
                number += "-" + tokens[end + 1].text; end += 2
            } else if number.hasSuffix("-"), word.first?.isNumber == true {
                number += word; end += 1
            } else if word.hasPrefix("-"), word.dropFirst().first?.isNumber == true {
                number += word; end += 1
            } else if word.count == 1, word.first!.isLetter, number.last?.isNumber == true {
                number += lower; end += 1
            } else {
                break
            }
        }
        // A list of numbers split at its comma: "18a, 18b" (the next part starts with a short house number).
        while end < tokens.count, tokens[end].segment == tokens[end - 1].segment + 1,
              tokens[end].text.range(of: "^[0-9]{1,4}[a-zA-Z]?$", options: .regularExpression) != nil {
            number += "," + tokens[end].text.lowercased(); end += 1
            if end < tokens.count, tokens[end].segment == tokens[end - 1].segment, tokens[end].text.count == 1, tokens[end].text.first!.isLetter {
                number += tokens[end].text.lowercased(); end += 1
            }
        }
        var streetWords = tokens[..<start].filter { $0.segment == segment }.map { $0.text }
        var afterWords = tokens[end...].filter { $0.segment == segment }.map { $0.text }
        if streetWords.isEmpty { streetWords = afterWords; afterWords = [] }
        guard !streetWords.isEmpty, !number.hasSuffix("-") else { return nil }
        // The rest, per comma-separated part, is the city.
        var rest: [String] = []
        let consumed = Set(start..<end)
        for s in Set(tokens.map { $0.segment }).sorted() where s != segment {
            let words = tokens.indices.filter { tokens[$0].segment == s && !consumed.contains($0) }.map { tokens[$0].text }
            if !words.isEmpty { rest.append(words.joined(separator: " ")) }
        }
        if !afterWords.isEmpty { rest.append(afterWords.joined(separator: " ")) }
        street = streetWords.joined(separator: " ")
        houseNumber = number
        self.postcode = postcode
        city = rest.isEmpty ? nil : rest.joined(separator: ", ")
    }

    /// "41460" or "D-41460" -> "41460".
    static func postcode(_ word: String) -> String? {
        var w = word.uppercased()
        if w.hasPrefix("D-") { w.removeFirst(2) }
        return w.count == 5 && w.allSatisfy(\.isASCII) && w.allSatisfy(\.isNumber) ? w : nil
    }

    /// Splits a street glued to its number: "Augustastr.23a" -> ["Augustastr.", "23a"], "Nr.5" -> ["Nr.", "5"].
    static func splitGlued(_ word: String) -> [String] {
        guard let digit = word.firstIndex(where: \.isNumber), digit != word.startIndex else { return [word] }
        let head = word[..<digit]
        guard head.count >= 2, head.dropLast(head.last == "." ? 1 : 0).allSatisfy(\.isLetter) else { return [word] }
        return [String(head), String(word[digit...])]
    }

    public var description: String {
        "\(street) \(houseNumber)" + ([postcode, city].compactMap { $0 }.isEmpty ? "" : ", " + [postcode, city].compactMap { $0 }.joined(separator: " "))
    }
}
