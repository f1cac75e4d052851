import Foundation
import Testing
import LitfassGeo
@testable import LitfassScenario
import _LitfassTestSupport

/// Counts from GDAL's own SQL over the extract, independent of Litfass's reading code.
func ogrCount(_ file: URL, _ sql: String) throws -> Int {
    let result = try runProcess(URL(fileURLWithPath: "/usr/bin/ogrinfo"), ["-ro", "-q", "-sql", sql, file.path])
    guard result.status == 0, let line = result.stdout.split(separator: "\n").first(where: { $0.contains("COUNT_*") }),
          let count = Int(line.split(separator: "=").last!.trimmingCharacters(in: .whitespaces)) else {
        throw GeoError.vector(file: file.path, message: "ogrinfo failed: \(result.stderr)")
    }
    return count
}

/// The Neuss scenario, built once for all tests of this suite.
let neuss: (Scenario, ScenarioBuilder.Report) = {
    try! ScenarioBuilder(osmPath: TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf").path,
                         assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path).build()
}()

struct NeussScenarioTests {
    let osm = TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf")

    /// The embedded extract is an unmodified byte copy: its SHA-256 is the one its provenance
    /// records (`Data/ATTRIBUTION.md`).
    @Test func embeddedExtractIsTheRecordedByteCopy() throws {
        #expect(try Checksum.sha256(fileAt: osm.path) == "448bf106828e5c15eb1d85eecf7abb01704bc6905cb28416913e221f16de2f7e")
    }

    @Test func buildingCountMatchesGDALsOwnCount() throws {
        let expected = try ogrCount(osm, "SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'")
        #expect(neuss.0.buildings.count == expected)
        #expect(expected > 2300)   // PROVENANCE.md: 2,304 buildings (+ relations)
    }

    @Test func everyAddressObjectIsKept() throws {
        var expected = 0
        for layer in ["points", "lines", "multipolygons"] {
            expected += try ogrCount(osm, "SELECT COUNT(*) FROM \(layer) WHERE other_tags LIKE '%\"addr:housenumber\"%' AND other_tags LIKE '%\"addr:street\"%'")
        }
        #expect(neuss.0.addresses.count == expected)
        #expect(expected == 1454)  // PROVENANCE.md: 1,454 objects with addr:street + addr:housenumber
        let withBuilding = neuss.0.addresses.filter { $0.buildingID != nil }.count
        #expect(withBuilding + neuss.1.addressesWithoutBuilding == expected)
        #expect(Double(withBuilding) / Double(expected) > 0.95)
    }

    @Test func fourteenLitfassSaeulenAndEightRooftopMasts() {
        let (scenario, _) = neuss
        #expect(scenario.candidateSites.count == 14)
        #expect(scenario.candidateSites.allSatisfy { $0.kind == .advertisingColumn && !$0.isEquipped })
        #expect(scenario.candidateSites.contains { $0.id == "node/4013271336" })
        // Eight OSM mast nodes; those closer than 30 m on one roof form one site: six sites.
        #expect(scenario.sites.count == 6)
        #expect(scenario.sites.allSatisfy { $0.kind == .rooftopMast })
    }

    @Test func theExampleColumnIsWhereOSMPutsIt() throws {
        let column = try #require(neuss.0.candidateSites.first { $0.id == "node/4013271336" })
        let expected = try Projection(from: .wgs84, to: .utm32N).forward([LonLat(lon: 6.679932, lat: 51.192364)])[0]
        #expect(column.location.distance(to: expected) < 0.1)
    }

    @Test func sectorsFollowTheAssumptions() {
        let (scenario, _) = neuss
        let a = scenario.assumptions
        let perMast = a.macroSites.operatorsPerMast.value.reduce(0) { total, name in
            total + (a.operators.first { $0.name == name }?.carriers.count ?? 0) * a.macroSites.sectorAzimuthsDegrees.value.count
        }
        #expect(scenario.sectors.count == perMast * scenario.sites.count)
        #expect(scenario.sectors.allSatisfy { $0.isAssumption })
        for sector in scenario.sectors {
            let site = scenario.sites.first { $0.id == sector.siteID }!
            #expect(sector.antennaHeightMeters == site.structureHeightMeters + a.macroSites.antennaHeightAboveRoofMeters.value)
        }
        // Masts stand on buildings: their roof height is a building's height, not the fallback.
        #expect(scenario.sites.allSatisfy { site in scenario.buildings.contains { $0.heightMeters == site.structureHeightMeters } })
    }

