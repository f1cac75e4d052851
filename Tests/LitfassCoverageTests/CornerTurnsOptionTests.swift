import Foundation
import Testing
import LitfassGeo
import LitfassKernel
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// `CoverageOptions.maxCornerTurns` (`--corner-turns`): more turns only add stronger street paths, the value is recorded
/// with the maps and carried by tile plans, and a value outside 0…8 is refused.
struct CornerTurnsOptionTests {
    /// 600 m × 600 m of the Neuss centre at 10 m, Telekom only.
    static func options(turns: Int?) -> CoverageOptions {
        var o = CoverageOptions()
        o.resolutionMeters = 10
        o.operators = ["Telekom"]
        o.area = GeographicBox(minLon: 6.6820, minLat: 51.1990, maxLon: 6.6906, maxLat: 51.2044)
        o.maxCornerTurns = turns
        o.threads = 2
        return o
    }

    @Test func moreTurnsOnlyAddStrongerPaths() throws {
        let scenario = try ScenarioStore.load(path: try DefaultScenario.path())
        let two = try CoverageRun(scenario: scenario, options: Self.options(turns: nil)).run()
        let four = try CoverageRun(scenario: scenario, options: Self.options(turns: 4)).run()
        let a = two.operators[0].combined.rsrpDBm, b = four.operators[0].combined.rsrpDBm
        #expect(a.count == b.count && a.count > 2_000)
        var stronger = 0, weaker = 0, lost = 0
        for c in a.indices where a[c] != CoverageResult.noData {
            if b[c] == CoverageResult.noData { lost += 1 } else if b[c] > a[c] { stronger += 1 } else if b[c] < a[c] { weaker += 1 }
        }
        #expect(weaker == 0 && lost == 0, "\(weaker) cells weaker, \(lost) lost with 4 turns")
        #expect(stronger > 0, "a third or fourth turn reaches no cell better than two")
        #expect(CoverageSummary(two).cornerTurns == 2 && CoverageSummary(four).cornerTurns == 4)
        // The kernel's phases, summed over its runs (`CoverageResult.phaseSeconds`): the direct sweep, and corner levels
        // up to the turns asked for, never beyond.
        for (result, turns) in [(two, 2), (four, 4)] {
            let prefix = "kernel: corner level "
            let levels = result.phaseSeconds.keys.filter { $0.hasPrefix(prefix) }.compactMap { Int($0.dropFirst(prefix.count)) }
            #expect(levels.contains(1) && levels.contains(2) && (levels.max() ?? 0) <= turns, "\(levels)")
            #expect((result.phaseSeconds["kernel: direct sweep"] ?? 0) > 0)
        }
    }

    @Test func outOfRangeIsRefused() throws {
        let scenario = try ScenarioStore.load(path: try DefaultScenario.path())
        #expect(throws: KernelSettingsError.cornerTurnsOutOfRange(argument: "maxCornerTurns", value: 9, allowed: 0...8)) {
            _ = try CoverageRun(scenario: scenario, options: Self.options(turns: 9))
        }
    }

    @Test func tilePlansCarryTheTurnsAndOmitTheDefault() throws {
        var options = Self.options(turns: 3)
        options.maxRangeMeters = 600
        let path = try DefaultScenario.path()
        let three = try TilePlan.make(scenarioPath: path, sitesPath: nil, options: options, tileSizeMeters: 600)
        #expect(three.options.maxCornerTurns == 3 && three.coverageOptions(threads: 1).maxCornerTurns == 3)
        options.maxCornerTurns = nil
        let plain = try TilePlan.make(scenarioPath: path, sitesPath: nil, options: options, tileSizeMeters: 600)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(!String(decoding: try encoder.encode(plain.options), as: UTF8.self).contains("maxCornerTurns"))
        #expect(String(decoding: try encoder.encode(three.options), as: UTF8.self).contains("\"maxCornerTurns\":3"))
    }
}
