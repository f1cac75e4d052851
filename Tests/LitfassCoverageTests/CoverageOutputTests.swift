import Foundation
import Testing
import LitfassGeo
import LitfassKernel
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

@Suite struct CoverageOutputTests {
    static func smallResult() throws -> CoverageResult {
        let buildings = [AdHoc.box("b0", x: 340_100, y: 5_675_100, w: 40, h: 20, height: 12)]
        // Both sectors assumed: an operator's own (imported) sectors would replace its assumed ones
        // (`Scenario.sectorsInEffect`), so a mix is no state the maps see.
        var a = AdHoc.omni("A", x: 340_055, y: 5_675_205, eirp: 40)
        a.1.isAssumption = true
        var b = AdHoc.omni("B", x: 340_345, y: 5_675_205, eirp: 40)
        b.1.isAssumption = true
        return try CoverageRun(scenario: try AdHoc.scenario(buildings: buildings, transmitters: [a, b]), options: AdHoc.options()).run()
    }

    @Test func geoTIFFsOpenAgainWithCRSNodataBandsAndMetadata() throws {
        let result = try Self.smallResult()
        let folder = TemporaryFolder("coverage-out")
        let files = try CoverageWriter().write(result, to: folder.url.path)
        for name in ["test-rsrp.tif", "test-best-server.tif", "test-best-server-legend.csv", "test-sinr.tif", "test-dl-throughput.tif",
                     "test-ul-throughput.tif", "height.tif", "summary.json", "test-rsrp.png", "height.png"] {
            #expect(files.contains(folder.file(name).path), "\(name)")
        }
        let info = try RasterIO.info(path: folder.file("test-rsrp.tif").path)
        #expect(info.driver == "GTiff")
        #expect(info.layout == "COG")
        #expect(info.epsg == 25832)
        #expect(info.columns == 40 && info.rows == 40)
        #expect(info.geoTransform == [AdHoc.x0, 10, 0, AdHoc.y0 + AdHoc.size, 0, -10])
        #expect(info.bands.count == 2)   // combination + one carrier
        #expect(info.bands[0].description == "RSRP [dBm per resource element], strongest carrier")
        #expect(info.bands[1].description == "RSRP [dBm per resource element], B3 1842.5 MHz")
        #expect(info.bands[0].noDataValue == -9999)
        #expect(info.metadata["LITFASS_VERSION"] == LitfassVersion.string)
        #expect(info.metadata["LITFASS_MODEL"] == "raycast")
        #expect(info.metadata["LITFASS_CORNER_TURNS"] == "2")
        #expect(info.metadata["LITFASS_ILLUSTRATIVE"]?.hasPrefix("illustrative") == true)
        #expect(info.metadata["LITFASS_INPUTS"]?.contains("sha256=" + String(repeating: "ab", count: 32)) == true)
        #expect(info.metadata["LITFASS_ASSUMPTIONS"]?.contains("UE noise figure = 9.0 dB") == true)
        #expect(info.metadata["LITFASS_UNIT"] == "dBm per resource element")
        #expect(try RasterIO.readBand(path: folder.file("test-rsrp.tif").path) == result.operators[0].combined.rsrpDBm)

        let server = try RasterIO.info(path: folder.file("test-best-server.tif").path)
        #expect(server.bands[0].noDataValue == -1)
        #expect(try RasterIO.readBand(path: folder.file("test-best-server.tif").path) == result.operators[0].combined.bestServer.map { Float($0) })
        let legend = try String(contentsOf: folder.file("test-best-server-legend.csv"), encoding: .utf8).split(separator: "\n")
        try #require(legend.count == 3)
        #expect(legend[1].hasPrefix("0,A/Test/B3,A,Test,B3,1842.5,20,40,20,0,0,omni,1"))
        #expect(legend[2].hasPrefix("1,B/Test/B3,B,Test,B3,1842.5,20,40,20,0,0,omni,1"))

        let height = try RasterIO.info(path: folder.file("height.tif").path)
        #expect(height.bands.map(\.description) == ["Surface height [m] (ground + building)", "Building height above ground [m]", "Ground height [m]"])
        #expect(try RasterIO.readBand(path: folder.file("height.tif").path, band: 2) == result.scene.buildingHeightMeters)
    }