    @Test func heightSourcesAreRecordedAndPlausible() {
        let buildings = neuss.0.buildings
        #expect(buildings.filter { $0.heightSource == .osmHeight }.count == 3)   // PROVENANCE.md: 3 with height
        let levels = buildings.filter { $0.heightSource == .osmLevels }.count
        #expect(levels >= 350 && levels <= 354)                                  // 354 with building:levels (some also have height)
        #expect(buildings.allSatisfy { $0.heightMeters > 0 && $0.heightMeters < 200 })
        #expect(buildings.allSatisfy { $0.footprintAreaSquareMeters > 0 })
    }

    @Test func fibreIsIllustrativeAndFollowsTheRule() {
        let (scenario, _) = neuss
        let classes = Set(scenario.assumptions.fibre.trunkStreetClasses)
        #expect(scenario.provenance.fibreIsIllustrative)
        #expect(scenario.fibreSegments.allSatisfy { $0.isIllustrative })
        #expect(scenario.fibreSegments.count == scenario.streets.filter { classes.contains($0.streetClass) }.count)
        #expect(!scenario.fibreAccessPoints.isEmpty)
    }

    @Test func bboxMatchesTheExtractsBuildings() throws {
        let box = neuss.0.boundingBox
        let corners = try Projection(from: .utm32N, to: .wgs84).toLonLat([MapPoint(x: box.minX, y: box.minY), MapPoint(x: box.maxX, y: box.maxY)])
        // PROVENANCE.md: buildings in lon 6.6712–6.7019, lat 51.1830–51.2214; streets reach a little beyond.
        #expect(corners[0].lon < 6.6712 && corners[1].lon > 6.7019)
        #expect(corners[0].lat < 51.1830 && corners[1].lat > 51.2214)
        #expect(corners[0].lon > 6.6 && corners[1].lon < 6.8)
    }
}

struct ScenarioStoreTests {
    @Test func storeRoundTripKeepsEverything() throws {
        let folder = TemporaryFolder()
        let path = folder.file("neuss.gpkg").path
        let (scenario, _) = neuss
        try ScenarioStore.write(scenario, to: path)
        let loaded = try ScenarioStore.load(path: path)
        #expect(loaded.buildings.count == scenario.buildings.count)
        #expect(loaded.addresses.count == scenario.addresses.count)
        #expect(loaded.streets.count == scenario.streets.count)
        #expect(loaded.candidateSites == scenario.candidateSites)
        #expect(loaded.sites == scenario.sites)
        #expect(loaded.sectors == scenario.sectors)
        #expect(loaded.fibreSegments.count == scenario.fibreSegments.count)
        #expect(loaded.fibreAccessPoints == scenario.fibreAccessPoints)
        #expect(loaded.assumptions == scenario.assumptions)
        #expect(loaded.provenance == scenario.provenance)
        #expect(loaded.buildings[17] == scenario.buildings[17])
        #expect(loaded.addresses[5] == scenario.addresses[5])
        // Nothing left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["neuss.gpkg"])
    }

    @Test func aStoreOfAnotherKindIsRefusedClearly() throws {
        let folder = TemporaryFolder()
        let path = folder.file("other.gpkg").path
        let writer = try VectorWriter(path: path)
        try writer.createLayer("roads", geometry: .lineString, crs: .utm32N, fields: [])
        writer.close()
        #expect { try ScenarioStore.load(path: path) } throws: { "\($0)".contains("layer 'buildings' is missing") }
        #expect { try ScenarioStore.load(path: folder.file("none.gpkg").path) } throws: { "\($0)".contains("no such file") }
        // A file that looks like a GeoPackage but is damaged: the error names the file, what was expected and SQLite's
        // reason as GDAL gives it.
        let damaged = folder.file("damaged.gpkg").path
        FileManager.default.createFile(atPath: damaged, contents: HostileInput.damagedGeoPackage)
        #expect { try ScenarioStore.load(path: damaged) } throws: { error in
            guard case ScenarioError.store(let file, let message) = error else { return false }
            return file == damaged && message.contains("expected a GeoPackage built by 'litfass scenario build'")
                && message.contains("file is not a database")
        }
    }
}

