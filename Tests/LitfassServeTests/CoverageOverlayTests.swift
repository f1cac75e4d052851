import Foundation
import Testing
import LitfassCoverage
import LitfassGeo
import LitfassQuery
import LitfassScenario
import LitfassServe
import _LitfassTestSupport

/// A coverage folder of the default scenario at a coarse grid (25 m, no previews: seconds), written by the same
/// code as `litfass coverage`, and a second server on the shared engine serving it (`--coverage DIR`).
let coverageFixture: (folder: TemporaryFolder, api: ServeAPI, server: HTTPServer) = {
    let folder = TemporaryFolder("litfass-serve-coverage")
    var options = CoverageOptions()
    options.resolutionMeters = 25
    let result = try! CoverageRun(scenario: serveFixture.api.engine.scenario, options: options).run()
    _ = try! CoverageWriter(previews: false).write(result, to: folder.url.path)
    let overlays = try! CoverageOverlays(directory: folder.url.path, operators: serveFixture.api.engine.scenario.operatorNames)
    let api = try! ServeAPI(engine: serveFixture.api.engine, scenarioPath: serveFixture.scenarioPath, coverage: overlays)
    let server = try! HTTPServer(bindAddress: "127.0.0.1", port: 0) { api.respond(to: $0) }
    return (folder, api, server)
}()

/// The RSRP maps of `litfass serve --coverage DIR`: the GeoTIFF as written, the colour overlay, the listing, errors.
@Suite(.serialized) struct CoverageOverlayTests {
    func get(_ target: String) throws -> LoopbackHTTP.Response {
        try LoopbackHTTP.request(port: coverageFixture.server.port, target)
    }

    @Test func listingNamesEveryOperatorsMapWithItsBounds() throws {
        let listing = try #require(try get("/api/coverage").json)
        #expect(listing["loaded"] as? Bool == true)
        let layers = try #require(listing["layers"] as? [[String: Any]])
        #expect(layers.map { $0["operator"] as? String } == serveFixture.api.engine.scenario.operatorNames)
        #expect(Set(layers.compactMap { $0["operator"] as? String }) == ["Telekom", "Vodafone", "Telefonica"])
        #expect(layers.first { $0["operator"] as? String == "Telekom" }?["png"] as? String == "/api/coverage/telekom/rsrp.png")
        #expect(layers.first { $0["operator"] as? String == "Telekom" }?["cog"] as? String == "/api/coverage/telekom/rsrp.tif")
        let legend = try #require(listing["legend"] as? [String: Any])
        #expect(legend["minimum"] as? Double == -130)
        #expect(legend["maximum"] as? Double == -50)
        #expect((legend["stops"] as? [String])?.first == "#440154")
        // Without --coverage the listing says nothing is loaded.
        let none = try #require(try LoopbackHTTP.request(port: serveFixture.server.port, "/api/coverage").json)
        #expect(none["loaded"] as? Bool == false)
        #expect((none["layers"] as? [Any])?.isEmpty == true)
    }

