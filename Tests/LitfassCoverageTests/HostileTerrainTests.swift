import Foundation
import Testing
import LitfassGeo
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// Terrain models whose heights the kernel cannot use: rejected where the file is read, naming it.
@Suite struct HostileTerrainTests {
    @Test(arguments: [Float.nan, 3.4e38, -3.4e38, Float.infinity, 90_000])
    func aDEMWithAnImpossibleHeightIsAnErrorNotATrap(bad: Float) throws {
        let folder = TemporaryFolder("dem-hostile")
        let demGrid = RasterGrid(minX: AdHoc.x0, maxY: AdHoc.y0 + AdHoc.size, cellSizeMeters: 20, columns: 20, rows: 20)
        var values = [Float](repeating: 40, count: 400)
        values[7 * 20 + 9] = bad
        let path = folder.file("dem.tif").path
        try RasterIO.writeGeoTIFF(path: path, grid: demGrid, bands: [RasterBand(values: values, noDataValue: nil, description: "DEM [m]")])
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)])
        var options = AdHoc.options()
        options.demPath = path
        do {
            _ = try CoverageRun(scenario: scenario, options: options)
            Issue.record("a DEM holding \(bad) was accepted")
        } catch let error as CoverageError {
            let text = "\(error)"
            #expect(text.hasPrefix(path) && text.contains("ground heights must be finite"), "\(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test func a1e300PixelOfADoubleRasterIsRejected() throws {
        // GDAL reads a Float64 raster's 1e300 into Float as +inf: still rejected with the file named.
        let folder = TemporaryFolder("dem-hostile")
        let path = folder.file("dem.asc").path
        var text = "ncols 20\nnrows 20\nxllcorner \(AdHoc.x0)\nyllcorner \(AdHoc.y0 + AdHoc.size - 400)\ncellsize 20\n"
        for r in 0..<20 { text += (0..<20).map { r == 5 && $0 == 5 ? "1e300" : "40.0" }.joined(separator: " ") + "\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try "PROJCS[\"ETRS89 / UTM zone 32N\",GEOGCS[\"ETRS89\",DATUM[\"D_ETRS_1989\",SPHEROID[\"GRS_1980\",6378137,298.257222101]],PRIMEM[\"Greenwich\",0],UNIT[\"Degree\",0.017453292519943295]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",9],PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],UNIT[\"Meter\",1]]".write(toFile: folder.file("dem.prj").path, atomically: true, encoding: .utf8)
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)])
        var options = AdHoc.options()
        options.demPath = path
        #expect(throws: CoverageError.self) { try CoverageRun(scenario: scenario, options: options) }
    }
}

/// A `--bbox` that misses the scenario is a usage error, not silently empty maps.
@Suite struct BBoxOutsideScenarioTests {
    @Test func aBoxBesideTheScenarioIsAnError() throws {
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)])
        let far = try #require(GeographicBox.parse("7.50,51.50,7.51,51.51"))
        do {
            _ = try SceneBuilder.grid(for: scenario, area: far, resolutionMeters: 10, maxCells: 10_000_000)
            Issue.record("a box beside the scenario was accepted")
        } catch CoverageError.areaOutsideScenario(let message) {
            #expect(message.contains("does not overlap the scenario"), "\(message)")
        }
        let r = try runProcess(TestPaths.litfassExecutable, ["coverage", "--bbox", "7.50,51.50,7.51,51.51", "--resolution", "20", "--no-previews",
                                                             "--out", TemporaryFolder("bbox").file("out").path])
        #expect(r.status == 2, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("does not overlap the scenario"), "\(r.stderr)")
    }
}