struct SecondCityTests {
    @Test func berlinMiraustrasseBuilds() throws {
        let (scenario, _) = try ScenarioBuilder(osmPath: TestPaths.fixtureData("osm/miraustr.osm.pbf").path,
                                                assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path).build()
        let file = TestPaths.fixtureData("osm/miraustr.osm.pbf")
        #expect(scenario.buildings.count == (try ogrCount(file, "SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL AND building <> 'no'")))
        #expect(scenario.candidateSites.count == 4)                       // PROVENANCE.md: 4 advertising columns
        #expect(scenario.buildings.filter { $0.heightSource == .osmHeight }.count >= 50)   // 56 with height
    }
}

struct BadInputTests {
    let assumptions = TestPaths.data.appendingPathComponent("assumptions.json").path

    func expectInputError(osm: String, containing text: String) {
        #expect { try ScenarioBuilder(osmPath: osm, assumptionsPath: assumptions).build() } throws: { error in
            guard case ScenarioError.input(let file, let message) = error else { return false }
            return file == osm && message.contains(text)
        }
    }

    @Test func missingFile() { expectInputError(osm: "/nonexistent/city.osm.pbf", containing: "no such file") }

    @Test func fileThatIsNotOSM() throws {
        let folder = TemporaryFolder()
        let path = folder.file("notes.osm").path
        try "this is not OpenStreetMap\n".write(toFile: path, atomically: true, encoding: .utf8)
        expectInputError(osm: path, containing: "not an OpenStreetMap file")
    }

    @Test func emptyFile() throws {
        let folder = TemporaryFolder()
        let path = folder.file("empty.osm.pbf").path
        FileManager.default.createFile(atPath: path, contents: Data())
        expectInputError(osm: path, containing: "OpenStreetMap")
    }

    @Test func truncatedExtract() throws {
        let folder = TemporaryFolder()
        let path = folder.file("truncated.osm.pbf").path
        let bytes = try Data(contentsOf: TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf"))
        try bytes.prefix(300_000).write(to: URL(fileURLWithPath: path))
        expectInputError(osm: path, containing: "truncated")
    }

    @Test func buildingLayerWithoutTheHeightAttribute() throws {
        let lod2 = TestPaths.fixtureData("lod2-nrw/LoD2_32_333_5725_1_NW.gml").path
        let builder = ScenarioBuilder(osmPath: nil, buildingLayer: .init(path: lod2, heightAttribute: "hoehe", crs: .utm32N), assumptionsPath: assumptions)
        #expect { try builder.build() } throws: { "\($0)".contains("no attribute 'hoehe'") && "\($0)".contains("measuredHeight") }
    }

    @Test func brokenAssumptionsNameTheField() throws {
        let folder = TemporaryFolder()
        let path = folder.file("assumptions.json").path
        var json = try String(contentsOfFile: assumptions, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"storeyHeightMeters\"", with: "\"storeyHeight\"")
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try Assumptions.load(path: path) } throws: { "\($0)".contains("buildingHeights.storeyHeightMeters") }
    }
}

struct LoD2BuildingLayerTests {
    @Test func lod2CityGMLGivesFootprintsWithMeasuredHeights() throws {
        let lod2 = TestPaths.fixtureData("lod2-nrw/LoD2_32_335_5722_1_NW.gml").path
        let (scenario, report) = try ScenarioBuilder(osmPath: nil, buildingLayer: .init(path: lod2, heightAttribute: "measuredHeight", crs: .utm32N),
                                                     assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path).build()
        // PROVENANCE.md: 163 buildings, 151 with measuredHeight, max 33.5 m.
        #expect(scenario.buildings.filter { $0.heightSource == .layerAttribute }.count >= 140)
        #expect(scenario.buildings.count + (report.warnings.first { $0.contains("no area geometry") }.flatMap { Int($0.split(separator: " ")[0]) } ?? 0) == 163)
        let tallest = scenario.buildings.map(\.heightMeters).max() ?? 0
        #expect(abs(tallest - 33.5) < 0.1)
        // Footprints lie in the 1 km tile 335/5722 (buildings crossing its edge reach a few metres out)
        // and have sensible areas (from a 0.7 m² kiosk roof to a 1,940 m² hall).
        #expect(scenario.buildings.allSatisfy { b in
            let box = b.boundingBox
            return box.minX > 334_950 && box.maxX < 336_050 && box.minY > 5_721_950 && box.maxY < 5_723_050
        })
        #expect(scenario.buildings.allSatisfy { $0.footprintAreaSquareMeters > 0.1 && $0.footprintAreaSquareMeters < 5_000 })
        #expect(scenario.buildings.map(\.footprintAreaSquareMeters).reduce(0, +) > 10_000)
    }

    @Test func layerWithoutCRSNeedsOne() throws {
        let lod2 = TestPaths.fixtureData("lod2-nrw/LoD2_32_333_5725_1_NW.gml").path
        let builder = ScenarioBuilder(osmPath: nil, buildingLayer: .init(path: lod2, heightAttribute: "measuredHeight"),
                                      assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path)
        #expect { try builder.build() } throws: { "\($0)".contains("declares no CRS") }
    }
}

