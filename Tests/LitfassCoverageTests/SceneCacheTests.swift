import Foundation
import Testing
import LitfassGeo
import LitfassKernel
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// `SceneCache`: a whole run over flat ground keeps its scene for the next run on the same buildings and grid.
@Suite struct SceneCacheTests {
    /// Two buildings in the ad-hoc square and, unless `area` is false, a data area over its western 300 m.
    static func scenario(height: Double = 18, area: Bool = true, areaWidth: Double = 300) throws -> Scenario {
        var scenario = try AdHoc.scenario(buildings: [AdHoc.box("b1", x: 340_100, y: 5_675_100, w: 60, h: 40, height: height),
                                                      AdHoc.box("b2", x: 340_250, y: 5_675_220, w: 30, h: 90, height: 9)],
                                          transmitters: [AdHoc.omni("A", x: 340_050, y: 5_675_300, eirp: 40)])
        if area {
            let x0 = AdHoc.x0, y0 = AdHoc.y0
            scenario.dataArea = [Polygon(exterior: [MapPoint(x: x0, y: y0), MapPoint(x: x0 + areaWidth, y: y0), MapPoint(x: x0 + areaWidth, y: y0 + 400),
                                                    MapPoint(x: x0, y: y0 + 400), MapPoint(x: x0, y: y0)])]
        }
        return scenario
    }

    static func options(_ folder: TemporaryFolder, resolution: Double = 4) -> CoverageOptions {
        var options = AdHoc.options(resolution: resolution)
        options.sceneCacheDirectory = folder.url.path
        return options
    }

