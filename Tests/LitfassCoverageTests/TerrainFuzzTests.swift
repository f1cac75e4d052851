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

/// The same through the `litfass` process: a DEM with a NaN cell and no nodata is exit 1, not a trap.
@Suite struct TerrainProcessTests {
    @Test func aNaNTerrainModelIsExit1ThroughTheProcess() throws {
        let folder = TemporaryFolder("dem-process")
        // A 30 km DEM around Neuss (EPSG:25832), NaN but for its first row, no nodata value.
        let grid = RasterGrid(minX: 325_000, maxY: 5_690_000, cellSizeMeters: 500, columns: 60, rows: 60)
        var values = [Float](repeating: .nan, count: 3600)
        for k in 0..<60 { values[k] = 40 }
        let dem = folder.file("dem.tif").path
        try RasterIO.writeGeoTIFF(path: dem, grid: grid, bands: [RasterBand(values: values, noDataValue: nil, description: "DEM [m]")])
        let r = try runProcess(TestPaths.litfassExecutable, ["coverage", "--bbox", "6.690,51.195,6.700,51.200", "--resolution", "25", "--no-previews",
                                                             "--dem", dem, "--out", folder.file("out").path])
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(dem) && r.stderr.contains("ground heights must be finite"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
