import Foundation
import Testing
import LitfassGeo
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// `SceneCache.heightRasterPath`: a run whose scene is in the scene cache keeps its `height.tif` there too, and the next
/// run on the same scene with the same metadata copies it instead of encoding it again.
@Suite struct HeightRasterCacheTests {
    /// The two buildings and data area of `SceneCacheTests`, served by one omni transmitter at `x`.
    static func scenario(transmitterX x: Double = 340_050, height: Double = 18) throws -> Scenario {
        var scenario = try SceneCacheTests.scenario(height: height)
        let (site, sector) = AdHoc.omni("A", x: x, y: 5_675_300, eirp: 40)
        scenario.sites = [site]
        scenario.sectors = [sector]
        return scenario
    }

    /// Runs `scenario` with the scene cache in `cache` (nil: no cache) and writes the maps (no previews) into `out`.
    @discardableResult
    static func write(_ scenario: Scenario, cache: TemporaryFolder?, to out: String, turns: Int? = nil) throws -> CoverageResult {
        var options = AdHoc.options(resolution: 4)
        options.sceneCacheDirectory = cache?.url.path
        options.maxCornerTurns = turns
        let result = try CoverageRun(scenario: scenario, options: options).run()
        try CoverageWriter(previews: false).write(result, to: out)
        return result
    }

