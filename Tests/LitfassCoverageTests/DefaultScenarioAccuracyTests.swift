import Foundation
import Testing
import LitfassGeo
import LitfassScenario
@testable import LitfassCoverage
import _LitfassTestSupport

/// The default scenario as a radio planner would check it (docs/ACCURACY.md): Telekom at 20 m, the
/// statistics of the "done when" list, each with its threshold.
@Suite struct DefaultScenarioAccuracyTests {
    static let result: (CoverageResult, CoverageRun) = {
        let scenario = try! ScenarioBuilder(osmPath: TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf").path,
                                            assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path).build().0
        var options = CoverageOptions()
        options.operators = ["Telekom"]
        options.resolutionMeters = 20
        let run = try! CoverageRun(scenario: scenario, options: options)
        return (try! run.run(), run)
    }()

    /// Per cell: whether a building cell lies within 150 m (cell centres), by a disc-shaped dilation.
    static func nearBuildings(_ result: CoverageResult, meters: Double = 150) -> [Bool] {
        let grid = result.grid, index = result.scene.buildingIndex
        let r = Int((meters / grid.cellSizeMeters).rounded(.down))
        var offsets: [(Int, Int)] = []
        for dy in -r...r { for dx in -r...r where Double(dx * dx + dy * dy) * grid.cellSizeMeters * grid.cellSizeMeters <= meters * meters { offsets.append((dx, dy)) } }
        var near = [Bool](repeating: false, count: grid.cellCount)
        for row in 0..<grid.rows {
            for column in 0..<grid.columns where index[row * grid.columns + column] >= 0 {
                for (dx, dy) in offsets {
                    let x = column + dx, y = row + dy
                    if x >= 0, y >= 0, x < grid.columns, y < grid.rows { near[y * grid.columns + x] = true }
                }
            }
        }
        return near
    }

    @Test func statisticsMeetThePlanningThresholds() throws {
        let (result, _) = Self.result
        let op = try #require(result.operators.first { $0.name == "Telekom" })
        let maps = op.combined
        let index = result.scene.buildingIndex
        let near = Self.nearBuildings(result)
        let noData = CoverageResult.noData
        var outdoorRSRP: [Float] = []
        var far = 0, farWithValue = 0, nearOutdoor = 0, nearSINROK = 0
        for c in 0..<result.grid.cellCount {
            let has = maps.rsrpDBm[c] != noData
            if !near[c] { far += 1; if has { farWithValue += 1 } }
            guard index[c] < 0 else { continue }
            if has { outdoorRSRP.append(maps.rsrpDBm[c]) }
            if near[c] {
                nearOutdoor += 1
                if has && maps.sinrDB[c] >= 0 { nearSINROK += 1 }
            }
        }
        outdoorRSRP.sort()
        let p999 = outdoorRSRP[Int((Double(outdoorRSRP.count - 1) * 0.999).rounded())]
        // TS 36.133 Table 9.1.4-1: reported RSRP tops out at −44 dBm.
        #expect(p999 <= -44, "99.9th percentile of outdoor RSRP \(p999) dBm")
        #expect(Double(farWithValue) <= 0.05 * Double(far), "\(farWithValue) of \(far) cells > 150 m from buildings carry a value")
        #expect(Double(nearSINROK) >= 0.70 * Double(nearOutdoor), "SINR ≥ 0 dB on \(nearSINROK) of \(nearOutdoor) outdoor cells near buildings")
        let n78 = try #require(op.carriers.first { $0.band == "n78" })
        let peak = n78.maps.downlinkMbps.max() ?? 0
        #expect(peak >= 1000, "n78 downlink peaks at \(peak) Mbit/s")
        let uplink = maps.uplinkMbps.filter { $0 != noData }
        let maxUplink = try #require(uplink.max())
        let atMax = uplink.filter { $0 == maxUplink }.count
        #expect(Double(atMax) <= 0.30 * Double(uplink.count), "\(atMax) of \(uplink.count) cells share the maximum uplink \(maxUplink) Mbit/s")
        // Outside the data area nothing is computed, and the summary counts only covered cells.
        let mask = try #require(result.dataAreaMask)
        #expect(zip(mask, maps.rsrpDBm).allSatisfy { $0.0 != 0 || $0.1 == noData })
        let summary = CoverageSummary(result)
        let counted = summary.operators[0].outdoor.count
        #expect(counted == (0..<mask.count).filter { mask[$0] != 0 && index[$0] < 0 }.count)
    }

    @Test func queriesOutsideTheDataAreaSayNoData() throws {
        let (result, run) = Self.result
        let mask = try #require(result.dataAreaMask)
        let outside = try #require(mask.indices.first { mask[$0] == 0 })
        let inside = try #require(mask.indices.first { mask[$0] != 0 && result.scene.buildingIndex[$0] < 0 })
        func point(_ c: Int) -> MapPoint { result.grid.center(column: c % result.grid.columns, row: c / result.grid.columns) }
        #expect(!run.isInDataArea(point(outside)))
        #expect(run.isInDataArea(point(inside)))
    }
}
