import Foundation
import Testing
import LitfassGeo
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

@Suite struct SiteListTests {
    static let header = "id,lon,lat,height,azimuth,tilt,band,eirp,operator"

    func write(_ text: String, in folder: TemporaryFolder, name: String = "sites.csv") throws -> String {
        let path = folder.file(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func error(_ csv: String) throws -> CoverageError? {
        let folder = TemporaryFolder("sites")
        let path = try write(csv, in: folder)
        do { _ = try SiteList.load(path: path, assumptions: try AdHoc.assumptions()); return nil } catch let e as CoverageError { return e }
    }

    @Test func readsSitesAndSectors() throws {
        let folder = TemporaryFolder("sites")
        let path = try write("""
        \(Self.header),pattern
        M1,6.6900,51.2000,25,0,6,n78,75,Telekom,3gpp-sector
        M1,6.6900,51.2000,25,120,6,n78,75,Telekom,
        S2,6.6950,51.2010,4.5,0,0,B3,43,Vodafone,omni
        """, in: folder)
        let list = try SiteList.load(path: path, assumptions: try AdHoc.assumptions())
        #expect(list.sites.map(\.id) == ["M1", "S2"])
        #expect(list.sectors.map(\.id) == ["M1/Telekom/n78/0", "M1/Telekom/n78/120", "S2/Vodafone/B3/0"])
        let expected = try Projection(from: .wgs84, to: .utm32N).forward([LonLat(lon: 6.69, lat: 51.2)])[0]
        #expect(list.sites[0].location.distance(to: expected) < 0.01)
        // Frequency and bandwidth from the operator's carrier in the assumptions (Telekom n78: 3600 MHz, 90 MHz).
        #expect(list.sectors[0].centreFrequencyHz == 3600e6 && list.sectors[0].bandwidthHz == 90e6)
        #expect(list.sectors[1].pattern == "3gpp-sector")
        #expect(list.sectors[2].pattern == "omni" && list.sectors[2].eirpDBm == 43 && list.sectors[2].antennaHeightMeters == 4.5)
        #expect(list.sectors.allSatisfy { !$0.isAssumption })
    }

    @Test func badValueNamesFileRowAndColumn() throws {
        let e = try error("""
        \(Self.header)
        M1,6.69,51.2,25,0,6,n78,75,Telekom
        M1,6.69,51.2,25,east,6,n78,75,Telekom
        """)
        let text = try #require(e).description
        #expect(text.contains("sites.csv, row 2 (line 3), column 'azimuth'"), "\(text)")
        #expect(text.contains("'east'"))
        #expect(e == .siteList(file: e.map { if case .siteList(let f, _, _, _) = $0 { return f } else { return "" } }!, row: 2, column: "azimuth",
                               message: "expected a number [degrees], got 'east'"))
    }

    @Test func unknownBandAndRangesAreRefused() throws {
        let band = try #require(try error("\(Self.header)\nM1,6.69,51.2,25,0,6,n99,75,Telekom\n")).description
        #expect(band.contains("row 1 (line 2), column 'band'") && band.contains("unknown band 'n99'"))
        let height = try #require(try error("\(Self.header)\nM1,6.69,51.2,-3,0,6,n78,75,Telekom\n")).description
        #expect(height.contains("column 'height'") && height.contains("outside"))
        let empty = try #require(try error("\(Self.header)\nM1,6.69,51.2,25,0,6,n78,75,\n")).description
        #expect(empty.contains("column 'operator'") && empty.contains("empty"))
        let lat = try #require(try error("\(Self.header)\nM1,6.69,north,25,0,6,n78,75,Telekom\n")).description
        #expect(lat.contains("row 1") && lat.contains("lon/lat"), "\(lat)")
    }

    @Test func missingColumnIsNamed() throws {
        let e = try #require(try error("id,lon,lat,height,azimuth,band,eirp,operator\nM1,6.69,51.2,25,0,n78,75,Telekom\n")).description
        #expect(e.contains("column 'tilt'") && e.contains("missing column"), "\(e)")
    }

    /// An ad-hoc scene: a few polygons from a GeoJSON building layer and one transmitter from a CSV.
    @Test func adHocSceneFromABuildingLayerAndOneTransmitter() throws {
        let folder = TemporaryFolder("adhoc")
        let buildings = try write("""
        {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
         {"type":"Feature","properties":{"h":12},"geometry":{"type":"Polygon","coordinates":[[[340100,5675100],[340140,5675100],[340140,5675120],[340100,5675120],[340100,5675100]]]}},
         {"type":"Feature","properties":{"h":20},"geometry":{"type":"Polygon","coordinates":[[[340200,5675200],[340230,5675200],[340230,5675240],[340200,5675240],[340200,5675200]]]}},
         {"type":"Feature","properties":{"h":8},"geometry":{"type":"Polygon","coordinates":[[[340300,5675050],[340320,5675050],[340320,5675070],[340300,5675070],[340300,5675050]]]}}
        ]}
        """, in: folder, name: "buildings.geojson")
        let layer = ScenarioBuilder.BuildingLayer(path: buildings, heightAttribute: "h")
        var (scenario, _) = try ScenarioBuilder(osmPath: nil, buildingLayer: layer,
                                                assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path).build()
        #expect(scenario.buildings.count == 3)
        let lonLat = try Projection(from: .utm32N, to: .wgs84).toLonLat([MapPoint(x: 340_050, y: 5_675_150)])[0]
        let sites = try write("\(Self.header)\nT1,\(lonLat.lon),\(lonLat.lat),10,0,0,B3,46,Test\n", in: folder)
        scenario = try SiteList.load(path: sites, assumptions: scenario.assumptions).applied(to: scenario)
        var options = CoverageOptions()
        options.resolutionMeters = 5
        options.threads = 1
        let result = try CoverageRun(scenario: scenario, options: options).run()
        #expect(result.operators.map(\.name) == ["Test"])
        #expect(result.scene.buildingIndex.contains(2))
        #expect(result.operators[0].combined.bestServer.contains(0))
        #expect(!result.isIllustrative)
        let files = try CoverageWriter(previews: false).write(result, to: folder.file("out").path)
        #expect(files.contains { $0.hasSuffix("test-rsrp.tif") })
    }
}
