import Foundation
import Testing
import LitfassCoverage
import LitfassGeo
import LitfassRadio
import LitfassScenario
@testable import LitfassQuery

/// The addresses of the Neuss extract in the spellings people type, postcodes and cities checked against the
/// scenario, typos, and ambiguities that always offer choices a person can tell apart.
struct AddressSpellingTests {
    let index = AddressIndex(neussScenario.addresses,
                             buildingAreas: Dictionary(neussScenario.buildings.map { ($0.id, $0.footprintAreaSquareMeters) }, uniquingKeysWith: { a, _ in a }))

    /// Every building that carries an address written exactly so (street and number): one of them is right.
    func buildings(of address: Address) -> Set<String> {
        Set(neussScenario.addresses.filter {
            $0.street == address.street && AddressNormalizer.writtenNumber($0.houseNumber) == AddressNormalizer.writtenNumber(address.houseNumber)
        }.compactMap(\.buildingID))
    }

    /// Distinct addresses with a building, every fifth in street order (deterministic, all streets' kinds).
    var sample: [Address] {
        var seen = Set<String>()
        let distinct = neussScenario.addresses.filter { $0.buildingID != nil }
            .sorted { ($0.street, $0.houseNumber) < ($1.street, $1.houseNumber) }
            .filter { seen.insert("\($0.street)|\($0.houseNumber)").inserted }
        return distinct.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
    }

    static func spellings(_ a: Address) -> [String] {
        let s = a.street, n = a.houseNumber
        let city = a.city ?? "Neuss"
        let pc = a.postcode.map { $0 + " " } ?? ""
        let spacedNumber = n.replacingOccurrences(of: "-", with: " - ")
            .replacingOccurrences(of: "([0-9])([a-zA-Z])$", with: "$1 $2", options: .regularExpression)
        let abbreviated = s.replacingOccurrences(of: "straße", with: "str.").replacingOccurrences(of: "Straße", with: "Str.")
        let ascii = s.replacingOccurrences(of: "ß", with: "ss").replacingOccurrences(of: "ä", with: "ae")
            .replacingOccurrences(of: "ö", with: "oe").replacingOccurrences(of: "ü", with: "ue")
        return [
            "\(s) \(n), \(pc)\(city)",
            "\(s) \(n) \(city)".lowercased(),
            "\(pc)\(city), \(s) \(n)",
            "\(s) Nr. \(n)",
            "\(s) \(n), \(pc)\(city), Deutschland",
            "\(s) Hausnummer \(n), \(city), Germany",
            "\(abbreviated) \(spacedNumber)",
            "\(city) \(ascii) \(n)".lowercased(),
            "\(s) \(spacedNumber) \(pc)\(city)",
            "\(s) \(n), \(pc)\(city)".uppercased(),
            "  \(s)   \(n) ,  \(pc) \(city)  ",
        ]
    }

    @Test func spellingTableFindsTheRightBuilding() {
        let sample = sample
        var cases = 0, wrong: [String] = []
        for address in sample {
            let expected = buildings(of: address)
            for text in Self.spellings(address) {
                cases += 1
                guard let query = AddressQuery(parsing: text) else { wrong.append("\(text): not an address"); continue }
                let lookup = index.lookup(query)
                guard case .unique(let found) = lookup.match, let id = found.buildingID, expected.contains(id) else {
                    wrong.append("\(text): \(lookup.match) \(lookup.reason ?? "")"); continue
                }
            }
        }
        #expect(sample.count >= 200)
        #expect(cases >= 2_200)
        #expect(wrong.isEmpty, "\(wrong.count) of \(cases) wrong, e.g. \(wrong.prefix(10))")
    }

    /// All 1,454 address rows of the extract, as the data writes them: each answered, with one of its buildings
    /// (37 of them stand on several buildings of one site).
    @Test func everyAddressOfTheExtractAsWrittenIsAnswered() {
        var answered = 0, sites = 0, other: [String] = []
        for a in neussScenario.addresses {
            let text = "\(a.street) \(a.houseNumber), \(a.postcode ?? "") \(a.city ?? "")"
            let lookup = index.lookup(AddressQuery(parsing: text)!)
            guard case .unique(let found) = lookup.match, a.buildingID == nil || buildings(of: a).contains(found.buildingID ?? "") else {
                other.append("\(text): \(lookup.match)"); continue
            }
            answered += 1
            if !lookup.site.isEmpty { sites += 1 }
        }
        #expect(neussScenario.addresses.count == 1_454)
        #expect(answered == 1_454, "\(other.prefix(5))")
        #expect(sites == 37)
    }

