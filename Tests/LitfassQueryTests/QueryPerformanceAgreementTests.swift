import Foundation
import Testing
import LitfassCoverage
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario
@testable import LitfassQuery
import _LitfassTestSupport

/// The fast point links on the real Neuss scene agree with the coverage maps' `compute`.
@Suite struct QueryPerformanceAgreementTests {
    /// Three sectors of different sites (seeded choice), range cut to 500 m so the windows stay small in a debug
    /// build; 100 random cells of each window (300 within 100 m for a 5 m small cell with 650 m range) (outdoor and indoor, 1.5 m): `link` must give `compute`'s value.
    @Test func pointLinksEqualComputeOnTheNeussScene() throws {
        let run = try CoverageRun(scenario: neussScenario)
        var rng = SeededGenerator(seed: 5)
        var sites = Set<String>()
        var chosen: [Transmitter] = []
        // Sectors near the centre of the scene (where the buildings are), from different sites.
        let box = run.scene.grid.boundingBox
        let centre = neussScenario.addresses.first { $0.street == "Krefelder Straße" }?.location
            ?? MapPoint(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2)
        let nearby = run.plan.sectors.filter { $0.transmitter.position.distance(to: centre) < 1500 }.shuffled(using: &rng)
        for planned in nearby where chosen.count < 3 && sites.insert(planned.sector.siteID).inserted {
            var tx = planned.transmitter
            tx.maxRangeMeters = 500
            chosen.append(tx)
        }
        #expect(chosen.count == 3)
        // And a 5 m small cell at the candidate Litfaßsäule nearest the centre, with a long range, so that its
        // points lie deep inside the window (the precomputed node cluster rule applies) and corners matter.
        if let site = neussScenario.candidateSites.min(by: { $0.location.distance(to: centre) < $1.location.distance(to: centre) }) {
            var tx = chosen[0]
            tx.id = "small-cell"
            tx.position = site.location
            tx.antennaHeightMeters = 5
            tx.maxRangeMeters = 650
            chosen.append(tx)
        }
        var cells = 0, identical = 0, within01 = 0, within1 = 0, typeMismatch = 0, corner = 0, indoor = 0
        let g = run.scene.grid
        for tx in chosen {
            let w = run.kernel.compute(tx)
            var taken = 0
            let small = tx.id == "small-cell"
            while taken < (small ? 300 : 100) {
                let x = Int.random(in: 0..<w.columns, using: &rng), y = Int.random(in: 0..<w.rows, using: &rng)
                let i = y * w.columns + x
                guard w.receivedPowerDBm[i].isFinite else { continue }
                if small && g.center(column: w.columnOffset + x, row: w.rowOffset + y).distance(to: tx.position) > 100 { continue }
                taken += 1
                let col = w.columnOffset + x, row = w.rowOffset + y
                let link = run.kernel.link(tx, to: g.center(column: col, row: row))
                let type = PathType(rawValue: w.pathType[i])!
                cells += 1
                if type == .aroundCorners { corner += 1 }
                if run.scene.buildingIndex[row * g.columns + col] >= 0 { indoor += 1 }
                if link.pathType != type { typeMismatch += 1 }
                let d = abs(link.receivedPowerDBm - Double(w.receivedPowerDBm[i]))
                if Float(link.receivedPowerDBm) == w.receivedPowerDBm[i] { identical += 1 }
                if d <= 0.1 { within01 += 1 }
                if d <= 1 { within1 += 1 }
            }
        }
        print("Neuss point links: \(cells) cells (\(indoor) indoor, \(corner) around corners): bit-identical \(identical), "
              + "≤ 0.1 dB \(within01), ≤ 1 dB \(within1), type mismatches \(typeMismatch)")
        #expect(typeMismatch == 0)
        #expect(within1 == cells)
        #expect(Double(within01) >= 0.995 * Double(cells))
    }
}