struct StoreLockTests {
    @Test func replacingAStoreAnImportHoldsWaitsThenSaysBusy() throws {
        let folder = TemporaryFolder()
        let path = folder.file("city.gpkg").path
        try ScenarioStore.write(neuss.0, to: path)
        let before = try Checksum.sha256(fileAt: path)
        let held = try StoreLock(store: path, timeout: 1, purpose: "test import",
                                 locked: { _, _ in ScenarioError.store(file: path, message: "locked") },
                                 failed: { ScenarioError.store(file: path, message: $0) })
        #expect { try ScenarioStore.write(neuss.0, to: path, lockTimeoutSeconds: 0.2) } throws: { error in
            "\(error)".contains("busy") && "\(error)".contains("test import")
        }
        #expect(try Checksum.sha256(fileAt: path) == before)
        _ = held
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["city.gpkg", "city.gpkg.lock"])
    }
}

@Suite struct MastMergeTests {
    static func mast(_ id: String, _ x: Double, _ y: Double, roof: Double) -> Site {
        Site(id: id, kind: .rooftopMast, location: MapPoint(x: x, y: y), structureHeightMeters: roof, isEquipped: true)
    }

    /// Nodes on one building within the distance form one site (lowest id, highest roof); another building or a
    /// larger distance keeps them apart; single linkage joins chains.
    @Test func nodesOnOneRoofFormOneSite() {
        let masts: [(site: Site, building: String?)] = [
            (Self.mast("node/3", 10, 0, roof: 20), "way/1"),
            (Self.mast("node/1", 0, 0, roof: 18), "way/1"),
            (Self.mast("node/2", 25, 0, roof: 18), "way/1"),     // 15 m from node/3: joins the chain
            (Self.mast("node/4", 5, 0, roof: 30), "way/2"),      // another building
            (Self.mast("node/5", 200, 0, roof: 18), "way/1"),    // too far
        ]
        let sites = ScenarioBuilder.mergeMasts(masts, withinMeters: 30)
        #expect(sites.map(\.id) == ["node/1", "node/4", "node/5"])
        #expect(sites[0].structureHeightMeters == 20)
        #expect(sites[0].location == MapPoint(x: 0, y: 0))
        #expect(ScenarioBuilder.mergeMasts(masts, withinMeters: 0).count == 5)
    }

    /// The default scenario: no operator has two co-channel sectors with one azimuth on one site, and merged
    /// sites lie at least the merge distance apart when on one building.
    @Test func noCoChannelStackingInTheDefaultScenario() {
        let (scenario, _) = neuss
        var seen = Set<String>()
        for s in scenario.sectors {
            let key = "\(s.siteID)|\(s.operatorName)|\(s.band)|\(s.azimuthDegrees)"
            #expect(!seen.contains(key), "\(key) twice")
            seen.insert(key)
        }
        let d = scenario.assumptions.macroSites.mastMergeDistanceMeters?.value ?? 0
        let masts = scenario.sites.filter { $0.kind == .rooftopMast }
        let engine = GeometryEngine()
        for (i, a) in masts.enumerated() { for b in masts[(i + 1)...] {
            let sameRoof = scenario.buildings.contains { bld in
                ((try? engine.contains(.multiPolygon(bld.footprint), a.location)) ?? false)
                    && ((try? engine.contains(.multiPolygon(bld.footprint), b.location)) ?? false)
            }
            if sameRoof { #expect(a.location.distance(to: b.location) >= d) }
        } }
    }
}
