import Foundation
import LitfassScenario

/// Finds the buildings of addresses, tolerant of how people write them: street names folded and matched with
/// typos, house numbers with suffixes and ranges, postcode and city checked against the scenario.
public struct AddressIndex: Sendable {
    /// The outcome of a lookup.
    public enum Match: Sendable {
        /// One building (the addresses of that building that matched), or the largest building of a site.
        case unique(Address)
        /// Several buildings match: the user must say more (e.g. postcode or suffix).
        case ambiguous([Address])
        /// Nothing matches; the closest streets (or house numbers on the street) to suggest.
        case notFound(suggestions: [String])
    }

    /// A lookup with what a person needs to hear besides the match.
    public struct Lookup: Sendable {
        public var match: Match
        /// Why nothing (or more than one thing) was found, in words: "Preußenstraße 12 lies in 41460 Neuss, not
        /// in 10115 Berlin"; nil for a plain answer.
        public var reason: String?
        /// Statements the answer rests on: a street name read despite a typo, a postcode or city the data
        /// cannot confirm, an address standing on several buildings of one site.
        public var notes: [String]
        /// For an address on several buildings of one site: every building's address, the answered one first.
        public var site: [Address]
    }

    /// How sure a corrected street name is: OSA edit distance to the best street and to the runner-up.
    struct StreetGuess { var keys: [String]; var distance: Int; var confident: Bool }

    let addresses: [Address]
    let byStreet: [String: [Int]]
    let streetNames: [String: String]
    /// Street keys with their loose form (type word kept), for typo matching.
    let streetForms: [(key: String, loose: String)]
    /// Per address: its city, normalised as street names are (compared with the query's).
    let cityKeys: [String?]
    /// The scenario's cities (keys -> as written) and postcodes, and the postcodes seen on each street.
    let cities: [String: String]
    let postcodes: Set<String>
    let streetPostcodes: [String: Set<String>]
    /// Per address: the house numbers it stands for and its number as written (parsed once, not per lookup).
    let covered: [[(number: Int, suffix: String)]]
    let written: [String]
    /// Footprint areas [m²] by building id: the largest building of a site answers for it.
    let buildingAreas: [String: Double]
    /// Buildings of one site lie within this distance of each other [m].
    static let siteRadiusMeters = 150.0

    /// - Parameter buildingAreas: footprint area [m²] per building id (chooses the building that answers for a site).
    public init(_ addresses: [Address], buildingAreas: [String: Double] = [:]) {
        self.addresses = addresses
        self.buildingAreas = buildingAreas
        cityKeys = addresses.map { $0.city.map(AddressNormalizer.streetKey) }
        covered = addresses.map { AddressNormalizer.houseNumbers($0.houseNumber) }
        written = addresses.map { AddressNormalizer.writtenNumber($0.houseNumber) }
        var byStreet: [String: [Int]] = [:], names: [String: String] = [:], cities: [String: String] = [:]
        var streetPostcodes: [String: Set<String>] = [:]
        for (i, address) in addresses.enumerated() {
            let key = AddressNormalizer.streetKey(address.street)
            byStreet[key, default: []].append(i)
            names[key] = names[key] ?? address.street
            if let city = address.city { cities[AddressNormalizer.streetKey(city)] = cities[AddressNormalizer.streetKey(city)] ?? city }
            if let code = address.postcode { streetPostcodes[key, default: []].insert(code) }
        }
        self.byStreet = byStreet
        streetNames = names
        streetForms = names.keys.sorted().map { ($0, AddressNormalizer.looseKey(names[$0]!)) }
        self.cities = cities
        postcodes = Set(addresses.compactMap(\.postcode))
        self.streetPostcodes = streetPostcodes
    }

    /// Looks an address up.
    public func find(_ query: AddressQuery) -> Match { lookup(query).match }

