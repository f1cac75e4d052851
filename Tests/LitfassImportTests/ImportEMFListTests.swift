import Foundation
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import Testing
import _LitfassTestSupport

/// The Bundesnetzagentur's EMF site list shape (issue 14 item 4): imported without `--map`, the
/// certificate number as the site id, operator and band stored as stated assumptions.
/// The fixture has the list's exact columns; its positions are real OSM masts of the Neuss extract,
/// its certificate numbers and values are made up (Tests/Fixtures/README.md).
@Suite(.serialized)
struct ImportEMFListTests {
    private let file = Fixture.path("bnetza-emf-shape.csv")

    @Test func theEMFShapeImportsWithoutMapAndBalances() throws {
        let folder = TemporaryFolder("litfass-import-emf")
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: file, into: store)
        #expect(report.rowsRead == 12)
        #expect(report.rowsRead == report.inserted + report.updated + report.unchanged + report.rejected)
        #expect(report.inserted == 10 && report.updated == 0 && report.unchanged == 0 && report.rejected == 2)
        #expect(report.sitesInserted == 3)
        #expect(report.columns.contains("site ← standortbescheinigung_nr"))
        #expect(report.columns.contains("azimuth ← direction") && report.columns.contains("height ← height"))
        #expect(report.notes.contains { $0.contains("EMF site list") && $0.contains("ASSUMED") && $0.contains("band B20") })

        // The two bad rows: another radio service, an antenna height out of range.
        let faults = report.rejects.map { "\($0.row)|\($0.field)|\($0.value)" }
        #expect(faults == ["5|type|Sonstige Funkanlage", "10|height|450"])
        #expect(report.rejects[0].reason.contains("not a mobile network antenna"))

        let sites = try importedSites(store)
        #expect(sites.keys.sorted() == ["imported/unknown/900001", "imported/unknown/900002", "imported/unknown/900003"])
        #expect(sites.keys.compactMap { ImportedID.parse(site: $0)?.siteID }.sorted() == ["900001", "900002", "900003"])
        let first = try #require(sites["imported/unknown/900001"])
        #expect(first.sectors.map(\.id) == ["imported/unknown/900001/a1/B20", "imported/unknown/900001/a2/B20",
                                            "imported/unknown/900001/a3/B20", "imported/unknown/900001/a4/B20"])
        #expect(first.site.structureHeight == 27.5)   // the rejected row's 31 m is not counted
        let expected = try utm(6.6800913, 51.1971441)
        #expect(abs(first.site.x - expected.x) < 0.001 && abs(first.site.y - expected.y) < 0.001)
        let scenario = try ScenarioStore.load(path: store)
        let b20 = try #require(scenario.assumptions.operators.lazy.compactMap { $0.carriers.first { $0.band == "B20" } }.first)
        for sector in sites.values.flatMap(\.sectors) {
            #expect(sector.assumption && sector.operatorName == "unknown" && sector.band == "B20")
            #expect(sector.eirpDBm == b20.eirpDBm.value && sector.frequencyHz == b20.centreFrequencyMHz.value * 1e6)
            #expect(sector.downtilt == scenario.assumptions.macroSites.downtiltDegrees.value)
        }
        #expect(first.sectors[1].azimuth == 210 && first.sectors[3].antennaHeight == 25.2 && first.sectors[0].pattern == "3gpp-sector")
        // No main beam direction: omnidirectional.
        let omni = try #require(sites["imported/unknown/900002"]?.sectors.first { $0.id.hasSuffix("/a4/B20") })
        #expect(omni.pattern == "omni" && omni.antennaHeight == 19)
        // Antenna numbers count every row of the certificate in file order, also the rejected one.
        #expect(sites["imported/unknown/900003"]?.sectors.map(\.id) == ["imported/unknown/900003/a2/B20", "imported/unknown/900003/a3/B20"])

        // Again: nothing changes.
        let before = try siteContent(store)
        let again = try SiteImporter.importSites(file: file, into: store)
        #expect(again.rowsRead == 12 && again.unchanged == 10 && again.rejected == 2 && again.inserted == 0 && again.updated == 0)
        #expect(again.sitesUpdated == 0 && again.sitesInserted == 0)
        #expect(try siteContent(store) == before)
    }

    @Test func anOperatorGivenNamesTheSitesButTheBandStaysAssumed() throws {
        let folder = TemporaryFolder("litfass-import-emf-operator")
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: file, into: store, options: SiteImportOptions(operatorName: "Vodafone"))
        #expect(report.inserted == 10 && report.rejected == 2)
        let sites = try importedSites(store)
        #expect(sites.keys.sorted() == ["imported/Vodafone/900001", "imported/Vodafone/900002", "imported/Vodafone/900003"])
        #expect(sites.values.flatMap(\.sectors).allSatisfy { $0.assumption && $0.band == "B20" && $0.operatorName == "Vodafone" })
    }

    @Test func aCarrierListWithACertificateColumnAndABandIsNoEMFList() throws {
        let folder = TemporaryFolder("litfass-import-emf-band")
        let store = try freshStore(folder)
        let csv = folder.file("with-band.csv").path
        try Data("standortbescheinigung_nr,Betreiber,lon,lat,height,direction,band\n900010,Telekom,6.6800913,51.1971441,25,90,B3\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let report = try SiteImporter.importSites(file: csv, into: store)
        #expect(report.inserted == 1 && !report.notes.contains { $0.contains("EMF") })
        let sector = try #require(try importedSites(store)["imported/Telekom/900010"]?.sectors.first)
        #expect(!sector.assumption && sector.band == "B3" && sector.id == "imported/Telekom/900010/90/B3")
    }

    @Test func coverageOverImportedEMFSitesSaysWhatIsAssumed() throws {
        let folder = TemporaryFolder("litfass-import-emf-coverage")
        let store = folder.file("emf.gpkg").path
        let imported = try runProcess(TestPaths.litfassExecutable, ["import", "sites", file, "--scenario", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Rows read 12 = inserted 10 + updated 0 + unchanged 0 + rejected 2"))
        #expect(imported.stdout.contains("ASSUMED for every sector"))
        let out = folder.file("coverage").path
        let run = try runProcess(TestPaths.litfassExecutable, ["coverage", "--scenario", store, "--operator", "unknown",
                                                              "--bbox", "6.670,51.194,6.688,51.206", "--resolution", "25",
                                                              "--no-previews", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Computed 10 sectors of 1 operator(s)"), "\(run.stdout)")
        #expect(run.stdout.contains("ASSUMED for 10 sectors on 3 imported sites of operator 'unknown'"), "\(run.stdout)")
        #expect(run.stdout.contains("band B20") && run.stdout.contains("ILLUSTRATIVE"))
        let info = try runProcess(TestPaths.litfassExecutable, ["info", "--scenario", store])
        #expect(info.status == 0 && info.stdout.contains("ASSUMED for 10 sectors on 3 imported sites of operator 'unknown'"), "\(info.stdout)")
        let sectors = try String(contentsOfFile: out + "/unknown-best-server-legend.csv", encoding: .utf8)
        #expect(sectors.contains("imported/unknown/900001/a1/B20") && sectors.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",1") })
    }
}
