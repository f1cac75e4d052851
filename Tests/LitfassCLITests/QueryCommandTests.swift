import Foundation
import Testing
import _LitfassTestSupport

/// Exit codes and messages of `litfass query` that need no radio computation.
struct QueryCommandErrorTests {
    @Test func unknownStreetExits3AndSuggests() throws {
        let result = try litfass("query", "Krfeldr Strase 15")
        #expect(result.status == 3)
        #expect(result.stderr.contains("no address 'Krfeldr Strase 15' in the scenario: no street 'Krfeldr Strase' in the scenario; did you mean Krefelder Straße?"))
        #expect(result.stderr.contains("closest: Krefelder Straße 15"))
    }

    @Test func contradictingPostcodeExits3WithTheReason() throws {
        let result = try litfass("query", "Preußenstraße 12, 10115 Berlin")
        #expect(result.status == 3)
        #expect(result.stderr.contains("no address 'Preußenstraße 12, 10115 Berlin' in the scenario: "))
        #expect(result.stderr.contains("10115 is not a postcode of this scenario (41460, 41462, 41464)"))
    }

    @Test func ambiguousAddressExits4AndListsTheCandidates() throws {
        let result = try litfass("query", "Körnerstraße 65")
        #expect(result.status == 4)
        #expect(result.stderr.contains("matches 2 buildings"))
        #expect(result.stderr.contains("Körnerstraße 65a") && result.stderr.contains("Körnerstraße 65b"))
        // Each choice says what the building is, how large and where.
        let choices = result.stderr.split(separator: "\n").filter { $0.hasPrefix("  Körnerstraße 65") }
        #expect(choices.count == 2 && choices.allSatisfy { $0.contains(" m², at 6.") })
    }

    @Test func textWithoutHouseNumberIsBadInput() throws {
        let result = try litfass("query", "Neuss")
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not an address"))
    }

    @Test func lonLatOutsideTheScenarioIsADataError() throws {
        let result = try litfass("query", "--lonlat", "13.4,52.5")
        #expect(result.status == 1)
        #expect(result.stderr.contains("13.40000,52.50000 lies outside the scenario"))
    }

    @Test func malformedLonLatAndConflictingModesAreUsageErrors() throws {
        #expect(try litfass("query", "--lonlat", "6.7").status == 2)
        let both = try litfass("query", "Büchel 1", "--lonlat", "6.7,51.2")
        #expect(both.status == 2)
        #expect(both.stderr.contains("not address and --lonlat"))
        #expect(try litfass("query", "Büchel 1", "--format", "xml").status == 2)
        #expect(try litfass("query", "Büchel 1", "--floor", "-1").status == 2)
    }
}

struct QueryMapTests {
    @Test func mapIsAPNGWithTheLegend() throws {
        let folder = TemporaryFolder()
        let png = folder.file("answer.png")
        let result = try litfass("query", "Krefelder Straße 15", "--map", png.path)
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // Width and height from the IHDR chunk: the preview layout is at least 760 px wide.
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width >= 760)
    }
}
