import Foundation
import LitfassScenario

/// Finds the buildings of addresses, tolerant of how people write them.
public struct AddressIndex: Sendable {
    /// The outcome of a lookup.
    public enum Match: Sendable {
        /// One building (the addresses of that building that matched).
        case unique(Address)
        /// Several buildings match: the user must say more (e.g. postcode or suffix).
        case ambiguous([Address])
        /// Nothing matches; the closest streets (or house numbers on the street) to suggest.
        case notFound(suggestions: [String])
    }

    let addresses: [Address]
    let byStreet: [String: [Int]]
    let streetNames: [String: String]
    /// Per address: its city, normalised as street names are (compared with the query's).
    let cityKeys: [String?]

    public init(_ addresses: [Address]) {
        self.addresses = addresses
        cityKeys = addresses.map { $0.city.map(AddressNormalizer.streetKey) }
        var byStreet: [String: [Int]] = [:], names: [String: String] = [:]
        for (i, address) in addresses.enumerated() {
            let key = AddressNormalizer.streetKey(address.street)
            byStreet[key, default: []].append(i)
            names[key] = names[key] ?? address.street
        }
        self.byStreet = byStreet
        streetNames = names
    }

    /// Looks an address up.
    public func find(_ query: AddressQuery) -> Match {
        let key = AddressNormalizer.streetKey(query.street)
        guard let candidates = byStreet[key] else {
            let limit = max(2, key.count / 4)
            var close: [(key: String, distance: Int)] = []
            for candidate in streetNames.keys {
                let distance = AddressNormalizer.distance(candidate, key)
                if distance <= limit || candidate.hasPrefix(key) || key.hasPrefix(candidate) { close.append((candidate, distance)) }
            }
            close.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.key < $1.key }
            return .notFound(suggestions: close.prefix(5).map { streetNames[$0.key]! })
        }
        guard let wanted = AddressNormalizer.houseNumber(query.houseNumber) else {
            return .notFound(suggestions: [])
        }
        let wantedRange = AddressNormalizer.houseNumbers(query.houseNumber)
        var matches: [Address] = []
        let cityKey = query.city.map(AddressNormalizer.streetKey)
        for i in candidates {
            let address = addresses[i]
            if let postcode = query.postcode, let own = address.postcode, own != postcode { continue }
            if let cityKey, let own = cityKeys[i], own != cityKey { continue }
            let covered = AddressNormalizer.houseNumbers(address.houseNumber)
            let exactHit = covered.contains { $0.number == wanted.number && ($0.suffix == wanted.suffix || wanted.suffix.isEmpty) }
            let rangeHit = wantedRange.count > 1 && covered.contains { c in wantedRange.contains { $0.number == c.number } }
            if exactHit || rangeHit { matches.append(address) }
        }
        // The house number written exactly as asked wins ("10" over "2-10"); then a single number
        // with the same suffix ("12" over "12a"); ranges only when nothing more precise matches.
        let asked = query.houseNumber.lowercased().filter { !$0.isWhitespace }
        let written = matches.filter { $0.houseNumber.lowercased().filter { !$0.isWhitespace } == asked }
        let single = matches.filter { AddressNormalizer.houseNumbers($0.houseNumber).count == 1 && AddressNormalizer.houseNumber($0.houseNumber)?.suffix == wanted.suffix }
        if !written.isEmpty { matches = written } else if !single.isEmpty { matches = single }
        // Several address objects on one building are one answer.
        var seen = Set<String>()
        let distinct = matches.filter { seen.insert($0.buildingID ?? "\($0.street) \($0.houseNumber) @\($0.location)").inserted }
        switch distinct.count {
        case 0:
            // The house numbers on that street closest to the one asked for.
            func gap(_ text: String) -> Int { abs((AddressNormalizer.houseNumber(text)?.number ?? 0) - wanted.number) }
            let numbers = Set(candidates.map { addresses[$0].houseNumber }).sorted { gap($0) != gap($1) ? gap($0) < gap($1) : $0 < $1 }
            return .notFound(suggestions: numbers.prefix(5).map { "\(streetNames[key]!) \($0)" })
        case 1:
            return .unique(distinct[0])
        default:
            return .ambiguous(distinct.sorted { $0.houseNumber != $1.houseNumber ? $0.houseNumber < $1.houseNumber : ($0.postcode ?? "") < ($1.postcode ?? "") })
        }
    }
}
