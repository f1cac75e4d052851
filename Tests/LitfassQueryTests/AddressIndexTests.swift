import Foundation
import Testing
import LitfassCoverage
import LitfassGeo
import LitfassScenario
@testable import LitfassQuery
import _LitfassTestSupport

/// The Neuss scenario, built once for the query tests.
let neussScenario: Scenario = {
    try! ScenarioBuilder(osmPath: TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf").path,
                         assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path).build().0
}()

/// Coverage options over a square of side 2 × `halfSideMeters` around an address of the Neuss scenario (its
/// address point), so that a test's coverage run stays small.
func coverageOptions(around address: String, halfSideMeters: Double) throws -> CoverageOptions {
    guard case .unique(let found) = AddressIndex(neussScenario.addresses).find(AddressQuery(parsing: address)!) else {
        throw QueryError.unreadableAddress("\(address) (not one address of the Neuss scenario)")
    }
    let c = found.location, h = halfSideMeters
    let corners = try Projection(from: .utm32N, to: .wgs84).toLonLat([MapPoint(x: c.x - h, y: c.y - h), MapPoint(x: c.x + h, y: c.y + h)])
    var options = CoverageOptions()
    options.area = GeographicBox(minLon: corners[0].lon, minLat: corners[0].lat, maxLon: corners[1].lon, maxLat: corners[1].lat)
    return options
}

struct AddressNormalizerTests {
    @Test func streetKeysFoldSpellings() {
        let key = AddressNormalizer.streetKey("Krefelder Straße")
        for spelling in ["krefelder strasse", "Krefelder Str.", "KREFELDER STR", "Krefelder-Straße", "krefelderstr"] {
            #expect(AddressNormalizer.streetKey(spelling) == key, "\(spelling)")
        }
        #expect(AddressNormalizer.streetKey("Preussenstrasse") == AddressNormalizer.streetKey("Preußenstraße"))
        #expect(AddressNormalizer.streetKey("Koernerstrasse") == AddressNormalizer.streetKey("Körnerstraße"))
        #expect(AddressNormalizer.streetKey("Glehner Weg") != AddressNormalizer.streetKey("Glehner Str."))
    }

    @Test func houseNumbersAndRanges() {
        #expect(AddressNormalizer.houseNumber("12a")! == (12, "a"))
        #expect(AddressNormalizer.houseNumber("12 A")! == (12, "a"))
        #expect(AddressNormalizer.houseNumber("A") == nil)
        #expect(AddressNormalizer.houseNumbers("2-10").map(\.number) == [2, 4, 6, 8, 10])
        #expect(AddressNormalizer.houseNumbers("3-6").map(\.number) == [3, 4, 5, 6])
        #expect(AddressNormalizer.houseNumbers("19;21").map(\.number) == [19, 21])
        #expect(AddressNormalizer.houseNumbers("18a,18b").map(\.suffix) == ["a", "b"])
    }

    @Test func queryParsing() {
        let q = AddressQuery(parsing: "Krefelder Str. 15, 41460 Neuss")!
        #expect(q.street == "Krefelder Str." && q.houseNumber == "15" && q.postcode == "41460" && q.city == "Neuss")
        #expect(AddressQuery(parsing: "Körnerstraße 65 b")!.houseNumber == "65b")
        #expect(AddressQuery(parsing: "Stephanstraße 2-10")!.houseNumber == "2-10")
        #expect(AddressQuery(parsing: "Neuss") == nil)
        #expect(AddressQuery(parsing: "") == nil)
    }
}

struct AddressIndexTests {
    let index = AddressIndex(neussScenario.addresses)

    @Test func commercialBuildingOnKrefelderStrasse() throws {
        guard case .unique(let address) = index.find(AddressQuery(parsing: "krefelder strasse 15, 41460 Neuss")!) else {
            Issue.record("expected one match"); return
        }
        #expect(address.street == "Krefelder Straße" && address.houseNumber == "15")
        let building = try #require(neussScenario.buildings.first { $0.id == address.buildingID })
        #expect(building.type == "commercial")
    }

