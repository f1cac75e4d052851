import Foundation
import Testing
import _LitfassTestSupport

/// Exit codes and messages of `litfass query` that need no radio computation.
struct QueryCommandErrorTests {
    @Test func unknownStreetExits3AndSuggests() throws {
        let result = try litfass("query", "Krefeldr Strase 15")
        #expect(result.status == 3)
        #expect(result.stderr.contains("no address 'Krefeldr Strase 15'"))
        #expect(result.stderr.contains("Krefelder Straße"))
    }

    @Test func ambiguousAddressExits4AndListsTheCandidates() throws {
        let result = try litfass("query", "Körnerstraße 65")
        #expect(result.status == 4)
        #expect(result.stderr.contains("matches 2 buildings"))
        #expect(result.stderr.contains("Körnerstraße 65a") && result.stderr.contains("Körnerstraße 65b"))
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
