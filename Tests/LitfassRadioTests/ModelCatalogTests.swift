import Foundation
import Testing
import _LitfassTestSupport
@testable import LitfassRadio

/// The model catalogue behind `litfass model`: names, parameter checks, results equal to the
/// direct API, CSV evaluation.
@Suite struct ModelCatalogTests {
    @Test func requiredModelsExist() throws {
        let names = ["fspl", "38901-uma", "38901-umi", "38901-rma", "38901-inh", "38901-o2i", "p1411-below-roof",
                     "p1411-above-roof", "p1411-low-height", "p526-knife-edge", "p526-delta-bullington",
                     "p2108-height-gain", "p2108-terrestrial", "p2109", "throughput"]
        for name in names { _ = try ModelCatalog.model(named: name) }
        #expect(Set(ModelCatalog.models.map(\.name)).count == ModelCatalog.models.count)
        for model in ModelCatalog.models {
            #expect(!model.summary.isEmpty && !model.resultUnit.isEmpty)
            for p in model.parameters { #expect(!p.unit.isEmpty && !p.description.isEmpty, "\(model.name).\(p.name)") }
        }
        for name in ["38901-uma", "38901-umi", "38901-rma", "38901-inh"] {
            #expect(try ModelCatalog.model(named: name).parameter(named: "los") != nil)
        }
    }

    @Test func resultsMatchTheDirectAPI() throws {
        let d2 = 300.0, d3 = (300.0 * 300 + 23.5 * 23.5).squareRoot()
        let uma = try ModelCatalog.evaluate(model: "38901-uma", parameters: ["distance2DMeters": d2, "frequencyHz": 3.6e9, "los": 0])
        #expect(abs(uma - PathLoss38901.umaNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: 3.6e9)) < 1e-12)
        let fspl = try ModelCatalog.evaluate(model: "fspl", parameters: ["distanceMeters": 1000, "frequencyHz": 1e9])
        #expect(fspl == FreeSpace.pathLossDB(distanceMeters: 1000, frequencyHz: 1e9))
        let bel = try ModelCatalog.evaluate(model: "p2109", parameters: ["frequencyHz": 2e9, "elevationDeg": 45])
        #expect(bel == P2109.lossDB(frequencyHz: 2e9, probabilityPercent: 50, elevationDeg: 45, buildingClass: .traditional))
        let thr = try ModelCatalog.evaluate(model: "throughput", parameters: ["sinrDB": 30, "bandwidthHz": 20e6])
        #expect(abs(thr - 4.4 * 20e6) < 0.01 * 20e6)
        let low = try ModelCatalog.evaluate(model: "p1411-low-height",
                                            parameters: ["distanceMeters": 100, "frequencyHz": 1e9, "environment": 2])
        #expect(low == P1411.lowHeightLossDB(distanceMeters: 100, frequencyHz: 1e9, locationPercent: 50, environment: .urban))
    }

    @Test func parameterErrors() throws {
        #expect(throws: RadioModelError.unknownModel(name: "hata-xyz")) {
            try ModelCatalog.evaluate(model: "hata-xyz", parameters: [:])
        }
        #expect(throws: RadioModelError.unknownParameter(model: "fspl", parameter: "distance")) {
            try ModelCatalog.evaluate(model: "fspl", parameters: ["distance": 1, "frequencyHz": 1e9])
        }
        #expect(throws: RadioModelError.missingParameter(model: "fspl", parameter: "frequencyHz")) {
            try ModelCatalog.evaluate(model: "fspl", parameters: ["distanceMeters": 100])
        }
        #expect(throws: RadioModelError.outOfRange(parameter: "distance2DMeters", value: 8000, validRange: ValidRange(10, 5000))) {
            try ModelCatalog.evaluate(model: "38901-umi", parameters: ["distance2DMeters": 8000, "frequencyHz": 3.6e9, "los": 1])
        }
        _ = try ModelCatalog.evaluate(model: "38901-umi", parameters: ["distance2DMeters": 8000, "frequencyHz": 3.6e9, "los": 1],
                                      allowExtrapolation: true)
        #expect(throws: RadioModelError.self) {
            try ModelCatalog.evaluate(model: "38901-umi", parameters: ["distance2DMeters": 100, "frequencyHz": 3.6e9, "los": 0.5])
        }
        // Environment-dependent range (P.1411 Table 4: residential up to 170 m).
        #expect(throws: RadioModelError.outOfRange(parameter: "distance3DMeters", value: 200, validRange: ValidRange(30, 170))) {
            try ModelCatalog.evaluate(model: "p1411-below-roof", parameters: ["distance3DMeters": 200, "frequencyHz": 10e9, "environment": 4])
        }
        // P.2108 codes still come through.
        #expect(throws: P2108Error.heightGainClutterType(code: 7)) {
            try P2108.heightGainCorrectionDB(frequencyHz: 1e9, heightMeters: 2, clutterTypeCode: 7)
        }
        #expect(throws: RadioModelError.self) {
            try ModelCatalog.evaluate(model: "p2108-height-gain", parameters: ["frequencyHz": 1e9, "heightMeters": 2, "clutterType": 7])
        }
    }

    /// The delta-Bullington model reads its profile from a file: case 1 of the ITU validation set.
    @Test func deltaBullingtonFromFile() throws {
        let rows = try referenceRows("itu-p526-delta-bullington/delta_bullington_expected.csv")
        let row = rows[0]
        let path = TestPaths.reference("itu-p526-delta-bullington/" + row.string("path_file")).path
        let value = try ModelCatalog.evaluate(
            model: "p526-delta-bullington",
            parameters: ["txHeightAboveGroundMeters": row.double("htg_m"), "rxHeightAboveGroundMeters": row.double("hrg_m"),
                         "frequencyHz": row.double("f_MHz") * 1e6, "effectiveEarthRadiusMeters": row.double("ae_km") * 1000,
                         "profileDistanceScale": 1000],
            files: ["profile": path])
        #expect(abs(value - row.double("Ld_deltaBullington_dB")) <= 0.1)
        #expect(throws: RadioModelError.missingParameter(model: "p526-delta-bullington", parameter: "profile")) {
            try ModelCatalog.evaluate(model: "p526-delta-bullington",
                                      parameters: ["txHeightAboveGroundMeters": 10, "rxHeightAboveGroundMeters": 10, "frequencyHz": 1e9])
        }
    }

    @Test func csvEvaluation() throws {
        let model = try ModelCatalog.model(named: "fspl")
        let input = "site,distanceMeters\nA,100\nB,1000\n"
        let output = try model.evaluateCSV(input, constants: ["frequencyHz": 1e9], allowExtrapolation: false)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines[0] == "site,distanceMeters,pathLossDB")
        #expect(lines[1] == "A,100," + RadioModel.format(FreeSpace.pathLossDB(distanceMeters: 100, frequencyHz: 1e9)))
        #expect(lines.count == 3)
        do {
            _ = try model.evaluateCSV("distanceMeters,frequencyHz\n100,1e9\n200,abc\n", allowExtrapolation: false)
            Issue.record("no error for a bad value")
        } catch let error as ModelCSVError {
            #expect(error.row == 2 && error.column == "frequencyHz")
            #expect(error.description == "row 2, column frequencyHz: 'abc' is not a number")
        }
        do {
            _ = try model.evaluateCSV("distanceMeters,frequencyHz\n100,1e9\n200,1e15\n", allowExtrapolation: false)
            Issue.record("no error for an out-of-range value")
        } catch let error as ModelCSVError {
            #expect(error.row == 2 && error.column == "frequencyHz")
        }
    }
}