    @Test func numberInsideARangeFindsTheRangeAddress() {
        guard case .unique(let address) = index.find(AddressQuery(parsing: "Kapitelstrasse 50")!) else {
            Issue.record("expected one match"); return
        }
        #expect(address.houseNumber == "48-52")
        // Two overlapping ranges in the data (2-8 and 2-10): the tighter answers 6; "10" as written wins.
        guard case .unique(let six) = index.find(AddressQuery(parsing: "Stephanstraße 6")!) else { Issue.record("6"); return }
        #expect(six.houseNumber == "2-8")
        guard case .unique(let ten) = index.find(AddressQuery(parsing: "Stephanstraße 10")!) else { Issue.record("10"); return }
        #expect(ten.houseNumber == "10")
    }

    @Test func suffixesAreAmbiguousWithoutTheLetter() {
        guard case .ambiguous(let addresses) = index.find(AddressQuery(parsing: "Körnerstraße 65")!) else {
            Issue.record("expected several matches"); return
        }
        #expect(addresses.map(\.houseNumber) == ["65a", "65b"])
        guard case .unique(let one) = index.find(AddressQuery(parsing: "Koernerstr. 65b")!) else { Issue.record("65b"); return }
        #expect(one.houseNumber == "65b")
    }

    @Test func unknownStreetSuggestsCloseOnes() {
        // Two letters off in a ten-letter name: not sure enough to answer, "did you mean".
        let unsure = index.lookup(AddressQuery(parsing: "Krfeldr Strase 15")!)
        guard case .notFound(let suggestions) = unsure.match else { Issue.record("expected not found"); return }
        #expect(suggestions == ["Krefelder Straße 15"])
        #expect(unsure.reason == "no street 'Krfeldr Strase' in the scenario; did you mean Krefelder Straße?")
        // Far from every street: the streets starting alike.
        guard case .notFound(let far) = index.find(AddressQuery(parsing: "Krefelder 15")!) else { Issue.record("far"); return }
        #expect(far.contains("Krefelder Straße"))
        // One letter off: answered, and the answer says how the name was read.
        let typo = index.lookup(AddressQuery(parsing: "Krefeldr Strase 15")!)
        guard case .unique(let address) = typo.match else { Issue.record("typo"); return }
        #expect(address.street == "Krefelder Straße" && address.houseNumber == "15")
        #expect(typo.notes == ["Street 'Krefeldr Strase' read as 'Krefelder Straße' (1 letter differs; no other street is as close)."])
    }

    @Test func unknownNumberSuggestsNeighbours() {
        guard case .notFound(let suggestions) = index.find(AddressQuery(parsing: "Krefelder Straße 9999")!) else {
            Issue.record("expected not found"); return
        }
        #expect(!suggestions.isEmpty && suggestions.allSatisfy { $0.hasPrefix("Krefelder Straße ") })
    }

    @Test func wrongPostcodeFindsNothing() {
        guard case .notFound = index.find(AddressQuery(parsing: "Krefelder Straße 15, 10115 Berlin")!) else {
            Issue.record("expected not found"); return
        }
    }
}

