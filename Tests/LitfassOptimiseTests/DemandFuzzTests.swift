import Foundation
import Testing
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassOptimise

/// Seeded hostile demand weights: each layer is read or refused with a one-line error naming the
/// file; accepted weights are finite, ≥ 0 and within the limits, and the report formats them.
struct DemandFuzzTests {
    @Test func hostileWeightsAreReadOrRefusedNeverTrapped() throws {
        let folder = TemporaryFolder("litfass-demand-fuzz")
        let scenario = try ScenarioStore.load(path: try DefaultScenario.path())
        var random = HostileInput(seed: 19)
        var accepted = 0, refused = 0
        for k in 0..<60 {
            let path = folder.file("d\(k).csv").path
            var text = "name,lon,lat,weight\n"
            let hostile = random.below(2) == 0
            for r in 0..<(1 + random.below(40)) {
                let weight = hostile && random.below(4) == 0 ? random.numberText() : String(random.below(1000))
                let quoted = "\"" + weight.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                text += "p\(r),\(6.68 + Double(random.below(200)) / 10_000),\(51.19 + Double(random.below(200)) / 10_000),\(quoted)\n"
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                let (units, _) = try DemandSource.layer(path: path, weightAttribute: nil, unweighted: false, scenario: scenario)
                accepted += 1
                #expect(units.allSatisfy { $0.weight.isFinite && $0.weight > 0 && $0.weight <= DemandSource.maxWeight })
                let total = units.reduce(0) { $0 + $1.weight }
                #expect(total <= DemandSource.maxTotalWeight)
                _ = fmt0(total)
            } catch let error as OptimiseError {
                refused += 1
                #expect(!"\(error)".contains("\n"), "\(error)")
                #expect("\(error)".contains(path), "\(error)")
            }
        }
        #expect(accepted > 5 && refused > 5, "accepted \(accepted), refused \(refused)")
        // The report's number formatting takes any double without trapping.
        for _ in 0..<2000 { _ = fmt0(Double(bitPattern: random.next())); _ = fmt(Double(bitPattern: random.next())) }
        _ = fmt0(.nan); _ = fmt0(.infinity); _ = fmt0(1e19); _ = fmt(-.infinity)
    }
}