    @Test func pngPreviewsHaveTheExpectedSize() throws {
        let result = try Self.smallResult()
        let folder = TemporaryFolder("coverage-png")
        try CoverageWriter().write(result, to: folder.url.path)
        let expected = PreviewRenderer.imageSize(for: result.grid)
        for name in ["test-rsrp.png", "test-best-server.png", "test-sinr.png", "test-dl-throughput.png", "test-ul-throughput.png", "height.png"] {
            let info = try RasterIO.info(path: folder.file(name).path)
            #expect(info.driver == "PNG")
            #expect(info.columns == expected.width && info.rows == expected.height, "\(name)")
            #expect(info.bands.count == 1 || info.bands.count == 3)     // opaque: a palette image or RGB
            #expect(!FileManager.default.fileExists(atPath: folder.file(name + ".aux.xml").path))
        }
        // A 40 × 40 grid is magnified to a 480 px map.
        #expect(PreviewRenderer.mapSize(for: result.grid) == (480, 480))
        // The map shows the ramp colour of a known cell, the legend and the illustrative label are drawn in red.
        let image = try RasterIO.readRGBA(path: folder.file("test-rsrp.png").path).rgba
        let x = PreviewRenderer.margin + 240 + 3, y = PreviewRenderer.headerHeight + 400
        let cell = (400 * 40 / 480) * 40 + (243 * 40 / 480)
        let rsrp = Double(result.operators[0].combined.rsrpDBm[cell])
        let want = ColorRamp(minimum: -130, maximum: -50, stops: ColorRamp.viridis, ticks: []).color(rsrp)
        let p = 4 * (y * expected.width + x)
        #expect(image[p] == want.r && image[p + 1] == want.g && image[p + 2] == want.b)
        #expect(stride(from: 0, to: image.count, by: 4).contains { image[$0] == 180 && image[$0 + 1] == 20 && image[$0 + 2] == 20 },
                "the ILLUSTRATIVE note in the footer")
    }

    @Test func noPreviewsWhenAskedNot() throws {
        let result = try Self.smallResult()
        let folder = TemporaryFolder("coverage-nopng")
        let files = try CoverageWriter(previews: false).write(result, to: folder.url.path)
        #expect(!files.contains { $0.hasSuffix(".png") })
    }

    @Test func summaryJSONHasOperatorsSitesAndShares() throws {
        let result = try Self.smallResult()
        let folder = TemporaryFolder("coverage-summary")
        try CoverageWriter(previews: false).write(result, to: folder.url.path)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.file("summary.json"))) as! [String: Any]
        #expect(json["illustrative"] as? Bool == true)
        #expect(json["litfassVersion"] as? String == LitfassVersion.string)
        let operators = json["operators"] as! [[String: Any]]
        #expect(operators.map { $0["name"] as? String } == ["Test"])
        let sites = operators[0]["sites"] as! [[String: Any]]
        #expect(sites.compactMap { $0["siteID"] as? String } == ["A", "B"])
        let outdoor = operators[0]["outdoor"] as! [String: Any]
        #expect(outdoor["count"] as? Int == 1600 - 8)
        #expect((outdoor["rsrpShare"] as! [String: Double]).keys.sorted() == ["-100", "-110", "-120"])
        #expect(json["cornerTurns"] as? Int == 2)
    }

    /// The summary computed beside the files is the result's summary, and the one in `summary.json`.
    @Test func theReturnedSummaryIsTheOneWritten() throws {
        let result = try Self.smallResult()
        let folder = TemporaryFolder("coverage-summary-returned")
        let (files, summary) = try CoverageWriter(previews: true).writeReturningSummary(result, to: folder.url.path)
        #expect(files.last == folder.file("summary.json").path)
        #expect(try summary.json() == CoverageSummary(result).json())
        #expect(try Data(contentsOf: folder.file("summary.json")) == summary.json())
    }

    /// The height preview's ramp ends at the 98th percentile of the building cells, not at the one tower.
    @Test func heightRampEndsAtThe98thPercentile() {
        var cells = [Float](repeating: 0, count: 500) + [Float](repeating: 12, count: 980) + [Float](repeating: 20, count: 19) + [150]
        #expect(CoverageWriter.heightRampTop(cells) == 20)
        cells.shuffle()
        #expect(CoverageWriter.heightRampTop(cells) == 20)
        #expect(CoverageWriter.heightRampTop([0, 0]) == 1)
        #expect(CoverageWriter.heightRampTop([7.5]) == 7.5)
        // Any heights: the value sorting gives.
        var generator = SystemRandomNumberGenerator()
        let random = (0..<5000).map { _ in Float(Int.random(in: -3...60, using: &generator)) / 2 }
        let sorted = random.filter { $0 > 0 }.sorted()
        #expect(CoverageWriter.heightRampTop(random) == Double(sorted[min(sorted.count - 1, sorted.count * 98 / 100)]))
    }
}

