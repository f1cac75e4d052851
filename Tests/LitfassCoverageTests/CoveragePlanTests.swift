import Foundation
import Testing
import LitfassGeo
import LitfassKernel
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// Tiled plans: every tile, joined, equals the whole run on every cell; moving one site recomputes only the tiles
/// within its reach.
@Suite(.serialized) struct CoveragePlanTests {
    static let header = "id,lon,lat,height,azimuth,tilt,band,eirp,operator"

    /// A site list over the default scenario (Neuss): sites at EPSG:25832 positions, two operators sharing one mast.
    static func sitesCSV(moving site: String? = nil, by dx: Double = 0) throws -> String {
        let rows: [(String, Double, Double, Double, String, Double, String)] = [
            ("A", 338_010, 5_675_490, 0, "B3", 46, "Test"), ("A", 338_010, 5_675_490, 120, "B3", 46, "Test"),
            ("A", 338_010, 5_675_490, 240, "n78", 58, "Test"), ("A", 338_010, 5_675_490, 0, "B3", 43, "Other"),
            ("B", 338_610, 5_674_810, 90, "B3", 46, "Test"), ("B", 338_610, 5_674_810, 270, "B3", 46, "Test"),
            ("C", 337_790, 5_674_210, 45, "B3", 46, "Other"), ("D", 339_010, 5_676_190, 200, "B3", 46, "Test"),
        ]
        let projection = try Projection(from: .utm32N, to: .wgs84)
        var lines = [header]
        for (id, x, y, azimuth, band, eirp, op) in rows {
            let ll = try projection.toLonLat([MapPoint(x: x + (id == site ? dx : 0), y: y)])[0]
            lines.append("\(id),\(ll.lon),\(ll.lat),25,\(formatNumber(azimuth)),4,\(band),\(formatNumber(eirp)),\(op)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func options(maxRange: Double) -> CoverageOptions {
        var o = CoverageOptions()
        o.resolutionMeters = 20
        o.maxRangeMeters = maxRange
        o.threads = 2
        return o
    }

    /// Every map of every operator, every band: the mosaic's cells equal the whole run's (bit for bit).
    static func expectMosaicEqualsWholeRun(_ directory: String, scenario: Scenario, options: CoverageOptions) throws {
        let result = try CoverageRun(scenario: scenario, options: options).run()
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("mosaic")
        for op in result.operators {
            let stem = CoverageWriter.slug(op.name)
            let expected: [(String, [[Float]])] = [
                ("rsrp", [op.combined.rsrpDBm] + op.carriers.map(\.maps.rsrpDBm)),
                ("best-server", [op.combined.bestServer.map { Float($0) }] + op.carriers.map { $0.maps.bestServer.map { Float($0) } }),
                ("sinr", [op.combined.sinrDB] + op.carriers.map(\.maps.sinrDB)),
                ("dl-throughput", [op.combined.downlinkMbps] + op.carriers.map(\.maps.downlinkMbps)),
                ("ul-throughput", [op.combined.uplinkMbps] + op.carriers.map(\.maps.uplinkMbps)),
            ]
            for (map, bands) in expected {
                let (grid, read) = try RasterIO.readBands(path: folder.appendingPathComponent("\(stem)-\(map).tif").path)
                #expect(grid.minX == result.grid.minX && grid.maxY == result.grid.maxY && grid.columns == result.grid.columns
                        && grid.rows == result.grid.rows, "\(stem)-\(map) grid")
                #expect(read.count == bands.count, "\(stem)-\(map) bands")
                for (k, band) in bands.enumerated() where k < read.count {
                    let differing = zip(band, read[k]).filter { $0.bitPattern != $1.bitPattern }.count
                    #expect(differing == 0, "\(stem)-\(map) band \(k + 1): \(differing) cells differ")
                }
                let served = bands[0].filter { $0 != CoverageResult.noData && $0 != -1 }.count
                #expect(served > grid.cellCount / 10, "\(stem)-\(map): only \(served) cells with a value")
            }
        }
    }

    @Test func defaultScenarioTilesJoinToTheWholeRun() throws {
        let folder = TemporaryFolder("plan")
        let scenarioPath = try DefaultScenario.path()
        let options = Self.options(maxRange: 1500)
        let plan = try TiledCoverage.plan(directory: folder.url.path, scenarioPath: scenarioPath, sitesPath: nil, options: options,
                                          tileSizeMeters: 2000)
        #expect(plan.tileCount >= 2 && plan.tileCount == plan.tiles.count)
        // Tile edges inside the grid lie on multiples of the tile size.
        for tile in plan.tiles {
            for edge in [tile.minX, tile.maxX] where edge != plan.grid.minX && edge != plan.grid.minX + Double(plan.grid.columns) * 20 {
                #expect(edge.truncatingRemainder(dividingBy: 2000) == 0)
            }
        }
        #expect(plan.tiles.reduce(0) { $0 + $1.cells.cellCount } == plan.grid.columns * plan.grid.rows)
        for i in 0..<plan.tileCount {
            let outcome = try TiledCoverage.runTile(directory: folder.url.path, index: i, threads: 2)
            #expect(!outcome.unchanged)
        }
        try TiledCoverage.mosaic(directory: folder.url.path)
        try Self.expectMosaicEqualsWholeRun(folder.url.path, scenario: try ScenarioStore.load(path: scenarioPath), options: options)
        // A second run of a tile does nothing.
        #expect(try TiledCoverage.runTile(directory: folder.url.path, index: 0, threads: 2).unchanged)
    }

    @Test func movingOneSiteRecomputesOnlyTheTilesInItsReach() throws {
        let folder = TemporaryFolder("plan-incremental")
        let dir = folder.url.appendingPathComponent("plan").path
        let sites = folder.url.appendingPathComponent("sites.csv").path
        try Self.sitesCSV().write(toFile: sites, atomically: true, encoding: .utf8)
        let scenarioPath = try DefaultScenario.path()
        let options = Self.options(maxRange: 600)
        let first = try TiledCoverage.plan(directory: dir, scenarioPath: scenarioPath, sitesPath: sites, options: options, tileSizeMeters: 500)
        #expect(first.changes == nil)
        for i in 0..<first.tileCount { _ = try TiledCoverage.runTile(directory: dir, index: i, threads: 2) }

        try Self.sitesCSV(moving: "B", by: 50).write(toFile: sites, atomically: true, encoding: .utf8)
        // The plan's inputs changed: a tile refuses to run until planned again.
        #expect(throws: CoverageError.self) { try TiledCoverage.runTile(directory: dir, index: 0, threads: 2) }
        let second = try TiledCoverage.plan(directory: dir, scenarioPath: scenarioPath, sitesPath: sites, options: options, tileSizeMeters: 500)
        #expect(second.grid == first.grid)

        // Independently from the geometry: the cells within reach of B's sectors (range 600 m, 20 m cells: 30 cells + 1),
        // before and after the move, and the tiles holding any of them.
        let grid = second.rasterGrid
        func reachBox(x: Double, y: Double) -> (c0: Int, r0: Int, c1: Int, r1: Int) {
            let column = Int(((x - grid.minX) / 20).rounded(.down)), row = Int(((grid.maxY - y) / 20).rounded(.down))
            return (column - 31, row - 31, column + 31, row + 31)
        }
        let boxes = [reachBox(x: 338_610, y: 5_674_810), reachBox(x: 338_660, y: 5_674_810)]
        let affected = second.tiles.filter { tile in
            boxes.contains { b in tile.cells.column <= b.c1 && b.c0 < tile.cells.endColumn && tile.cells.row <= b.r1 && b.r0 < tile.cells.endRow }
        }.map(\.index)
        #expect(!affected.isEmpty && affected.count < second.tileCount, "\(affected.count) of \(second.tileCount)")
        #expect(second.changes == TilePlan.Changes(tiles: affected.count, transmitters: 2))

        var recomputed: [Int] = []
        for i in 0..<second.tileCount {
            let outcome = try TiledCoverage.runTile(directory: dir, index: i, threads: 2)
            if !outcome.unchanged {
                recomputed.append(i)
                // Only B's two sectors are new kernel work; the rest come from the window cache.
                #expect(outcome.computed <= 2 && outcome.computed + outcome.cached == outcome.transmitters, "tile \(i)")
            }
        }
        #expect(recomputed == affected)
        try TiledCoverage.mosaic(directory: dir)
        let scenario = try TiledCoverage.loadScenario(scenarioPath, sitesPath: sites)
        try Self.expectMosaicEqualsWholeRun(dir, scenario: scenario, options: options)
    }

    @Test func tilesOverTerrainJoinToTheWholeRun() throws {
        // A synthetic 30 m terrain model over the area, its cells not on the 20 m lattice: the ground is resampled
        // (bilinear) onto each tile's scene and must give the same heights as on the whole grid.
        let folder = TemporaryFolder("plan-dem")
        let demGrid = RasterGrid(minX: 336_005, maxY: 5_679_005, cellSizeMeters: 30, columns: 180, rows: 260)
        let heights = (0..<demGrid.cellCount).map { i -> Float in
            let x = Double(i % demGrid.columns), y = Double(i / demGrid.columns)
            return Float(40 + 8 * sin(x / 9) + 5 * cos(y / 13) + 0.1 * x)
        }
        let dem = folder.url.appendingPathComponent("dem.tif").path
        try RasterIO.writeGeoTIFF(path: dem, grid: demGrid, bands: [RasterBand(values: heights, noDataValue: nil, description: "DEM [m]")])
        let sites = folder.url.appendingPathComponent("sites.csv").path
        try Self.sitesCSV().write(toFile: sites, atomically: true, encoding: .utf8)
        var options = Self.options(maxRange: 600)
        options.demPath = dem
        let dir = folder.url.appendingPathComponent("plan").path
        let scenarioPath = try DefaultScenario.path()
        let plan = try TiledCoverage.plan(directory: dir, scenarioPath: scenarioPath, sitesPath: sites, options: options, tileSizeMeters: 1000)
        #expect(plan.inputs.dem?.sha256 == (try Checksum.sha256(fileAt: dem)))
        for i in 0..<plan.tileCount { _ = try TiledCoverage.runTile(directory: dir, index: i, threads: 2) }
        try TiledCoverage.mosaic(directory: dir)
        try Self.expectMosaicEqualsWholeRun(dir, scenario: try TiledCoverage.loadScenario(scenarioPath, sitesPath: sites), options: options)
    }

    @Test func oneAndTwoThreadsGiveTheSameTile() throws {
        let folder = TemporaryFolder("plan-threads")
        let sites = folder.url.appendingPathComponent("sites.csv").path
        try Self.sitesCSV().write(toFile: sites, atomically: true, encoding: .utf8)
        var values: [[Float]] = []
        for threads in [1, 2] {
            let dir = folder.url.appendingPathComponent("plan\(threads)").path
            let plan = try TiledCoverage.plan(directory: dir, scenarioPath: try DefaultScenario.path(), sitesPath: sites,
                                              options: Self.options(maxRange: 600), tileSizeMeters: 1000)
            let busiest = plan.tiles.max { $0.transmitters.count < $1.transmitters.count }!.index
            let outcome = try TiledCoverage.runTile(directory: dir, index: busiest, threads: threads)
            #expect(outcome.computed > 0)
            values.append(try ["test-rsrp", "test-sinr", "test-best-server"].flatMap {
                try RasterIO.readBands(path: URL(fileURLWithPath: outcome.directory).appendingPathComponent("\($0).tif").path).bands.flatMap { $0 }
            })
        }
        #expect(values[0].map(\.bitPattern) == values[1].map(\.bitPattern))
    }

    @Test func badIndexAndMissingTilesAreNamed() throws {
        let folder = TemporaryFolder("plan-errors")
        let sites = folder.url.appendingPathComponent("sites.csv").path
        try Self.sitesCSV().write(toFile: sites, atomically: true, encoding: .utf8)
        let plan = try TiledCoverage.plan(directory: folder.url.path, scenarioPath: try DefaultScenario.path(), sitesPath: sites,
                                          options: Self.options(maxRange: 600), tileSizeMeters: 1000)
        #expect(throws: CoverageError.tileIndex(index: plan.tileCount, tileCount: plan.tileCount)) {
            try TiledCoverage.runTile(directory: folder.url.path, index: plan.tileCount, threads: 1)
        }
        do {
            try TiledCoverage.mosaic(directory: folder.url.path)
            Issue.record("mosaic without tiles must fail")
        } catch let error as CoverageError {
            #expect("\(error)".contains("tiles not computed for this plan: 0, 1"), "\(error)")
        }
        #expect(throws: CoverageError.self) {
            try TilePlan.make(scenarioPath: try DefaultScenario.path(), sitesPath: sites, options: Self.options(maxRange: 600), tileSizeMeters: 510)
        }
    }
}