    /// One letter swapped, dropped, doubled or replaced in the street name: the right building, or a question —
    /// never another building.
    @Test func typosInTheStreetFindTheStreetOrAsk() {
        var right = 0, asked = 0, wrong: [String] = []
        let edits: [(String) -> String] = [
            { s in var c = Array(s); let i = c.count / 2; c.swapAt(i, i + 1); return String(c) },
            { s in var c = Array(s); c.remove(at: c.count / 2); return String(c) },
            { s in var c = Array(s); c.insert(c[c.count / 3], at: c.count / 3); return String(c) },
            { s in var c = Array(s); let i = c.count / 3; c[i] = c[i] == "x" ? "y" : "x"; return String(c) },
        ]
        let sample = sample
        for (k, address) in sample.enumerated() {
            let name = address.street
            let typo = edits[k % edits.count](name)
            // Only typos that change the folded name ("Jean-Pullen Weg" for "Jean-Pullen-Weg" is no typo).
            guard AddressNormalizer.streetKey(typo) != AddressNormalizer.streetKey(name) else { continue }
            let lookup = index.lookup(AddressQuery(parsing: "\(typo) \(address.houseNumber)")!)
            switch lookup.match {
            case .unique(let found):
                if let id = found.buildingID, buildings(of: address).contains(id) {
                    right += 1
                    #expect(lookup.notes.contains { $0.contains("read as '\(name)'") }, "\(typo): \(lookup.notes)")
                } else {
                    wrong.append("\(typo) \(address.houseNumber) -> \(found.street) \(found.houseNumber)")
                }
            case .ambiguous, .notFound:
                asked += 1
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(right >= (right + asked) * 9 / 10, "right \(right), asked \(asked)")
        #expect(right >= 150)
    }

    @Test func aTypoAsCloseToTwoStreetsIsAQuestion() {
        let p = MapPoint(x: 0, y: 0)
        let index = AddressIndex([
            Address(street: "Bergstraße", houseNumber: "1", postcode: nil, city: nil, location: p, buildingID: "way/1"),
            Address(street: "Burgstraße", houseNumber: "1", postcode: nil, city: nil, location: p, buildingID: "way/2"),
            Address(street: "Burgstraße", houseNumber: "3", postcode: nil, city: nil, location: p, buildingID: "way/3"),
        ])
        let both = index.lookup(AddressQuery(parsing: "Birgstraße 1")!)
        guard case .ambiguous(let choices) = both.match else { Issue.record("\(both.match)"); return }
        #expect(Set(choices.compactMap(\.buildingID)) == ["way/1", "way/2"])
        // Only Burgstraße has a 3, but "Birgstraße" is as close to Bergstraße: asked, not guessed.
        let one = index.lookup(AddressQuery(parsing: "Birgstraße 3")!)
        guard case .notFound(let suggestions) = one.match else { Issue.record("\(one.match)"); return }
        #expect(suggestions == ["Bergstraße 3", "Burgstraße 3"])
        #expect(one.reason?.contains("which street?") == true)
        // Without postcodes or cities in the data, both are answered with a note.
        let noted = index.lookup(AddressQuery(parsing: "Burgstraße 3, 12345 Irgendwo")!)
        guard case .unique(let found) = noted.match else { Issue.record("\(noted.match)"); return }
        #expect(found.buildingID == "way/3")
        #expect(noted.notes.count == 2 && noted.notes[0].contains("12345") && noted.notes[1].contains("Irgendwo"))
    }

    @Test func wrongCityOrPostcodeIsNotFoundWithTheReason() {
        let cases: [(String, String)] = [
            ("Preußenstraße 12, 10115 Berlin", "10115"),
            ("Grefrather Weg 6, 50667 Köln", "50667"),
            ("Siegstraße 18, Paris", "Paris"),
            ("Krefelder Straße 15, 41460 Düsseldorf", "Düsseldorf"),
            ("Preußenstraße 12 Berlin", "Berlin"),
        ]
        for (text, named) in cases {
            let lookup = index.lookup(AddressQuery(parsing: text)!)
            guard case .notFound = lookup.match else { Issue.record("\(text): \(lookup.match)"); continue }
            #expect(lookup.reason?.contains(named) == true, "\(text): \(lookup.reason ?? "no reason")")
        }
        // The right street and number with a Berlin postcode and city: never answered, for every address.
        var seen = Set<String>(), answered: [String] = []
        for a in neussScenario.addresses where seen.insert("\(a.street)|\(a.houseNumber)").inserted {
            let lookup = index.lookup(AddressQuery(parsing: "\(a.street) \(a.houseNumber), 10115 Berlin")!)
            if case .notFound = lookup.match {} else { answered.append("\(a.street) \(a.houseNumber)") }
            let paris = index.lookup(AddressQuery(parsing: "\(a.street) \(a.houseNumber), Paris")!)
            if case .notFound = paris.match {} else { answered.append("\(a.street) \(a.houseNumber), Paris") }
        }
        #expect(seen.count > 1_300)
        #expect(answered.isEmpty, "\(answered.prefix(10))")
    }

    @Test func aCountryNameDoesNotMoveTheAnswerToASuffixedNumber() throws {
        let lookup = index.lookup(AddressQuery(parsing: "Düsseldorfer Straße 182, 41460 Neuss, Deutschland")!)
        guard case .unique(let found) = lookup.match else { Issue.record("\(lookup.match)"); return }
        #expect(found.houseNumber == "182")
        #expect(lookup.notes.isEmpty)
    }

    @Test func overlappingRangesPreferTheTightestAndSitesAnswerForTheLargestBuilding() throws {
        // Stephanstraße 4 lies in the data's ranges 2-8 and 2-10: 2-8 holds fewer numbers.
        guard case .unique(let four) = index.find(AddressQuery(parsing: "Stephanstraße 4")!) else { Issue.record("4"); return }
        #expect(four.houseNumber == "2-8")
        // Further Straße 3 stands on two buildings of one site.
        let site = index.lookup(AddressQuery(parsing: "Further Straße 3, 41462 Neuss")!)
        guard case .unique(let three) = site.match else { Issue.record("\(site.match)"); return }
        #expect(site.site.count == 2)
        #expect(site.site[0].buildingID == three.buildingID)
        let areas = site.site.map { a in neussScenario.buildings.first { $0.id == a.buildingID }!.footprintAreaSquareMeters }
        #expect(areas[0] >= areas[1])
        #expect(site.notes.contains { $0.contains("stands on 2 buildings of one site") })
    }

    /// Over every address of the extract as written in the data: where a question is asked, its choices differ.
    @Test func noAmbiguityOffersIdenticalChoices() throws {
        var options = CoverageOptions()
        options.operators = ["Telekom"]
        options.resolutionMeters = 10
        let engine = try QueryEngine(scenario: neussScenario, options: options)
        var questions = 0, identical: [String] = []
        var seen = Set<String>()
        for a in neussScenario.addresses {
            let text = "\(a.street) \(a.houseNumber)" + (a.postcode.map { ", \($0)" } ?? "") + (a.city.map { " \($0)" } ?? "")
            guard seen.insert(text).inserted else { continue }
            for asked in [text, "\(a.street) \(AddressNormalizer.houseNumber(a.houseNumber).map { String($0.number) } ?? a.houseNumber)"] {
                guard case .ambiguous(let choices) = try engine.lookup(address: asked).match else { continue }
                questions += 1
                let labels = engine.choiceLabels(for: choices)
                if Set(labels).count != labels.count { identical.append("\(asked): \(labels)") }
            }
        }
        #expect(questions > 0)
        #expect(identical.isEmpty, "\(identical.prefix(5))")
    }

    /// `--batch` rows say what single queries say: answered (with the notes), not found with the reason, a question.
    @Test func batchRowsReportTheSameOutcomes() throws {
        var options = CoverageOptions()
        options.operators = ["Telekom"]
        options.resolutionMeters = 10
        let engine = try QueryEngine(scenario: neussScenario, options: options)
        let rows = BatchQuery.answer(["augustastraße 23a neuss", "Augstastraße 23a", "Preußenstraße 12, 10115 Berlin",
                                      "Körnerstraße 65", "Krfeldr Strase 15", "Neuss"], engine: engine, floor: 0, scope: .keyFigures)
        #expect(rows.map(\.status) == ["ok", "ok", "not-found", "ambiguous", "not-found", "bad-input"])
        #expect(rows[0].answer?.address?.houseNumber == "23a" && rows[0].answer?.address?.street == "Augustastraße")
        #expect(rows[1].answer?.building?.id == rows[0].answer?.building?.id)
        #expect(rows[1].answer?.assumptions.first == "Street 'Augstastraße' read as 'Augustastraße' (1 letter differs; no other street is as close).")
        #expect(rows[2].detail == "10115 is not a postcode of this scenario (41460, 41462, 41464)")
        #expect(rows[3].detail == engine.choiceLabels(for: { if case .ambiguous(let a) = try! engine.lookup(address: "Körnerstraße 65").match { return a }; return [] }()).joined(separator: "; "))
        #expect(rows[3].detail.contains("Körnerstraße 65a, 41464 Neuss — residential"))
        #expect(rows[4].detail == "no street 'Krfeldr Strase' in the scenario; did you mean Krefelder Straße?; closest: Krefelder Straße 15")
    }

    @Test func aScenarioWithoutSitesAnswersFibreAndSaysWhatIsMissing() throws {
        var scenario = neussScenario
        scenario.sites = []
        scenario.sectors = []
        var options = CoverageOptions()
        options.resolutionMeters = 10
        let engine = try QueryEngine(scenario: scenario, options: options)
        guard case .answer(let answer) = try engine.answer(address: "Krefelder Straße 15, 41460 Neuss") else { Issue.record("answer"); return }
        #expect(answer.building?.type == "commercial")
        #expect(answer.fibre != nil)
        #expect(answer.mobile.isEmpty)
        #expect(answer.assumptions.contains { $0.contains("No mobile sites are known") })
        // The text says it under its Mobile heading instead of leaving the heading empty.
        let text = QueryFormatter.text(answer)
        #expect(text.contains("Mobile (indoor, floor 0; download and upload in Mbit/s, cautious–median):\n  no mobile sites are known"))
        #expect(QueryFormatter.markdown(answer).contains("no mobile sites known"))
    }
}

struct AddressParsingTests {
    @Test func partsInAnyOrder() throws {
        let expected = AddressQuery(street: "Augustastraße", houseNumber: "23a", postcode: "41464", city: "Neuss")
        for text in ["Augustastraße 23a, 41464 Neuss", "41464 Neuss, Augustastraße 23a", "Augustastraße 23 a 41464 Neuss",
                     "Augustastraße Nr. 23a, 41464 Neuss, Deutschland", "Augustastraße Hausnummer 23a, D-41464 Neuss, DE",
                     "Augustastraße 23A, 41464 Neuss, Germany", "Augustastr.23a, 41464 Neuss"] {
            var q = try #require(AddressQuery(parsing: text), "\(text)")
            q.street = q.street.replacingOccurrences(of: "Augustastr.", with: "Augustastraße")
            #expect(q == expected, "\(text) -> \(q)")
        }
        #expect(AddressQuery(parsing: "augustastraße 23a neuss") == AddressQuery(street: "augustastraße", houseNumber: "23a", city: "neuss"))
        #expect(AddressQuery(parsing: "Stephanstraße 2 - 10")?.houseNumber == "2-10")
        #expect(AddressQuery(parsing: "Stephanstraße 2 bis 10")?.houseNumber == "2-10")
        #expect(AddressQuery(parsing: "Körnerstraße 65 d")?.houseNumber == "65d")
        #expect(AddressQuery(parsing: "Neuss, Deutschland") == nil)
        #expect(AddressQuery(parsing: "41464 Neuss") == nil)
        #expect(AddressQuery(parsing: "23") == nil)
    }
}
