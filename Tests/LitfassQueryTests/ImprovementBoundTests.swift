import Foundation
import Testing
import LitfassCoverage
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario
@testable import LitfassQuery
import _LitfassTestSupport

/// "What would change it" skips the candidate small cells that cannot become the strongest sector of their carrier,
/// by an upper bound on their RSRP: free space at the pattern maximum over the cell-centre distance, and indoors
/// minus the smallest building entry loss (P.2109 at 0° elevation). A skipped candidate changes nothing only if no
/// link the kernel gives ever exceeds that bound — checked here on real indoor points against every candidate.
struct ImprovementBoundTests {
    @Test func noCandidateLinkExceedsTheBoundTheAnswerPrunesWith() throws {
        // A 1 km square around Krefelder Straße 15 keeps the debug build quick; the candidates in it are real columns.
        let options = try coverageOptions(around: "Krefelder Straße 15", halfSideMeters: 500)
        let engine = try QueryEngine(scenario: neussScenario, options: options)
        let (plan, candidates) = try #require(engine.improvementPlan)
        #expect(!candidates.isEmpty)
        let coverage = engine.coverage
        let cell = coverage.scene.grid.cellSizeMeters
        // Buildings with an address inside the square, every 7th (about 40 points), on floors 0 and 2.
        let box = coverage.scene.grid.boundingBox
        let points = neussScenario.addresses.filter { $0.buildingID != nil && box.contains($0.location) }.enumerated()
            .filter { $0.offset % 7 == 0 }.map(\.element.location)
        #expect(points.count >= 20)
        let minimum = try #require(candidates.first.map { coverage.kernel.minimumEntryLossDB(frequencyHz: plan.sectors[$0.sector].transmitter.frequencyHz) })
        // P.2109 traditional building, median, at 3.5 GHz and 0°: well above 10 dB (so the bound really is tighter indoors).
        #expect(minimum > 10 && minimum < 25, "\(minimum) dB")
        var checked = 0, tight = 0
        for point in points {
            for floor in [0, 2] {
                let links = coverage.sectorLinks(at: point, plan: plan, indoor: true, floor: floor) { k in candidates.contains { $0.sector == k } }
                for (_, k) in candidates {
                    guard let link = links[k] else { continue }
                    let planned = plan.sectors[k]
                    let d = max(1, point.distance(to: planned.transmitter.position) - 2 * 2.0.squareRoot() * cell)
                    let bound = planned.transmitter.eirpDBm - planned.resourceElementOffsetDB
                        - FreeSpace.pathLossDB(distanceMeters: d, frequencyHz: planned.transmitter.frequencyHz)
                        - coverage.kernel.minimumEntryLossDB(frequencyHz: planned.transmitter.frequencyHz)
                    #expect(link.rsrpDBm <= bound + 1e-3, "candidate \(planned.sector.id) at \(point): \(link.rsrpDBm) dBm above the bound \(bound) dBm")
                    #expect(link.buildingEntryLossDB >= minimum - 1e-9)
                    checked += 1
                    if link.rsrpDBm > bound - 3 { tight += 1 }
                }
            }
        }
        #expect(checked >= 100, "\(checked) links checked")
        // Some links come within 3 dB of the bound (line of sight at a low elevation): it is not loose by construction.
        #expect(tight > 0, "no link within 3 dB of the bound among \(checked)")
    }
}