    @Test func geoTIFFIsTheFileByteForByte() throws {
        for slug in ["telekom", "vodafone", "telefonica"] {
            let response = try get("/api/coverage/\(slug)/rsrp.tif")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "image/tiff")
            let file = try Data(contentsOf: coverageFixture.folder.file("\(slug)-rsrp.tif"))
            #expect(response.body == file, "\(slug): \(response.body.count) bytes served, \(file.count) in the file")
            #expect(try RasterIO.info(path: coverageFixture.folder.file("\(slug)-rsrp.tif").path).layout == "COG")
        }
    }

    @Test func overlayIsAPNGOfTheRastersSizeAndBoundsWithItsColours() throws {
        let tif = coverageFixture.folder.file("telekom-rsrp.tif").path
        let info = try RasterIO.info(path: tif)
        let response = try get("/api/coverage/telekom/rsrp.png")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "image/png")
        let folder = TemporaryFolder("litfass-overlay")
        let png = folder.file("overlay.png").path
        try response.body.write(to: URL(fileURLWithPath: png))
        let pngInfo = try RasterIO.info(path: png)
        #expect(pngInfo.driver == "PNG")
        #expect(pngInfo.columns == info.columns && pngInfo.rows == info.rows)
        #expect(pngInfo.bands.count == 4)

        // Bounds: the raster's corners in WGS84 lie on or inside them, and they reach no farther than 1e-5° (about 1 m).
        let layer = try #require((try get("/api/coverage").json?["layers"] as? [[String: Any]])?.first)
        let bounds = try #require(layer["bounds"] as? [Double])
        let t = info.geoTransform
        let maxX = t[0] + Double(info.columns) * t[1], minY = t[3] - Double(info.rows) * t[1]
        let corners = try Projection(from: .utm32N, to: .wgs84).toLonLat([MapPoint(x: t[0], y: minY), MapPoint(x: maxX, y: minY),
                                                                             MapPoint(x: t[0], y: t[3]), MapPoint(x: maxX, y: t[3])])
        let expected = [corners.map(\.lon).min()!, corners.map(\.lat).min()!, corners.map(\.lon).max()!, corners.map(\.lat).max()!]
        for k in 0..<4 {
            #expect(abs(bounds[k] - expected[k]) < 1e-5, "bound \(k): \(bounds[k]) vs the corners' \(expected[k])")
            #expect(k < 2 ? bounds[k] <= expected[k] + 1e-12 : bounds[k] >= expected[k] - 1e-12)
        }

        // Every pixel shows the raster cell under its centre in the previews' colours; nodata is transparent.
        let values = try RasterIO.readBand(path: tif)
        let noData = try #require(info.bands.first?.noDataValue)
        let rgba = try (1...4).map { try RasterIO.readBand(path: png, band: $0) }
        let toMap = try Projection(from: .wgs84, to: .utm32N)
        var checked = 0, transparent = 0
        for j in stride(from: 0, to: info.rows, by: 7) {
            for i in stride(from: 0, to: info.columns, by: 7) {
                let lon = bounds[0] + (Double(i) + 0.5) * (bounds[2] - bounds[0]) / Double(info.columns)
                let lat = bounds[3] - (Double(j) + 0.5) * (bounds[3] - bounds[1]) / Double(info.rows)
                let p = try toMap.forward([LonLat(lon: lon, lat: lat)])[0]
                let c = Int(((p.x - t[0]) / t[1]).rounded(.down)), r = Int(((t[3] - p.y) / t[1]).rounded(.down))
                let k = j * info.columns + i
                guard c >= 0, c < info.columns, r >= 0, r < info.rows, Double(values[r * info.columns + c]) != noData else {
                    #expect(rgba[3][k] == 0, "pixel \(i),\(j) outside the raster or nodata must be transparent")
                    transparent += 1
                    continue
                }
                let colour = RSRPColours.rgb(Double(values[r * info.columns + c]))
                #expect([rgba[0][k], rgba[1][k], rgba[2][k], rgba[3][k]] == [Float(colour.r), Float(colour.g), Float(colour.b), 255], "pixel \(i),\(j)")
                checked += 1
            }
        }
        #expect(checked > 100)
        #expect(transparent > 0, "the lon/lat grid's corners lie outside the rotated raster")
    }

    @Test func unknownOperatorAndBadPathsAreJSONErrors() throws {
        let unknown = try get("/api/coverage/o2/rsrp.png")
        #expect(unknown.status == 404)
        #expect(unknown.json?["error"].flatMap { ($0 as? [String: Any])?["kind"] as? String } == "no-such-operator")
        #expect(try get("/api/coverage/telekom/sinr.tif").status == 404)
        #expect(try get("/api/coverage/telekom/rsrp.png/x").status == 404)
        for path in ["/api/coverage/../telekom-rsrp.tif", "/api/coverage/%2e%2e/%2e%2e/etc/passwd", "/api/coverage/telekom/..%2Frsrp.tif"] {
            let response = try get(path)
            #expect([400, 404].contains(response.status), "\(path): \(response.status)")
            #expect(response.json?["error"] != nil, "\(path)")
        }
        // Without --coverage: 404 with what to do.
        let none = try LoopbackHTTP.request(port: serveFixture.server.port, "/api/coverage/telekom/rsrp.png")
        #expect(none.status == 404)
        #expect(none.text.contains("--coverage"))
    }

    @Test func mapsComputedAtStartAreTheCoverageRunsAtThatGrid() throws {
        // What `litfass serve` does without --coverage: the same maps as `litfass coverage --resolution 25` (the fixture).
        let computed = try CoverageOverlays.computed(scenario: serveFixture.api.engine.scenario, resolutionMeters: 25)
        #expect(computed.directory == nil)
        #expect(computed.source?.contains("25 m grid") == true)
        #expect(computed.layers.map(\.operatorName) == coverageFixture.api.coverage.layers.map(\.operatorName))
        for (a, b) in zip(computed.layers, coverageFixture.api.coverage.layers) {
            #expect(a.png == b.png, "\(a.operatorName)")
            #expect(a.bounds == b.bounds && a.width == b.width && a.height == b.height)
        }
    }

    @Test func aFolderWithoutRSRPMapsIsRefused() throws {
        let empty = TemporaryFolder("litfass-empty-coverage")
        #expect(throws: ServeError.self) { try CoverageOverlays(directory: empty.url.path, operators: ["Telekom"]) }
        #expect(throws: ServeError.self) { try CoverageOverlays(directory: empty.file("missing").path, operators: ["Telekom"]) }
    }

    @Test func pageShowsTheOverlayAndItsLegendInHeadlessChromium() throws {
        guard let browser = BrowserTests.startableChromium() else { return }
        let url = "http://127.0.0.1:\(coverageFixture.server.port)/?address=" + LoopbackHTTP.escape(krefelder)
        let run = try runProcess(browser, BrowserTests.flags + ["--virtual-time-budget=20000", "--dump-dom", url])
        let dom = run.stdout
        #expect(dom.contains("coverage-overlay"), "\(dom.prefix(3_000))")
        // The first operator's map is shown at start; every operator has its radio button.
        let operators = serveFixture.api.engine.scenario.operatorNames
        let first = try #require(coverageFixture.api.coverage.layers.first)
        #expect(dom.range(of: #"<img[^>]*coverage-overlay[^>]*>"#, options: .regularExpression).map { String(dom[$0]) }?
            .contains("/api/coverage/\(first.slug)/rsrp.png") == true)
        #expect(dom.contains("id=\"coverage-legend\""))
        #expect(dom.contains("linear-gradient"))
        #expect(dom.contains("id=\"coverage-source\""))
        for (k, op) in operators.enumerated() { #expect(dom.contains("value=\"\(k)\" data-operator=\"\(op)\""), "\(op)") }
        #expect(dom.contains("<h2 id=\"title\">Krefelder Straße 15, 41460 Neuss"))
    }
}