    static func sceneFiles(_ folder: TemporaryFolder) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.url.path)) ?? []).filter { $0.hasPrefix("scene-") }.sorted()
    }

    static func expectEqual(_ a: Scene, _ b: Scene) {
        #expect(a.grid == b.grid)
        #expect(a.buildingHeightMeters.map(\.bitPattern) == b.buildingHeightMeters.map(\.bitPattern))
        #expect(a.buildingIndex == b.buildingIndex)
        #expect(a.groundHeightMeters.map(\.bitPattern) == b.groundHeightMeters.map(\.bitPattern))
    }

    @Test(arguments: [true, false]) func theSecondRunReadsWhatTheFirstStored(area: Bool) throws {
        let folder = TemporaryFolder("scene-cache")
        let scenario = try Self.scenario(area: area)
        let uncached = try CoverageRun(scenario: scenario, options: AdHoc.options(resolution: 4))
        let built = uncached.scene
        let first = try CoverageRun(scenario: scenario, options: Self.options(folder))
        Self.expectEqual(first.scene, built)
        #expect(try first.dataAreaMask() == uncached.dataAreaMask())
        #expect(try uncached.dataAreaMask().map { m in m.contains(0) && m.contains(1) } ?? !area, "the mask should cut the grid")
        let files = Self.sceneFiles(folder)
        #expect(files.count == 1)
        #expect(built.buildingIndex.contains { $0 >= 0 }, "the scene should hold buildings")
        // A file doctored under the same key (every building 1 m higher, the mask inverted) is what the next run gets:
        // it reads the cache.
        let key = SceneCache.key(for: scenario, grid: built.grid)
        let path = folder.file(files[0]).path
        #expect(files[0] == "scene-\(key.prefix(24)).bin")
        let doctored = Scene(grid: built.grid, groundHeightMeters: built.groundHeightMeters,
                             buildingHeightMeters: built.buildingHeightMeters.map { $0 > 0 ? $0 + 1 : 0 }, buildingIndex: built.buildingIndex)
        let doctoredMask = try uncached.dataAreaMask().map { $0.map { 1 - $0 } }
        unlink(path)
        SceneCache.store(doctored, mask: doctoredMask, key: key, path: path, directory: folder.url)
        let second = try CoverageRun(scenario: scenario, options: Self.options(folder))
        Self.expectEqual(second.scene, doctored)
        #expect(try second.dataAreaMask() == doctoredMask)
    }

    @Test func anotherBuildingOrGridMakesAnotherFile() throws {
        let folder = TemporaryFolder("scene-cache")
        _ = try CoverageRun(scenario: try Self.scenario(), options: Self.options(folder))
        let taller = try Self.scenario(height: 18.5)
        let scene = try CoverageRun(scenario: taller, options: Self.options(folder)).scene
        Self.expectEqual(scene, try CoverageRun(scenario: taller, options: AdHoc.options(resolution: 4)).scene)
        _ = try CoverageRun(scenario: taller, options: Self.options(folder, resolution: 5))
        #expect(Self.sceneFiles(folder).count == 3)
        let grid = try CoverageRun(scenario: taller, options: AdHoc.options(resolution: 4)).scene.grid
        #expect(SceneCache.key(for: try Self.scenario(), grid: grid) != SceneCache.key(for: taller, grid: grid))
        // Another data area: another key, and the run gets its own mask.
        let narrower = try Self.scenario(height: 18.5, areaWidth: 200)
        #expect(SceneCache.key(for: narrower, grid: grid) != SceneCache.key(for: taller, grid: grid))
        #expect(SceneCache.key(for: try Self.scenario(height: 18.5, area: false), grid: grid) != SceneCache.key(for: taller, grid: grid))
        let run = try CoverageRun(scenario: narrower, options: Self.options(folder))
        #expect(try run.dataAreaMask() == CoverageRun(scenario: narrower, options: AdHoc.options(resolution: 4)).dataAreaMask())
        #expect(Self.sceneFiles(folder).count == 4)
    }

    @Test func aDamagedFileIsRebuiltNotTrusted() throws {
        let folder = TemporaryFolder("scene-cache")
        let scenario = try Self.scenario()
        let built = try CoverageRun(scenario: scenario, options: Self.options(folder)).scene
        let path = folder.file(Self.sceneFiles(folder)[0]).path
        // Truncated: ignored, the scene is built and stored again.
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count - 4).write(to: URL(fileURLWithPath: path))
        #expect(SceneCache.read(path: path, grid: built.grid, key: SceneCache.key(for: scenario, grid: built.grid), hasMask: true) == nil)
        Self.expectEqual(try CoverageRun(scenario: scenario, options: Self.options(folder)).scene, built)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == whole)
        // Another key in the header (same size): ignored too.
        var other = whole
        other[SceneCache.headerBytes - 1] ^= 1
        try other.write(to: URL(fileURLWithPath: path))
        #expect(SceneCache.read(path: path, grid: built.grid, key: SceneCache.key(for: scenario, grid: built.grid), hasMask: true) == nil)
        Self.expectEqual(try CoverageRun(scenario: scenario, options: Self.options(folder)).scene, built)
    }

    @Test func onlyTheMostRecentlyUsedFilesAreKept() throws {
        let folder = TemporaryFolder("scene-cache")
        let scenario = try Self.scenario()
        // Three scenes (1 m, 2 m, 4 m), then the 1 m one used again; with room for about two, the 2 m one goes.
        var sizes: [Int] = []
        for resolution in [1.0, 2, 4, 1] {
            let grid = try CoverageRun(scenario: scenario, options: Self.options(folder, resolution: resolution)).scene.grid
            sizes.append(SceneCache.headerBytes + 9 * grid.cellCount)
            usleep(20_000)      // distinct modification times
        }
        func file(_ resolution: Double) throws -> String {
            let grid = try SceneBuilder.grid(for: scenario, area: nil, resolutionMeters: resolution, maxCells: 10_000_000)
            return "scene-\(SceneCache.key(for: scenario, grid: grid).prefix(24)).bin"
        }
        #expect(Self.sceneFiles(folder) == [try file(1), try file(2), try file(4)].sorted())
        SceneCache.evict(directory: folder.url, keptBytes: sizes[0] + sizes[2])
        #expect(Self.sceneFiles(folder) == [try file(1), try file(4)].sorted())
        // The newest file (the 1 m one, read last) stays even when it alone is over the limit.
        SceneCache.evict(directory: folder.url, keptBytes: 1)
        #expect(Self.sceneFiles(folder) == [try file(1)])
    }

    /// A temporary file a run left while storing goes with the next eviction once it is 10 minutes old; a fresh one stays.
    @Test func leftoverTemporaryFilesAreRemoved() throws {
        let folder = TemporaryFolder("scene-cache")
        let old = folder.file("scene-0123.bin.4242.tmp").path, fresh = folder.file("scene-4567.bin.4343.tmp").path
        #expect(FileManager.default.createFile(atPath: old, contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: fresh, contents: Data([1, 2, 3])))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: old)
        SceneCache.evict(directory: folder.url, keptBytes: SceneCache.keptBytes)
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: fresh))
    }

    @Test func terrainRunsBuildTheirSceneEveryTime() throws {
        let folder = TemporaryFolder("scene-cache")
        let demGrid = RasterGrid(minX: AdHoc.x0, maxY: AdHoc.y0 + AdHoc.size, cellSizeMeters: 20, columns: 20, rows: 20)
        try RasterIO.writeGeoTIFF(path: folder.file("dem.tif").path, grid: demGrid,
                                  bands: [RasterBand(values: [Float](repeating: 31, count: 400), noDataValue: nil, description: "DEM [m]")])
        var options = Self.options(folder)
        options.demPath = folder.file("dem.tif").path
        let scene = try CoverageRun(scenario: try Self.scenario(), options: options).scene
        #expect(scene.groundHeightMeters.allSatisfy { $0 == 31 })
        #expect(Self.sceneFiles(folder).isEmpty)
    }
}
