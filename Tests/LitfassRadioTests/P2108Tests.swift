import Foundation
import Testing
@testable import LitfassRadio

/// ITU-R P.2108-1 against the SG3 workbook values (`itu-p2108-sg3`) and the NTIA test data
/// (`ntia-p2108`, including the invalid-input return codes).
@Suite struct P2108Tests {
    /// §3.1, SG3: 10 rows, 2 decimals, tolerance 0.01 dB. The SG3 file numbers clutter types
    /// 1 water, 2 open/rural, 3 suburban, 4 urban/trees, 5 dense urban; mapped to our (NTIA) codes.
    @Test func heightGainSG3() throws {
        let rows = try referenceRows("itu-p2108-sg3/p2108_s3_1_height_gain_reference.csv")
        #expect(rows.count == 10)
        let sg3ToNTIA = [1: 1, 2: 2, 3: 3, 4: 4, 5: 6]
        for row in rows {
            let code = sg3ToNTIA[Int(row.double("eeveetza_type"))]!
            #expect(P2108.ClutterType(rawValue: code)!.usesDiffractionForm == (row.string("equation") == "2a"))
            let value = try P2108.heightGainCorrectionDB(frequencyHz: row.double("f_GHz") * 1e9,
                                                         heightMeters: row.double("h_m"),
                                                         streetWidthMeters: row.double("ws_m"),
                                                         representativeHeightMeters: row.double("R_m"),
                                                         clutterTypeCode: code)
            #expect(abs(value - row.double("Ah_dB")) <= 0.01, "row \(row.line): \(value)")
            if row.string("R_source") == "default" {
                #expect(P2108.ClutterType(rawValue: code)!.defaultRepresentativeHeightMeters == row.double("R_m"))
            }
        }
    }

    /// §3.2, SG3: 260 rows rounded to 0.1 dB; compare to 0.05 dB + rounding (0.051).
    @Test func terrestrialSG3() throws {
        let rows = try referenceRows("itu-p2108-sg3/p2108_s3_2_terrestrial_reference.csv")
        #expect(rows.count == 260)
        for row in rows {
            let value = try P2108.terrestrialClutterLossDB(frequencyHz: row.double("f_GHz") * 1e9,
                                                           distanceKm: row.double("d_km"),
                                                           percentage: row.double("p_percent"))
            #expect(abs(value - row.double("Lctt_dB_rounded_0p1")) <= 0.051, "row \(row.line): \(value)")
        }
    }

    /// §3.3, SG3: 1313 rows, tolerance 0.01 dB.
    @Test func earthSpaceSG3() throws {
        let rows = try referenceRows("itu-p2108-sg3/p2108_s3_3_earth_space_reference.csv")
        #expect(rows.count == 1313)
        for row in rows {
            let value = try P2108.earthSpaceClutterLossDB(frequencyHz: row.double("f_GHz") * 1e9,
                                                          elevationDeg: row.double("theta_deg"),
                                                          percentage: row.double("p_percent"))
            #expect(abs(value - row.double("Lces_dB")) <= 0.01, "row \(row.line): \(value)")
        }
    }

    /// Runs a P.2108 call and returns its NTIA return code (0 on success) and value.
    static func outcome(_ body: () throws -> Double) -> (code: Int, value: Double) {
        do { return (0, try body()) } catch let error as P2108Error { return (error.code, 0) } catch {
            Issue.record("unexpected error \(error)")
            return (-1, 0)
        }
    }

    /// NTIA recipe: the return code must match `rtn`; on success the value within 0.1 dB.
    @Test func ntiaHeightGain() throws {
        let rows = try referenceRows("ntia-p2108/HeightGainTerminalCorrectionModelTestData.csv")
        #expect(rows.count == 23)
        var errorRows = 0
        for row in rows {
            let result = Self.outcome {
                try P2108.heightGainCorrectionDB(frequencyHz: row.double("f__ghz") * 1e9, heightMeters: row.double("h__meter"),
                                                 streetWidthMeters: row.double("w_s__meter"),
                                                 representativeHeightMeters: row.double("R__meter"),
                                                 clutterTypeCode: Int(row.double("clutter_type")))
            }
            let rtn = Int(row.double("rtn"))
            #expect(result.code == rtn, "row \(row.line)")
            if rtn == 0 { #expect(abs(result.value - row.double("A_h__db")) <= 0.1, "row \(row.line)") } else { errorRows += 1 }
        }
        #expect(errorRows == 5)
    }

    @Test func ntiaTerrestrial() throws {
        let rows = try referenceRows("ntia-p2108/TerrestrialStatisticalModelTestData.csv")
        #expect(rows.count == 12)
        for row in rows {
            let result = Self.outcome {
                try P2108.terrestrialClutterLossDB(frequencyHz: row.double("f__ghz") * 1e9, distanceKm: row.double("d__km"),
                                                   percentage: row.double("p"))
            }
            let rtn = Int(row.double("rtn"))
            #expect(result.code == rtn, "row \(row.line)")
            if rtn == 0 { #expect(abs(result.value - row.double("L_ctt__db")) <= 0.1, "row \(row.line): \(result.value)") }
        }
    }

    @Test func ntiaAeronautical() throws {
        let rows = try referenceRows("ntia-p2108/AeronauticalStatisticalModelTestData.csv")
        #expect(rows.count == 13)
        for row in rows {
            let result = Self.outcome {
                try P2108.earthSpaceClutterLossDB(frequencyHz: row.double("f__ghz") * 1e9,
                                                  elevationDeg: row.double("theta_deg"), percentage: row.double("p"))
            }
            let rtn = Int(row.double("rtn"))
            #expect(result.code == rtn, "row \(row.line)")
            if rtn == 0 { #expect(abs(result.value - row.double("L_ces__db")) <= 0.1, "row \(row.line): \(result.value)") }
        }
    }

    /// Code 36 has no NTIA row; check it and the error text directly.
    @Test func clutterTypeCode36() {
        #expect(throws: P2108Error.heightGainClutterType(code: 7)) {
            try P2108.heightGainCorrectionDB(frequencyHz: 1e9, heightMeters: 2, clutterTypeCode: 7)
        }
        #expect(P2108Error.heightGainClutterType(code: 7).code == 36)
        #expect(P2108Error.terrestrialDistance(distanceKm: 0.1).description.contains("distanceKm"))
    }
}
