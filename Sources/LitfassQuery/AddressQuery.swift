import Foundation

/// An address as a person types it, parsed: "Krefelder Str. 15, 41460 Neuss".
public struct AddressQuery: Sendable, Hashable {
    public var street: String
    public var houseNumber: String
    public var postcode: String?
    public var city: String?

    public init(street: String, houseNumber: String, postcode: String? = nil, city: String? = nil) {
        self.street = street
        self.houseNumber = houseNumber
        self.postcode = postcode
        self.city = city
    }

    /// Parses "<street> <number>[, <postcode>] [<city>]". Returns nil when there is no street and
    /// house number in the text.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, !first.isEmpty else { return nil }
        // The house number is the last word(s) of the first part that start with a digit
        // ("12", "12a", "12 a", "2-10").
        var words = first.split(separator: " ").map(String.init)
        var numberWords: [String] = []
        while let last = words.last, words.count > 1 {
            if last.first?.isNumber == true { numberWords.insert(last, at: 0); words.removeLast(); break }
            if last.count == 1, last.first?.isLetter == true, numberWords.isEmpty { numberWords.insert(last, at: 0); words.removeLast(); continue }
            break
        }
        guard !numberWords.isEmpty, numberWords.first?.first?.isNumber == true, !words.isEmpty else { return nil }
        street = words.joined(separator: " ")
        houseNumber = numberWords.joined()
        postcode = nil
        city = nil
        if parts.count > 1 {
            var rest = parts[1].split(separator: " ").map(String.init)
            if let code = rest.first, code.count == 5, code.allSatisfy(\.isNumber) {
                postcode = code
                rest.removeFirst()
            }
            if !rest.isEmpty { city = rest.joined(separator: " ") }
        }
    }

    public var description: String {
        "\(street) \(houseNumber)" + ([postcode, city].compactMap { $0 }.isEmpty ? "" : ", " + [postcode, city].compactMap { $0 }.joined(separator: " "))
    }
}
