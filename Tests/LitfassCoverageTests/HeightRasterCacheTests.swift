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

    /// The height rasters in the cache (not their checksum files).
    static func heightFiles(_ folder: TemporaryFolder) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.url.path)) ?? [])
            .filter { $0.hasPrefix("height-") && $0.hasSuffix(".tif") }.sorted()
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func theNextRunCopiesTheStoredRaster() throws {
        let cache = TemporaryFolder("height-cache"), out = TemporaryFolder("height-cache-out")
        let first = try Self.write(Self.scenario(), cache: cache, to: out.file("first").path)
        let key = try #require(first.sceneCacheKey)
        let stored = Self.heightFiles(cache)
        #expect(stored.count == 1 && stored[0].hasPrefix("height-\(key.prefix(24))-"))
        let storedPath = cache.file(stored[0]).path
        let written = try Self.bytes(out.file("first/height.tif").path)
        #expect(try Self.bytes(storedPath) == written)
        #expect(try String(contentsOfFile: SceneCache.checksumPath(ofHeightRaster: storedPath), encoding: .utf8)
                == "\(written.count) \(Checksum.sha256(written))")
        // What the cache holds is what a run without a cache writes, byte for byte.
        let uncached = try Self.write(Self.scenario(), cache: nil, to: out.file("uncached").path)
        #expect(uncached.sceneCacheKey == nil)
        #expect(try Self.bytes(out.file("uncached/height.tif").path) == written)
        // A raster with other heights stored under the same name is what the next run on the same scene gets, with another
        // transmitter: it copies the file instead of writing it.
        let grid = first.grid
        let doctoredPath = out.file("doctored.tif").path
        try RasterIO.writeGeoTIFF(path: doctoredPath, grid: grid, bands: (1...3).map { k in
            RasterBand(values: [Float](repeating: Float(k), count: grid.cellCount), noDataValue: nil, description: "doctored \(k)")
        })
        SceneCache.storeHeightRaster(doctoredPath, at: storedPath, sceneKey: key)
        let second = try Self.write(Self.scenario(transmitterX: 340_200), cache: cache, to: out.file("second").path)
        #expect(second.sceneCacheKey == key)
        #expect(try Self.bytes(out.file("second/height.tif").path) == Self.bytes(doctoredPath))
        #expect(try Self.bytes(out.file("second/test-rsrp.tif").path) != Self.bytes(out.file("first/test-rsrp.tif").path),
                "the second run should be another run")
        #expect(Self.heightFiles(cache) == stored)
    }

    /// A stored raster that does not match its checksum file — other bytes, cut short, no checksum file — is never
    /// copied: the run writes the file and stores it again.
    @Test(arguments: ["garbage", "cut short", "no checksum"]) func aDamagedStoredRasterIsWrittenAgain(damage: String) throws {
        let cache = TemporaryFolder("height-cache"), out = TemporaryFolder("height-cache-out")
        try Self.write(Self.scenario(), cache: cache, to: out.file("first").path)
        let storedPath = cache.file(Self.heightFiles(cache)[0]).path
        let written = try Self.bytes(storedPath)
        switch damage {
        case "garbage": try Data("II*\u{0}garbage".utf8).write(to: URL(fileURLWithPath: storedPath))
        case "cut short": try written.prefix(written.count / 2).write(to: URL(fileURLWithPath: storedPath))
        default: unlink(SceneCache.checksumPath(ofHeightRaster: storedPath))
        }
        try Self.write(Self.scenario(), cache: cache, to: out.file("second").path)
        #expect(try Self.bytes(out.file("second/height.tif").path) == written)
        #expect(try Self.bytes(storedPath) == written)
        #expect(try String(contentsOfFile: SceneCache.checksumPath(ofHeightRaster: storedPath), encoding: .utf8)
                == "\(written.count) \(Checksum.sha256(written))")
    }

    /// One raster per scene: the one of the latest metadata replaces the scene's earlier one; another scene has its own.
    @Test func oneRasterPerSceneTheLatestMetadataWins() throws {
        let cache = TemporaryFolder("height-cache"), out = TemporaryFolder("height-cache-out")
        let a = try Self.write(Self.scenario(), cache: cache, to: out.file("a").path, turns: 2)
        let afterA = Self.heightFiles(cache)
        try Self.write(Self.scenario(), cache: cache, to: out.file("b").path, turns: 1)   // LITFASS_CORNER_TURNS differs
        let afterB = Self.heightFiles(cache)
        #expect(afterA.count == 1 && afterB.count == 1 && afterA != afterB)
        #expect(try Self.bytes(out.file("a/height.tif").path) != Self.bytes(out.file("b/height.tif").path))
        #expect(try Self.bytes(cache.file(afterB[0]).path) == Self.bytes(out.file("b/height.tif").path))
        let c = try Self.write(Self.scenario(height: 19), cache: cache, to: out.file("c").path, turns: 2)
        #expect(c.sceneCacheKey != a.sceneCacheKey)
        #expect(Self.heightFiles(cache).count == 2)
        let checksums = ((try? FileManager.default.contentsOfDirectory(atPath: cache.url.path)) ?? []).filter { $0.hasSuffix(".sha256") }
        #expect(checksums.count == 2)
        let metadata = ["LITFASS_UNIT": "m"]
        let path = SceneCache.heightRasterPath(directory: "/c", sceneKey: "k1", metadata: metadata)
        #expect(path != nil && path == SceneCache.heightRasterPath(directory: "/c", sceneKey: "k1", metadata: metadata))
        #expect(path != SceneCache.heightRasterPath(directory: "/c", sceneKey: "k2", metadata: metadata))
        #expect(path != SceneCache.heightRasterPath(directory: "/c", sceneKey: "k1", metadata: ["LITFASS_UNIT": "ft"]))
        #expect(path?.hasPrefix("/c/height-k1-") == true && path?.hasSuffix(".tif") == true)
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

    /// The code's identity covers this test binary and the libraries it maps (GDAL among them), and is stable.
    @Test func theCodeIdentityCoversTheMappedFiles() throws {
        let identity = try #require(SceneCache.codeIdentity)
        #expect(identity.count == 64)
        let maps = try #require(SceneCache.readToEnd("/proc/self/maps"))
        #expect(maps.count > 4096, "a listing longer than Foundation's first block")
        let files = try #require(SceneCache.executableFiles(inMaps: maps))
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #expect(files.contains { $0.path == exe })
        #expect(files.contains { $0.path.contains("libgdal") })
    }

    @Test func mapsListingsAreReadField() {
        let listing = """
        55d0a0000000-55d0a0100000 r--p 00000000 08:01 1001       /opt/lit fass/bin/litfass
        55d0a0100000-55d0a0900000 r-xp 00100000 08:01 1001       /opt/lit fass/bin/litfass
        7f0000000000-7f0000100000 r-xp 00000000 08:01 2002                   /usr/lib/libgdal.so.32
        7f0000100000-7f0000200000 rw-p 00000000 00:00 0
        7f0000200000-7f0000300000 r--p 00000000 08:01 3003       /usr/lib/data.bin
        7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
        """
        let files = SceneCache.executableFiles(inMaps: listing)
        #expect(files?.map(\.path) == ["/opt/lit fass/bin/litfass", "/usr/lib/libgdal.so.32"])
        #expect(files?.map(\.inode) == [1001, 2002])
        #expect(SceneCache.executableFiles(inMaps: listing + "\n7f0000400000-7f0000500000 r-xp 00000000 08:01 4004   /usr/lib/libold.so (deleted)") == nil)
    }

    /// Height rasters share the scene files' room: the least recently used go first, whichever kind they are, a raster
    /// with its checksum file; the entries the storing run names stay.
    @Test func evictionCountsHeightRasters() throws {
        let cache = TemporaryFolder("height-cache")
        let names = ["height-a-old.tif", "height-a-old.sha256", "scene-middle.bin", "height-b-new.tif", "height-c-orphan.sha256"]
        for (k, name) in names.enumerated() {
            #expect(FileManager.default.createFile(atPath: cache.file(name).path, contents: Data(repeating: 1, count: name.hasSuffix(".sha256") ? 10 : 1000)))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: Double(k - 10) * 60)], ofItemAtPath: cache.file(name).path)
        }
        func left() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: cache.url.path)) ?? []).sorted() }
        SceneCache.evict(directory: cache.url, keptBytes: 2000, keeping: [cache.file("height-a-old.tif").path])
        #expect(left() == ["height-a-old.sha256", "height-a-old.tif", "height-b-new.tif", "scene-middle.bin"])
        SceneCache.evict(directory: cache.url, keptBytes: 2000)
        #expect(left() == ["height-b-new.tif", "scene-middle.bin"])
    }
}
