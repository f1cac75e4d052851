import Foundation
import Testing
import _LitfassTestSupport
@testable import LitfassRadio

/// 3GPP TR 38.901 Table 7.4.1-1 against the ns-3 test vectors
/// (`ns3-propagation/ns3_3gpp_38901_pathloss_vectors.csv`, tolerance column of the file).
/// V2V rows (TR 37.885) are not a 38.901 model here and are skipped by scenario name.
@Suite struct PathLoss38901Tests {
    static func rows() throws -> [[String: String]] {
        try readReferenceCSV(TestPaths.reference("ns3-propagation/ns3_3gpp_38901_pathloss_vectors.csv"))
    }

    @Test func ns3VectorsAllScenarios() throws {
        let rows = try Self.rows()
        #expect(rows.count == 44)
        var checked = 0
        for row in rows {
            let scenario = row["scenario"]!
            let hBS = Double(row["h_BS_m"]!)!, hUT = Double(row["h_UT_m"]!)!
            let d2 = Double(row["d_2D_m"]!)!, f = Double(row["f_Hz"]!)!
            let d3 = ((d2 * d2) + (hBS - hUT) * (hBS - hUT)).squareRoot()
            let los = row["los"] == "LOS"
            let expected = Double(row["path_loss_dB"]!)!, tol = Double(row["tolerance_dB"]!)!
            let value: Double
            switch (scenario, los) {
            case ("RMa", true): value = PathLoss38901.rmaLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hBS, utHeightMeters: hUT)
            case ("RMa", false): value = PathLoss38901.rmaNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hBS, utHeightMeters: hUT)
            case ("UMa", true): value = PathLoss38901.umaLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hBS, utHeightMeters: hUT)
            case ("UMa", false): value = PathLoss38901.umaNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hBS, utHeightMeters: hUT)
            case ("UMi-StreetCanyon", true): value = PathLoss38901.umiLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hBS, utHeightMeters: hUT)
            case ("UMi-StreetCanyon", false): value = PathLoss38901.umiNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hBS, utHeightMeters: hUT)
            case ("InH-OfficeMixed", true): value = PathLoss38901.inhLOS(distance3DMeters: d3, frequencyHz: f)
            case ("InH-OfficeMixed", false): value = PathLoss38901.inhNLOS(distance3DMeters: d3, frequencyHz: f)
            default: continue
            }
            checked += 1
            #expect(abs(value - expected) <= tol, "\(scenario) \(row["los"]!) d2D=\(d2): \(value) vs \(expected)")
        }
        #expect(checked == 32)
    }
}