    /// Looks an address up and says why, when the answer is not a plain one.
    /// - Complexity: O(addresses on the street); a street name not in the scenario is compared with every street
    ///   name, O(streets × name length²).
    public func lookup(_ query: AddressQuery) -> Lookup {
        var cityText = query.city
        var key = AddressNormalizer.streetKey(query.street)
        var notes: [String] = []
        if byStreet[key] == nil, let split = splitCity(query.street) {
            key = split.key
            cityText = [cityText, split.city].compactMap { $0 }.joined(separator: ", ")
        }
        guard let wanted = AddressNormalizer.houseNumber(query.houseNumber) else {
            return Lookup(match: .notFound(suggestions: []), reason: "'\(query.houseNumber)' is not a house number", notes: [], site: [])
        }
        if byStreet[key] == nil {
            guard let guess = guessStreet(query.street) else {
                return Lookup(match: .notFound(suggestions: closeStreets(key)), reason: "no street '\(query.street)' in the scenario", notes: [], site: [])
            }
            let names = guess.keys.map { streetNames[$0]! }
            if guess.keys.count > 1 {
                // A typo as close to several streets: a question, never a guess.
                let found = guess.keys.flatMap { k in numberMatches(street: k, query: query, wanted: wanted) }.map { addresses[$0] }
                let reason = "'\(query.street)' is as close to \(names.joined(separator: " as to ")); which street?"
                if Set(found.map(\.street)).count > 1 { return Lookup(match: .ambiguous(found), reason: reason, notes: [], site: []) }
                return Lookup(match: .notFound(suggestions: names.map { "\($0) \(query.houseNumber)" }), reason: reason, notes: [], site: [])
            }
            guard guess.confident else {
                return Lookup(match: .notFound(suggestions: ["\(names[0]) \(query.houseNumber)"]),
                              reason: "no street '\(query.street)' in the scenario; did you mean \(names[0])?", notes: [], site: [])
            }
            key = guess.keys[0]
            notes.append("Street '\(query.street)' read as '\(names[0])' (\(guess.distance) \(guess.distance == 1 ? "letter differs" : "letters differ"); no other street is as close).")
        }
        let street = streetNames[key]!
        let matches = numberMatches(street: key, query: query, wanted: wanted)
        guard !matches.isEmpty else {
            // The house numbers on that street closest to the one asked for.
            func gap(_ text: String) -> Int { abs((AddressNormalizer.houseNumber(text)?.number ?? 0) - wanted.number) }
            let numbers = Set(byStreet[key]!.map { addresses[$0].houseNumber }).sorted { gap($0) != gap($1) ? gap($0) < gap($1) : $0 < $1 }
            return Lookup(match: .notFound(suggestions: numbers.prefix(5).map { "\(street) \($0)" }),
                          reason: "no house number \(query.houseNumber) on \(street)", notes: [], site: [])
        }
        // Postcode and city: a contradiction is no answer; what the data cannot confirm is said.
        var kept = matches
        var reason: String?
        if let code = query.postcode {
            var unconfirmed = false
            kept = kept.filter { i in
                switch check(postcode: code, address: addresses[i], street: key) {
                case .confirmed: return true
                case .unconfirmed: unconfirmed = true; return true
                case .contradicts(let why): reason = reason ?? why; return false
                }
            }
            if unconfirmed, !kept.isEmpty { notes.append("Postcode \(code) could not be checked: the scenario's addresses carry no postcodes.") }
        }
        if let cityText, !kept.isEmpty {
            var unconfirmed = false
            kept = kept.filter { i in
                switch check(city: cityText, address: addresses[i]) {
                case .confirmed: return true
                case .unconfirmed: unconfirmed = true; return true
                case .contradicts(let why): reason = reason ?? why; return false
                }
            }
            if unconfirmed, !kept.isEmpty { notes.append("City '\(cityText)' could not be checked: the scenario's addresses carry no city.") }
        }
        guard !kept.isEmpty else {
            return Lookup(match: .notFound(suggestions: []), reason: reason, notes: [], site: [])
        }
        // Several address objects on one building are one answer.
        var seen = Set<String>()
        let distinct = kept.map { addresses[$0] }.filter { seen.insert($0.buildingID ?? "\($0.street) \($0.houseNumber) @\($0.location)").inserted }
        if distinct.count == 1 { return Lookup(match: .unique(distinct[0]), reason: nil, notes: notes, site: []) }
        // One address on several buildings close together is one site: answered for its largest building.
        let labels = Set(distinct.map { AddressNormalizer.writtenNumber($0.houseNumber) })
        let close = distinct.allSatisfy { a in distinct.allSatisfy { $0.location.distance(to: a.location) <= Self.siteRadiusMeters } }
        if labels.count == 1, close {
            let site = distinct.sorted { a, b in
                let (x, y) = (area(a), area(b))
                return x != y ? x > y : (a.buildingID ?? "") < (b.buildingID ?? "")
            }
            let ids = site.map { $0.buildingID ?? "an address point" }
            notes.append("\(street) \(site[0].houseNumber) stands on \(site.count) buildings of one site (\(ids.joined(separator: ", "))); the answer is for the largest, \(ids[0]).")
            return Lookup(match: .unique(site[0]), reason: nil, notes: notes, site: site)
        }
        let sorted = distinct.sorted { $0.houseNumber != $1.houseNumber ? $0.houseNumber < $1.houseNumber : ($0.postcode ?? "") < ($1.postcode ?? "") }
        return Lookup(match: .ambiguous(sorted), reason: nil, notes: notes, site: [])
    }

