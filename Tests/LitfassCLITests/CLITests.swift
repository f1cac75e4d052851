import Foundation
import Testing
import _LitfassTestSupport

/// Runs the built `litfass` executable and checks exit codes and output.
func litfass(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) {
    try runProcess(TestPaths.litfassExecutable, arguments)
}

struct CLIBasicsTests {
    @Test func helpListsTheCommands() throws {
        let result = try litfass("--help")
        #expect(result.status == 0)
        for command in ["info", "scenario build", "heights derive", "model", "coverage"] {
            #expect(result.stdout.contains("  \(command)"))
        }
        #expect(result.stdout.contains("ODbL"))
    }

    @Test func everyCommandHasHelp() throws {
        for command in [["info"], ["scenario", "build"], ["heights", "derive"]] {
            let result = try runProcess(TestPaths.litfassExecutable, command + ["--help"])
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("Usage: litfass \(command.joined(separator: " "))"))
        }
    }

    @Test func unknownCommandIsAUsageError() throws {
        let result = try litfass("frobnicate")
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown command 'frobnicate'"))
    }

    @Test func unknownOptionIsAUsageErrorNamingIt() throws {
        let result = try litfass("info", "--colour", "red")
        #expect(result.status == 2)
        #expect(result.stderr.contains("'--colour'"))
    }

    @Test func badFormatIsAUsageError() throws {
        let result = try litfass("info", "--format", "xml")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--format expects one of text, json, got 'xml'"))
    }

    @Test func missingScenarioIsADataError() throws {
        let result = try litfass("info", "--scenario", "/nonexistent/city.gpkg")
        #expect(result.status == 1)
        #expect(result.stderr == "litfass info: /nonexistent/city.gpkg: no such file\n")
    }
}

struct InfoCommandTests {
    @Test func jsonOnTheDefaultScenarioHasTheDocumentedKeys() throws {
        let result = try litfass("info", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["buildings", "addresses", "streets", "candidateSites", "sites", "sectors", "fibreSegments", "bboxWGS84", "assumptions"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["candidateSites"] as? Int == 14)
        #expect(json["sites"] as? Int == 6)
        #expect(json["addresses"] as? Int == 1454)
        let bbox = try #require(json["bboxWGS84"] as? [Double])
        #expect(bbox.count == 4 && bbox[0] < 6.6712 && bbox[2] > 6.7019 && bbox[1] < 51.1830 && bbox[3] > 51.2214)
        let assumptions = try #require(json["assumptions"] as? [String: Any])
        #expect(assumptions["fibreIllustrative"] as? Bool == true)
        #expect((assumptions["assumedValues"] as? [String])?.isEmpty == false)
        #expect((json["attribution"] as? String)?.contains("OpenStreetMap contributors") == true)
    }

    @Test func textNamesIllustrativeFibreAndAttribution() throws {
        let result = try litfass("info")
        #expect(result.status == 0)
        #expect(result.stdout.contains("ILLUSTRATIVE"))
        #expect(result.stdout.contains("© OpenStreetMap contributors, ODbL 1.0"))
    }
}

struct ScenarioBuildCommandTests {
    @Test func buildsNeussAndInfoReadsIt() throws {
        let folder = TemporaryFolder()
        let out = folder.file("neuss.gpkg").path
        let build = try litfass("scenario", "build", "--osm", TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf").path, "--out", out)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("candidate sites      14"))
        let info = try litfass("info", "--scenario", out, "--format", "json")
        #expect(info.stdout.contains("\"sites\" : 6"))
    }

    @Test func truncatedExtractFailsWithExit1AndWritesNothing() throws {
        let folder = TemporaryFolder()
        let input = folder.file("cut.osm.pbf")
        try Data(contentsOf: TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf")).prefix(250_000).write(to: input)
        let out = folder.file("cut.gpkg").path
        let result = try litfass("scenario", "build", "--osm", input.path, "--out", out)
        #expect(result.status == 1)
        #expect(result.stderr.contains(input.path) && result.stderr.contains("truncated"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["cut.osm.pbf"])
    }

    @Test func cornerTurnsOutsideTheRangeAreAUsageError() throws {
        for (value, message) in [("9", "--corner-turns must be between 0 and 8 corner turns, got 9"), ("-1", "got -1"),
                                 ("many", "--corner-turns expects a whole number 0…8, got 'many'")] {
            let result = try litfass("coverage", "--corner-turns", value, "--out", "/tmp/litfass-never-written")
            #expect(result.status == 2, "\(value): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(value): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/litfass-never-written"))
    }

    @Test func missingOutIsAUsageError() throws {
        let result = try litfass("scenario", "build", "--osm", "x.osm.pbf")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--out FILE.gpkg is required"))
    }

    @Test func buildingLayerWithoutHeightAttributeFails() throws {
        let folder = TemporaryFolder()
        let result = try litfass("scenario", "build", "--buildings", TestPaths.fixtureData("lod2-nrw/LoD2_32_333_5725_1_NW.gml").path,
                                 "--height-attribute", "hoehe", "--buildings-crs", "EPSG:25832", "--out", folder.file("x.gpkg").path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no attribute 'hoehe'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test func adHocSceneFromAGeoJSONOfExtrudedFootprints() throws {
        let folder = TemporaryFolder()
        let geojson = folder.file("block.geojson")
        try """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"hoehe":18.5,"building":"office"},
           "geometry":{"type":"Polygon","coordinates":[[[6.6800,51.1920],[6.6805,51.1920],[6.6805,51.1923],[6.6800,51.1923],[6.6800,51.1920]]]}}]}
        """.write(to: geojson, atomically: true, encoding: .utf8)
        let out = folder.file("block.gpkg").path
        let result = try litfass("scenario", "build", "--buildings", geojson.path, "--height-attribute", "hoehe", "--out", out)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("buildings            1"))
    }
}

struct OneLineErrorTests {
    @Test func usageAndDataErrorsAreOneLineEach() throws {
        for (arguments, status) in [(["info", "--colour", "red"], Int32(2)), (["info", "--scenario", "/nonexistent.gpkg"], 1),
                                    (["scenario", "build", "--osm", "/nonexistent.osm.pbf", "--out", "/tmp/x.gpkg"], 1)] {
            let result = try runProcess(TestPaths.litfassExecutable, arguments)
            #expect(result.status == status)
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
    }
}
