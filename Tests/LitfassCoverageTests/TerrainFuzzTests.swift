import Foundation
import Testing
import LitfassGeo
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// Seeded hostile terrain models over a small scene: each is rejected with a one-line error
/// naming the file, or accepted and run through the kernel — never a trap.
@Suite struct TerrainFuzzTests {
    @Test func hostileRastersNeverTrap() throws {
        let folder = TemporaryFolder("dem-fuzz")
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)])
        var random = HostileInput(seed: 2)
        var rejected = 0, run = 0
        for k in 0..<120 {
            let n = 4 + random.below(6)
            let demGrid = RasterGrid(minX: AdHoc.x0, maxY: AdHoc.y0 + AdHoc.size, cellSizeMeters: AdHoc.size / Double(n), columns: n, rows: n)
            // Mostly plausible, a few hostile cells (or a whole hostile raster).
            var values = (0..<(n * n)).map { _ in Float(30 + random.below(20)) }
            for _ in 0..<random.below(3) { values[random.below(values.count)] = random.rasterValue() }
            if random.below(10) == 0 { values = values.map { _ in random.rasterValue() } }
            let noData: Float? = random.below(5) == 0 ? -9999 : nil
            let path = folder.file("dem\(k).tif").path
            try RasterIO.writeGeoTIFF(path: path, grid: demGrid, bands: [RasterBand(values: values, noDataValue: noData, description: "DEM [m]")])
            var options = AdHoc.options()
            options.demPath = path
            options.resolutionMeters = 20
            do {
                let coverage = try CoverageRun(scenario: scenario, options: options)
                _ = try coverage.run()
                run += 1
            } catch let error as CoverageError {
                rejected += 1
                #expect(!"\(error)".contains("\n") && "\(error)".contains(path), "\(error)")
            }
        }
        #expect(rejected > 10 && run > 10, "rejected \(rejected), run \(run)")
    }
}