    func area(_ address: Address) -> Double { address.buildingID.flatMap { buildingAreas[$0] } ?? 0 }

    /// The addresses of a street that carry the house number, the most precise kind only: the number as written
    /// ("10" over "2-10"), then a single number with the same suffix ("12" over "12a"), then the tightest range
    /// holding it and the suffixed numbers of a bare one ("65" -> "65a", "65b").
    func numberMatches(street key: String, query: AddressQuery, wanted: (number: Int, suffix: String)) -> [Int] {
        guard let candidates = byStreet[key] else { return [] }
        let asked = AddressNormalizer.writtenNumber(query.houseNumber)
        let wantedRange = AddressNormalizer.houseNumbers(asked)
        var written: [Int] = [], single: [Int] = [], ranged: [(Int, Int)] = [], suffixed: [Int] = []
        for i in candidates {
            if self.written[i] == asked { written.append(i); continue }
            let covered = self.covered[i]
            if covered.count == 1, covered[0].number == wanted.number, covered[0].suffix == wanted.suffix, wantedRange.count <= 1 {
                single.append(i)
            } else if covered.count > 1, covered.contains(where: { $0.number == wanted.number && ($0.suffix == wanted.suffix || wanted.suffix.isEmpty) })
                        || (wantedRange.count > 1 && covered.contains { c in wantedRange.contains { $0.number == c.number } }) {
                ranged.append((i, covered.count))
            } else if covered.count == 1, covered[0].number == wanted.number, wanted.suffix.isEmpty {
                suffixed.append(i)
            } else if wantedRange.count > 1, covered.contains(where: { c in wantedRange.contains { $0.number == c.number } }) {
                suffixed.append(i)
            }
        }
        if !written.isEmpty { return written }
        if !single.isEmpty { return single }
        let tightest = ranged.map { $0.1 }.min()
        return ranged.filter { $0.1 == tightest }.map { $0.0 } + suffixed
    }

    enum Check { case confirmed, unconfirmed, contradicts(String) }