@Suite struct CoverageSummaryTests {
    /// A 4 × 2 grid, cell 10 m: row 0 outdoor cells 0-3, row 1 building 0 on cells 4-6, cell 7 outdoor.
    @Test func sharesOnAHandCheckableGrid() throws {
        let grid = RasterGrid(minX: 0, maxY: 20, cellSizeMeters: 10, columns: 4, rows: 2)
        var maps = CoverageMaps(count: 8)
        maps.rsrpDBm = [-95, -105, -115, -125, -90, -108, -130, CoverageResult.noData]
        maps.bestServer = [0, 0, 1, 1, 1, 0, 0, -1]
        maps.sinrDB = [5, -1, 0, -3, 10, 2, -8, CoverageResult.noData]
        maps.downlinkMbps = [100, 40, 30, 10, 200, 60, 5, CoverageResult.noData]
        maps.uplinkMbps = maps.downlinkMbps
        let sectors = [Sector(id: "s0", siteID: "X", operatorName: "Op", band: "B3", centreFrequencyHz: 1.8e9, bandwidthHz: 2e7, eirpDBm: 60,
                              antennaHeightMeters: 20, azimuthDegrees: 0, downtiltDegrees: 0, pattern: "omni", isAssumption: false),
                       Sector(id: "s1", siteID: "Y", operatorName: "Op", band: "B3", centreFrequencyHz: 1.8e9, bandwidthHz: 2e7, eirpDBm: 60,
                              antennaHeightMeters: 20, azimuthDegrees: 0, downtiltDegrees: 0, pattern: "omni", isAssumption: false)]
        let op = OperatorCoverage(name: "Op", sectors: sectors, carriers: [], combined: maps, strongestCarrier: [Int8](repeating: 0, count: 8))
        let scene = Scene(grid: grid, groundHeightMeters: .init(repeating: 0, count: 8), buildingHeightMeters: [0, 0, 0, 0, 9, 9, 9, 0],
                          buildingIndex: [-1, -1, -1, -1, 0, 0, 0, -1])
        let result = CoverageResult(grid: grid, scene: scene, operators: [op], buildings: [], sites: [],
                                    provenance: Provenance(sources: [], attribution: "", fibreIsIllustrative: false, fibreRule: "", builtBy: ""),
                                    options: CoverageOptions(), isIllustrative: false, warnings: [], elapsedSeconds: 0)
        let s = CoverageSummary(result).operators[0]
        // Outdoor: cells 0, 1, 2, 3, 7 (RSRP -95, -105, -115, -125, none).
        #expect(s.outdoor.count == 5)
        #expect(s.outdoor.areaSquareMeters == 500)
        #expect(s.outdoor.rsrpShare == ["-100": 0.2, "-110": 0.4, "-120": 0.6])
        #expect(s.outdoor.sinrAtLeast0dBShare == 0.4)               // 5 dB and 0 dB
        #expect(s.outdoor.medianDownlinkMbps == 30)                  // 0, 10, 30, 40, 100
        // The building: cells -90, -108, -130 -> lower median by RSRP is -108 (cell 5, site X, SINR 2, 60 Mbit/s).
        #expect(s.buildings.count == 1)
        #expect(s.buildings.areaSquareMeters == nil)
        #expect(s.buildings.rsrpShare == ["-100": 0, "-110": 1, "-120": 1])
        #expect(s.buildings.sinrAtLeast0dBShare == 1)
        #expect(s.buildings.medianDownlinkMbps == 60)
        // Sites: X serves outdoor cells 0, 1 and the building; Y serves outdoor cells 2, 3.
        #expect(s.sites.map(\.siteID) == ["X", "Y"])
        #expect(s.sites[0].outdoor.count == 2 && s.sites[0].outdoor.rsrpShare["-100"] == 0.5 && s.sites[0].outdoor.medianDownlinkMbps == 70)
        #expect(s.sites[0].buildings.count == 1)
        #expect(s.sites[1].outdoor.count == 2 && s.sites[1].outdoor.rsrpShare["-120"] == 0.5 && s.sites[1].outdoor.sinrAtLeast0dBShare == 0.5)
        #expect(s.sites[1].buildings.count == 0)
    }
}