struct FibreRouterTests {
    @Test func routeOnAHandMadeNetwork() throws {
        // A trunk along y = 0 (primary) with access points at x = 0 and x = 100; a residential
        // side street from (50, 0) up to (50, 80); a building at (60, 70).
        var scenario = neussScenario
        scenario.streets = [
            Street(id: "trunk", streetClass: "primary", name: nil, line: .init([.init(x: 0, y: 0), .init(x: 50, y: 0), .init(x: 100, y: 0)])),
            Street(id: "side", streetClass: "residential", name: nil, line: .init([.init(x: 50, y: 0), .init(x: 50, y: 80)])),
        ]
        scenario.fibreSegments = [FibreSegment(id: "f", line: scenario.streets[0].line, isIllustrative: true)]
        scenario.fibreAccessPoints = [FibreAccessPoint(id: "ap1", location: .init(x: 0, y: 0), isIllustrative: true),
                                      FibreAccessPoint(id: "ap2", location: .init(x: 100, y: 0), isIllustrative: true)]
        let router = FibreRouter(scenario: scenario)
        let footprint = [Polygon(exterior: [.init(x: 55, y: 65), .init(x: 65, y: 65), .init(x: 65, y: 75), .init(x: 55, y: 75), .init(x: 55, y: 65)])]
        let answer = try #require(try router.answer(from: MapPoint(x: 60, y: 70), footprint: footprint, engine: GeometryEngine()))
        // Lead-in 10 m to the side street at (50, 70), 70 m down it, 50 m along the trunk to either access point.
        #expect(abs(answer.routeMeters - 130) < 1e-9)
        let costs = scenario.assumptions.costs
        let expected = 70 * costs.civilWorksEURPerMeter["residential"]!.value + 50 * costs.civilWorksEURPerMeter["primary"]!.value + costs.houseLeadInEUR.value
        #expect(answer.estimatedCostEUR == (expected / 10).rounded() * 10)
        #expect(answer.accessPointID == "ap1")   // equal cost: the lower node wins, deterministically
        #expect(!answer.passed)                  // 65 m from the trunk
        #expect(abs(answer.distanceToTrunkMeters - 65) < 1e-9)
        #expect(answer.productClass == .shortExtension)
        #expect(answer.illustrative)
    }

    @Test func buildingsOnTrunkStreetsArePassed() throws {
        let router = FibreRouter(scenario: neussScenario)
        let index = AddressIndex(neussScenario.addresses)
        guard case .unique(let address) = index.find(AddressQuery(parsing: "Krefelder Straße 15")!) else { Issue.record("address"); return }
        let building = try #require(neussScenario.buildings.first { $0.id == address.buildingID })
        let answer = try #require(try router.answer(from: address.location, footprint: building.footprint, engine: GeometryEngine()))
        #expect(answer.routeMeters > 0 && answer.routeMeters < 1_000)
        #expect(answer.estimatedCostEUR >= neussScenario.assumptions.costs.houseLeadInEUR.value)
        // Krefelder Straße is a trunk street under the illustrative rule if its class is listed.
        let classes = Set(neussScenario.assumptions.fibre.trunkStreetClasses)
        let onTrunk = neussScenario.streets.contains { $0.name == "Krefelder Straße" && classes.contains($0.streetClass) }
        #expect(answer.passed == onTrunk)
    }
}

struct BatchInputTests {
    @Test func oneColumnFilesWithQuotesAndBOMAreRead() throws {
        let folder = TemporaryFolder()
        let path = folder.file("addresses.csv").path
        try "\u{FEFF}address\r\n\"Krefelder Straße 15, 41460 Neuss\"\r\nBüchel 20\r\n\r\n\"Say \"\"Hi\"\"\"\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try BatchQuery.addresses(file: path) == ["Krefelder Straße 15, 41460 Neuss", "Büchel 20", "Say \"Hi\""])
    }

    @Test func severalColumnsUseTheAddressColumn() throws {
        let folder = TemporaryFolder()
        let path = folder.file("customers.csv").path
        try "customer;Adresse;floor\nA;Büchel 20;1\nB;Krefelder Straße 15;0\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try BatchQuery.addresses(file: path) == ["Büchel 20", "Krefelder Straße 15"])
    }

    @Test func nonUTF8AndEmptyFilesAreClearErrors() throws {
        let folder = TemporaryFolder()
        let latin1 = folder.file("latin1.csv")
        try Data([0x61, 0x64, 0x72, 0x0a, 0x42, 0xfc, 0x63, 0x68, 0x65, 0x6c, 0x0a]).write(to: latin1)
        #expect { try BatchQuery.addresses(file: latin1.path) } throws: { "\($0)".contains("not UTF-8") }
        let empty = folder.file("empty.csv")
        try Data().write(to: empty)
        #expect { try BatchQuery.addresses(file: empty.path) } throws: { "\($0)".contains("empty file") }
    }
}