    /// The postcode against the address's own, else against the street's postcodes, else the scenario's.
    func check(postcode code: String, address: Address, street key: String) -> Check {
        let label = "\(address.street) \(address.houseNumber)"
        if let own = address.postcode {
            return own == code ? .confirmed : .contradicts("\(label) has the postcode \(own), not \(code)")
        }
        if let seen = streetPostcodes[key], !seen.isEmpty {
            return seen.contains(code) ? .confirmed
                : .contradicts("the addresses of \(address.street) carry the postcode \(seen.sorted().joined(separator: " or ")), not \(code)")
        }
        if postcodes.isEmpty { return .unconfirmed }
        return postcodes.contains(code) ? .confirmed
            : .contradicts("\(code) is not a postcode of this scenario (\(postcodes.sorted().joined(separator: ", ")))")
    }

    /// The city (any comma-separated part of it) against the address's own city, else the scenario's cities.
    /// One letter off counts as the same city for names of five letters or more.
    func check(city text: String, address: Address) -> Check {
        let parts = [text] + text.components(separatedBy: ", ")
        let keys = parts.map(AddressNormalizer.streetKey)
        func same(_ a: String, _ b: String) -> Bool { a == b || (b.count >= 5 && AddressNormalizer.distance(a, b) <= 1) }
        if let own = address.city {
            // "Neuss" confirms "Neuss-Holzheim" too.
            let ownKeys = [own] + own.split(whereSeparator: { $0 == "-" || $0 == " " }).map(String.init)
            return keys.contains { k in ownKeys.contains { same(k, AddressNormalizer.streetKey($0)) } } ? .confirmed : .contradicts("\(address.street) \(address.houseNumber) lies in \(own), not in \(text)")
        }
        if cities.isEmpty { return .unconfirmed }
        return keys.contains { k in cities.keys.contains { same(k, $0) } } ? .confirmed
            : .contradicts("\(text) is not a city of this scenario (\(cities.values.sorted().joined(separator: ", ")))")
    }

    /// "neuss augustastraße" or "augustastraße neuss": a city of the scenario written into the street part.
    func splitCity(_ street: String) -> (key: String, city: String)? {
        let words = street.split(separator: " ").map(String.init)
        guard words.count > 1 else { return nil }
        for k in 1..<words.count {
            let head = words[..<k].joined(separator: " "), tail = words[k...].joined(separator: " ")
            if cities[AddressNormalizer.streetKey(head)] != nil, byStreet[AddressNormalizer.streetKey(tail)] != nil {
                return (AddressNormalizer.streetKey(tail), head)
            }
            if cities[AddressNormalizer.streetKey(tail)] != nil, byStreet[AddressNormalizer.streetKey(head)] != nil {
                return (AddressNormalizer.streetKey(head), tail)
            }
        }
        return nil
    }

    /// The street a misspelt name stands for: the nearest by edit distance (on the folded key and on the name with
    /// its type word), several when equally near. Confident when one or two letters differ (two only in names of
    /// twelve letters or more); nil when nothing is within three letters.
    func guessStreet(_ text: String) -> StreetGuess? {
        let key = AddressNormalizer.streetKey(text), loose = AddressNormalizer.looseKey(text)
        guard key.count >= 3 else { return nil }
        var best = Int.max, keys: [String] = []
        for form in streetForms {
            let d = min(AddressNormalizer.distance(key, form.key), AddressNormalizer.distance(loose, form.loose))
            if d < best { best = d; keys = [form.key] } else if d == best { keys.append(form.key) }
        }
        let allowed = key.count >= 12 ? 2 : (key.count >= 5 ? 1 : 0)
        guard best <= max(allowed, 1) + 1 else { return nil }
        return StreetGuess(keys: keys, distance: best, confident: best <= allowed)
    }

    /// Street names within a few letters of the key, or starting alike, nearest first.
    func closeStreets(_ key: String) -> [String] {
        let limit = max(2, key.count / 4)
        var close: [(key: String, distance: Int)] = []
        for candidate in streetNames.keys {
            let distance = AddressNormalizer.distance(candidate, key)
            if distance <= limit || candidate.hasPrefix(key) || key.hasPrefix(candidate) { close.append((candidate, distance)) }
        }
        close.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.key < $1.key }
        return close.prefix(5).map { streetNames[$0.key]! }
    }
}
