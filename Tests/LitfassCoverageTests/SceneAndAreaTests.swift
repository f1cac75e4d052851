import Foundation
import Testing
import LitfassGeo
import LitfassScenario
import LitfassRadio
import _LitfassTestSupport
@testable import LitfassCoverage

@Suite struct SceneAndAreaTests {
    @Test func groundComesFromATerrainModel() throws {
        let folder = TemporaryFolder("dem")
        // A 20 m DEM over the ad-hoc square rising 1 m per cell eastwards: 30, 31, … m.
        let demGrid = RasterGrid(minX: AdHoc.x0, maxY: AdHoc.y0 + AdHoc.size, cellSizeMeters: 20, columns: 20, rows: 20)
        let values = (0..<400).map { Float(30 + $0 % 20) }
        try RasterIO.writeGeoTIFF(path: folder.file("dem.tif").path, grid: demGrid,
                                  bands: [RasterBand(values: values, noDataValue: nil, description: "DEM [m]")])
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)])
        var options = AdHoc.options()
        options.demPath = folder.file("dem.tif").path
        let scene = try CoverageRun(scenario: scenario, options: options).scene
        // Bilinear onto 10 m cells: a cell centre between two DEM centres gets the mean of both.
        #expect(abs(scene.groundHeightMeters[5 * 40 + 11] - 35.25) < 0.01)
        #expect(scene.groundHeightMeters.allSatisfy { $0 >= 29.9 && $0 <= 49.1 })
        options.demPath = folder.file("missing.tif").path
        #expect(throws: CoverageError.self) { try CoverageRun(scenario: scenario, options: options) }
    }

    @Test func bboxInDegreesBecomesAUTMGridHoldingIt() throws {
        let box = try #require(GeographicBox.parse("6.68, 51.19, 6.69, 51.20"))
        // A site inside the box, so that the box overlaps the scenario (a box beside it is an error).
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 338_250, y: 5_674_100, eirp: 40)])
        let grid = try SceneBuilder.grid(for: scenario, area: box, resolutionMeters: 5, maxCells: 10_000_000)
        let corners = try Projection(from: .wgs84, to: .utm32N).forward([
            LonLat(lon: 6.68, lat: 51.19), LonLat(lon: 6.69, lat: 51.19), LonLat(lon: 6.68, lat: 51.20), LonLat(lon: 6.69, lat: 51.20)])
        for corner in corners { #expect(grid.boundingBox.contains(corner)) }
        #expect(grid.boundingBox.width > 690 && grid.boundingBox.width < 780, "\(grid.boundingBox.width)")
        #expect(grid.boundingBox.height > 1100 && grid.boundingBox.height < 1160, "\(grid.boundingBox.height)")
        #expect(grid.minX.truncatingRemainder(dividingBy: 5) == 0)
        #expect(GeographicBox.parse("6.69,51.19,6.68,51.20") == nil)
        #expect(GeographicBox.parse("6.68,51.19,6.69") == nil)
        #expect(throws: CoverageError.self) { try SceneBuilder.grid(for: scenario, area: box, resolutionMeters: 0.1, maxCells: 1_000_000) }
    }

    @Test func progressIsReportedInOrderUpToAllSectors() throws {
        let transmitters = (0..<5).map { AdHoc.omni("S\($0)", x: 340_050 + Double($0) * 60, y: 5_675_200, eirp: 40) }
        let run = try CoverageRun(scenario: try AdHoc.scenario(transmitters: transmitters), options: AdHoc.options(threads: 2))
        var seen: [Int] = []
        _ = try run.run { seen.append($0.completedSectors); #expect($0.totalSectors == 5) }
        #expect(seen.first == 0 && seen.last == 5)
        #expect(seen == seen.sorted())
    }

    @Test func linksAtAFloorRaiseTheReceiver() throws {
        let run = try CoverageRun(scenario: try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)]),
                                  options: AdHoc.options())
        let point = AdHoc.center(column: 20, row: 19)
        let ground = try #require(run.linksAt(point: point, indoor: true, floor: 0).first?.serving)
        let fifth = try #require(run.linksAt(point: point, indoor: true, floor: 5).first?.serving)
        // The antenna is 20 m up; the 5th floor (1.5 m + 5 × 3 m) is closer to it than the ground floor.
        #expect(fifth.distanceMeters < ground.distanceMeters)
        #expect(run.storeyHeightMeters == 3)
    }

    @Test func resourceBlocksFollowThe3GPPTables() throws {
        #expect(ResourceGrid.resourceBlocks(band: Band.named("B20")!, bandwidthHz: 10e6) == 50)
        #expect(ResourceGrid.resourceBlocks(band: Band.named("B3")!, bandwidthHz: 20e6) == 100)
        #expect(ResourceGrid.resourceBlocks(band: Band.named("n78")!, bandwidthHz: 100e6) == 273)
        #expect(ResourceGrid.resourceBlocks(band: Band.named("n78")!, bandwidthHz: 70e6) == 189)
        #expect(ResourceGrid.resourceBlocks(band: Band.named("n28")!, bandwidthHz: 10e6) == 52)
        // Not in the table: the preset's occupancy scaled (n78: 273 · 12 · 30 kHz / 100 MHz = 0.983).
        #expect(ResourceGrid.resourceBlocks(band: Band.named("n78")!, bandwidthHz: 35e6) == 95)
    }
}