/// A rerun into a folder that holds an earlier run's output: whole or absent, never a mix.
@Suite struct CoverageOutputReplacementTests {
    /// Names and bytes of every file in a folder.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    @Test func aFailedRerunLeavesTheEarlierOutputAsItWas() throws {
        let result = try CoverageOutputTests.smallResult()
        let parent = TemporaryFolder("coverage-rerun")
        let out = parent.url.appendingPathComponent("maps")
        try CoverageWriter().write(result, to: out.path)
        let before = try Self.snapshot(out)
        #expect(before["summary.json"] != nil && before.count >= 10)
        // The rerun's files differ from the earlier ones (other metadata), so any file written in place shows.
        var rerun = result
        rerun.options.receiverHeightMeters += 1
        for limit in [1, 3, 7] {
            var failing = CoverageWriter()
            failing.failAfterFiles = limit
            #expect(throws: CoverageError.self) { try failing.write(rerun, to: out.path) }
            let after = try Self.snapshot(out)
            #expect(after == before, "a rerun failing after \(limit) files changed the folder")
            #expect(!after.values.contains { $0.isEmpty }, "0-byte file after a failed rerun")
            // No staging folder is left beside the target.
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.url.path) == ["maps"])
        }
    }

    @Test func aRerunReplacesTheEarlierOutputAndKeepsOtherFiles() throws {
        let result = try CoverageOutputTests.smallResult()
        let folder = TemporaryFolder("coverage-rerun-ok")
        let out = folder.url.appendingPathComponent("maps")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // An earlier run with another operator, and a file of the user's own.
        for name in ["gone-rsrp.tif", "gone-rsrp.png", "gone-best-server-legend.csv", "summary.json", "test-sinr.png"] {
            try Data("old".utf8).write(to: out.appendingPathComponent(name))
        }
        try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
        let files = try CoverageWriter(previews: false).write(result, to: out.path)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        #expect(names == Set(files.map { URL(fileURLWithPath: $0).lastPathComponent }).union(["notes.txt"]))
        #expect(try Data(contentsOf: out.appendingPathComponent("notes.txt")) == Data("mine".utf8))
        #expect(try Data(contentsOf: out.appendingPathComponent("summary.json")) != Data("old".utf8))
        #expect(CoverageWriter.isCoverageOutput("telekom-dl-throughput.tif") && !CoverageWriter.isCoverageOutput("notes.txt"))
    }
}

/// The GeoTIFFs hold exactly the computed values: sparse tiles, overviews and threaded compression
/// change how the file is laid out, never a value read back.
@Suite struct CoverageRasterValueTests {
    @Test func everyBandReadsBackBitForBit() throws {
        let result = try CoverageOutputTests.smallResult()
        for threads in [1, 3] {
            var options = result.options
            options.threads = threads
            var copy = result
            copy.options = options
            let folder = TemporaryFolder("coverage-values-\(threads)")
            try CoverageWriter(previews: false).write(copy, to: folder.url.path)
            func expectBands(_ name: String, _ expected: [[Float]]) throws {
                let file = folder.file(name).path
                #expect(try RasterIO.info(path: file).bands.count == expected.count, "\(name)")
                for (k, values) in expected.enumerated() {
                    let read = try RasterIO.readBand(path: file, band: k + 1)
                    #expect(read.map(\.bitPattern) == values.map(\.bitPattern), "\(name) band \(k + 1), \(threads) threads")
                }
            }
            let op = result.operators[0]
            func bands(_ combined: [Float], _ carrier: (CoverageMaps) -> [Float]) -> [[Float]] { [combined] + op.carriers.map { carrier($0.maps) } }
            try expectBands("test-rsrp.tif", bands(op.combined.rsrpDBm, \.rsrpDBm))
            try expectBands("test-sinr.tif", bands(op.combined.sinrDB, \.sinrDB))
            try expectBands("test-dl-throughput.tif", bands(op.combined.downlinkMbps, \.downlinkMbps))
            try expectBands("test-ul-throughput.tif", bands(op.combined.uplinkMbps, \.uplinkMbps))
            try expectBands("test-best-server.tif", bands(op.combined.bestServer.map { Float($0) }, { $0.bestServer.map { Float($0) } }))
            let scene = result.scene
            try expectBands("height.tif", [scene.groundHeightMeters.indices.map { scene.groundHeightMeters[$0] + scene.buildingHeightMeters[$0] },
                                           scene.buildingHeightMeters, scene.groundHeightMeters])
        }
    }