    static func heightFiles(_ folder: TemporaryFolder) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.url.path)) ?? []).filter { $0.hasPrefix("height-") }.sorted()
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func theNextRunCopiesTheStoredRaster() throws {
        let cache = TemporaryFolder("height-cache"), out = TemporaryFolder("height-cache-out")
        let first = try Self.write(Self.scenario(), cache: cache, to: out.file("first").path)
        #expect(first.sceneCacheKey != nil)
        let stored = Self.heightFiles(cache)
        #expect(stored.count == 1)
        let storedPath = cache.file(stored[0]).path
        let written = try Self.bytes(out.file("first/height.tif").path)
        #expect(try Self.bytes(storedPath) == written)
        // What the cache holds is what a run without a cache writes, byte for byte.
        let uncached = try Self.write(Self.scenario(), cache: nil, to: out.file("uncached").path)
        #expect(uncached.sceneCacheKey == nil)
        #expect(try Self.bytes(out.file("uncached/height.tif").path) == written)
        // A stored raster with other heights (valid, same grid and bands) is what the next run on the same scene gets, with
        // another transmitter: it copies the file instead of writing it.
        let grid = first.grid
        try FileManager.default.removeItem(atPath: storedPath)
        try RasterIO.writeGeoTIFF(path: storedPath, grid: grid, bands: (1...3).map { k in
            RasterBand(values: [Float](repeating: Float(k), count: grid.cellCount), noDataValue: nil, description: "doctored \(k)")
        })
        let doctored = try Self.bytes(storedPath)
        let second = try Self.write(Self.scenario(transmitterX: 340_200), cache: cache, to: out.file("second").path)
        #expect(second.sceneCacheKey == first.sceneCacheKey)
        #expect(try Self.bytes(out.file("second/height.tif").path) == doctored)
        #expect(try Self.bytes(out.file("second/test-rsrp.tif").path) != Self.bytes(out.file("first/test-rsrp.tif").path),
                "the second run should be another run")
        #expect(Self.heightFiles(cache) == stored)
    }

    @Test func aDamagedOrMismatchedStoredRasterIsWrittenAgain() throws {
        let cache = TemporaryFolder("height-cache"), out = TemporaryFolder("height-cache-out")
        let first = try Self.write(Self.scenario(), cache: cache, to: out.file("first").path)
        let storedPath = cache.file(Self.heightFiles(cache)[0]).path
        let written = try Self.bytes(storedPath)
        // Not a GeoTIFF at all, then a GeoTIFF with one band only: each is removed, and the run writes and stores the file.
        try Data("II*\u{0}garbage".utf8).write(to: URL(fileURLWithPath: storedPath))
        try Self.write(Self.scenario(), cache: cache, to: out.file("second").path)
        #expect(try Self.bytes(out.file("second/height.tif").path) == written)
        #expect(try Self.bytes(storedPath) == written)
        try FileManager.default.removeItem(atPath: storedPath)
        try RasterIO.writeGeoTIFF(path: storedPath, grid: first.grid, bands: [
            RasterBand(values: [Float](repeating: 7, count: first.grid.cellCount), noDataValue: nil, description: "one band")])
        try Self.write(Self.scenario(), cache: cache, to: out.file("third").path)
        #expect(try Self.bytes(out.file("third/height.tif").path) == written)
        #expect(try Self.bytes(storedPath) == written)
    }

    @Test func anotherSceneOrOtherMetadataMakeAnotherFile() throws {
        let cache = TemporaryFolder("height-cache"), out = TemporaryFolder("height-cache-out")
        try Self.write(Self.scenario(), cache: cache, to: out.file("a").path, turns: 2)
        try Self.write(Self.scenario(), cache: cache, to: out.file("b").path, turns: 1)   // LITFASS_CORNER_TURNS differs
        try Self.write(Self.scenario(height: 19), cache: cache, to: out.file("c").path, turns: 2)
        #expect(Self.heightFiles(cache).count == 3)
        #expect(try Self.bytes(out.file("a/height.tif").path) != Self.bytes(out.file("b/height.tif").path))
        let metadata = ["LITFASS_UNIT": "m"]
        let path = SceneCache.heightRasterPath(directory: "/c", sceneKey: "k1", metadata: metadata)
        #expect(path != nil && path == SceneCache.heightRasterPath(directory: "/c", sceneKey: "k1", metadata: metadata))
        #expect(path != SceneCache.heightRasterPath(directory: "/c", sceneKey: "k2", metadata: metadata))
        #expect(path != SceneCache.heightRasterPath(directory: "/c", sceneKey: "k1", metadata: ["LITFASS_UNIT": "ft"]))
        #expect(path?.hasPrefix("/c/height-") == true && path?.hasSuffix(".tif") == true)
    }

    @Test func terrainRunsWriteTheirHeightRasterEveryTime() throws {
        let cache = TemporaryFolder("height-cache"), out = TemporaryFolder("height-cache-out")
        let demGrid = RasterGrid(minX: AdHoc.x0, maxY: AdHoc.y0 + AdHoc.size, cellSizeMeters: 20, columns: 20, rows: 20)
        try RasterIO.writeGeoTIFF(path: cache.file("dem.tif").path, grid: demGrid,
                                  bands: [RasterBand(values: [Float](repeating: 31, count: 400), noDataValue: nil, description: "DEM [m]")])
        var options = AdHoc.options(resolution: 4)
        options.sceneCacheDirectory = cache.url.path
        options.demPath = cache.file("dem.tif").path
        let result = try CoverageRun(scenario: try Self.scenario(), options: options).run()
        #expect(result.sceneCacheKey == nil)
        try CoverageWriter(previews: false).write(result, to: out.file("dem").path)
        #expect(Self.heightFiles(cache).isEmpty)
        #expect(try RasterIO.readBand(path: out.file("dem/height.tif").path, band: 3).allSatisfy { $0 == 31 })
    }

    /// The code's file is the test binary here (run directly, so `/proc/self/exe` names it too).
    @Test func theCodeIdentityNamesTheFileThatHoldsTheCode() throws {
        var info = stat()
        #expect(stat("/proc/self/exe", &info) == 0)
        #expect(SceneCache.codeIdentity == "\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
    }

    /// Height rasters share the scene files' room: the least recently used go first, whichever kind they are.
    @Test func evictionCountsHeightRasters() throws {
        let cache = TemporaryFolder("height-cache")
        let names = ["height-old.tif", "scene-middle.bin", "height-new.tif"]
        for (k, name) in names.enumerated() {
            #expect(FileManager.default.createFile(atPath: cache.file(name).path, contents: Data(repeating: 1, count: 1000)))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: Double(k - 10) * 60)], ofItemAtPath: cache.file(name).path)
        }
        SceneCache.evict(directory: cache.url, keptBytes: 2000)
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: cache.url.path)) ?? []).sorted()
        #expect(left == ["height-new.tif", "scene-middle.bin"])
    }
}