    @Test func aMostlyEmptyMapReadsBackAsNodataWithSparseTiles() throws {
        // About 1100 × 1100 cells, data in one corner only: most 512-tiles hold nodata only.
        let grid = RasterGrid(covering: BoundingBox(minX: 0, minY: 0, maxX: 2199, maxY: 2199), cellSizeMeters: 2, crs: .utm32N)
        var values = [Float](repeating: -9999, count: grid.cellCount)
        for row in 0..<100 { for column in 0..<100 { values[row * grid.columns + column] = Float(row - column) } }
        let folder = TemporaryFolder("coverage-sparse")
        let sparse = folder.file("sparse.tif").path
        try RasterIO.writeGeoTIFF(path: sparse, grid: grid, bands: [RasterBand(values: values, noDataValue: -9999, description: "x")],
                                  overviews: .average, threads: 2)
        #expect(grid.columns > 1024 && grid.rows > 1024)
        #expect(try RasterIO.readBand(path: sparse).map(\.bitPattern) == values.map(\.bitPattern))
    }
}

/// The values in the files stay those of today: SHA-256 of every band's Float32 values as read back. Recorded on
/// 2026-12-06 (`RECORD_SNAPSHOTS=1 swift test --filter CoverageGoldenValueTests` prints them) after checking that the
/// one-site Neuss outputs of the earlier writer (one band after another, DEFLATE 6, no overviews) and of this one read
/// back byte-identically, every band of every GeoTIFF (`docs/KERNEL.md` §8). Re-recorded on purpose once since, for the
/// radio model's new values (two-slope line of sight, cell load 0.5, layered throughput, uplink power control; the
/// height raster unchanged). Re-record only on purpose.
@Suite struct CoverageGoldenValueTests {
    static let recorded: [String: String] = [
        "height.tif": "69ca21d12b101e4bb89b3e9d5206cf441e60af787703826cfda9bc2957d3767f",
        "test-best-server.tif": "58864636cf4284e5bf88001c6c219eb84b1b4c169ddc526a87dc75ecf6d6d3eb",
        "test-dl-throughput.tif": "88bc538cc6bd303c8d28e4e72491d1ac2dc864aa2b051b130df7feed9f640620",
        "test-rsrp.tif": "6e91d13604e0f9ddf35c17a3a34d3fdbfd75869e26670e84baeaf836b73a2dce",
        "test-sinr.tif": "939f2daa4bbd8c8d59600c1a5641e963a63c753b89ded2b8716c067dcf89c355",
        "test-ul-throughput.tif": "19f3c7c394970b3e78fa77da1f9c5c094b3c382c78b539a6745717774a096a13",
    ]

    @Test func bandValuesMatchThoseOfTheEarlierWriter() throws {
        let result = try CoverageOutputTests.smallResult()
        let folder = TemporaryFolder("coverage-golden")
        try CoverageWriter(previews: false).write(result, to: folder.url.path)
        var digests: [String: String] = [:]
        for name in ["height.tif", "test-rsrp.tif", "test-best-server.tif", "test-sinr.tif", "test-dl-throughput.tif", "test-ul-throughput.tif"] {
            let file = folder.file(name).path
            var bytes = Data()
            for band in 1...(try RasterIO.info(path: file).bands.count) {
                try RasterIO.readBand(path: file, band: band).withUnsafeBytes { bytes.append(contentsOf: $0) }
            }
            digests[name] = Checksum.sha256(bytes)
        }
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
            print("GOLDEN " + digests.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", "))
        }
        #expect(digests == Self.recorded)
    }
}
