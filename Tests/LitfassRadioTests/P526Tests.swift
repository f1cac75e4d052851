import Foundation
import Testing
import _LitfassTestSupport
@testable import LitfassRadio

/// ITU-R P.526 diffraction: J(ν), Bullington, spherical earth and delta-Bullington against the
/// ITU-R SG3 validation examples in `itu-p526-delta-bullington` (20 cases, 0.1 dB; the spreadsheet
/// used c = 3e8 m/s, we use the exact speed of light, which stays inside the tolerance).
@Suite struct P526Tests {
    static let folder = "itu-p526-delta-bullington/"

    static func profile(_ file: String) throws -> TerrainProfile {
        try TerrainProfile.readCSV(path: TestPaths.reference(folder + file).path, distanceScale: 1000)
    }

    @Test func allDeltaBullingtonCases() throws {
        let rows = try referenceRows(Self.folder + "delta_bullington_expected.csv")
        #expect(rows.count == 20)
        var profiles: [String: TerrainProfile] = [:]
        for row in rows {
            let file = row.string("path_file")
            if profiles[file] == nil { profiles[file] = try Self.profile(file) }
            let result = DeltaBullington.evaluate(profile: profiles[file]!,
                                                  txHeightAboveGroundMeters: row.double("htg_m"),
                                                  rxHeightAboveGroundMeters: row.double("hrg_m"),
                                                  frequencyHz: row.double("f_MHz") * 1e6,
                                                  effectiveEarthRadiusMeters: row.double("ae_km") * 1000)
            let context = "case \(row.string("case"))"
            #expect(abs(result.txHeightAboveSmoothSurfaceMeters - row.double("htsp_m")) <= 1e-3, "\(context) htsp")
            #expect(abs(result.rxHeightAboveSmoothSurfaceMeters - row.double("hrsp_m")) <= 1e-3, "\(context) hrsp")
            #expect(abs(result.actualProfileLossDB - row.double("Lba_dB")) <= 0.1, "\(context) Lba \(result.actualProfileLossDB)")
            #expect(abs(result.sphericalEarthLossDB - row.double("Lsph_dB")) <= 0.1, "\(context) Lsph \(result.sphericalEarthLossDB)")
            #expect(abs(result.smoothProfileLossDB - row.double("Lbs_dB")) <= 0.1, "\(context) Lbs \(result.smoothProfileLossDB)")
            #expect(abs(result.lossDB - row.double("Ld_deltaBullington_dB")) <= 0.1, "\(context) Ld \(result.lossDB)")
        }
    }

    /// The intermediate first-term rows: F(X), G(Y_t), G(Y_r) with the effective heights of the
    /// matching full case.
    @Test func sphericalEarthFirstTerm() throws {
        let rows = try referenceRows(Self.folder + "delta_bullington_first_term_expected.csv")
        #expect(rows.count == 9)
        for row in rows {
            let profile = try Self.profile(row.string("path_file"))
            let hts = profile.heightsMeters.first! + row.double("htg_m")
            let hrs = profile.heightsMeters.last! + row.double("hrg_m")
            let surface = DeltaBullington.smoothSurfaceHeights(profile: profile, txHeightAMSLMeters: hts, rxHeightAMSLMeters: hrs)
            let terms = SphericalEarthDiffraction.firstTermComponents(
                distanceMeters: profile.lengthMeters, txHeightMeters: hts - surface.txMeters,
                rxHeightMeters: hrs - surface.rxMeters, frequencyHz: row.double("f_MHz") * 1e6,
                effectiveEarthRadiusMeters: row.double("ae_km") * 1000)
            #expect(abs(terms.fx - row.double("Fx_dB")) <= 0.1, "row \(row.line) Fx \(terms.fx)")
            #expect(abs(terms.gTx - row.double("G_Y1_dB")) <= 0.1, "row \(row.line) G(Y1) \(terms.gTx)")
            #expect(abs(terms.gRx - row.double("G_Y2_dB")) <= 0.1, "row \(row.line) G(Y2) \(terms.gRx)")
        }
    }

    /// J(ν) of P.526-15 eq. (31): 6.0 dB at ν = 0, 0 below −0.78, the large-ν asymptote
    /// 13 + 20 log10 ν (P.526-15 §4.1, ν > 1), monotone increasing.
    @Test func knifeEdge() {
        #expect(abs(KnifeEdge.lossDB(nu: 0) - (6.9 + 20 * log10(1.01.squareRoot() - 0.1))) < 1e-12)
        #expect(abs(KnifeEdge.lossDB(nu: 0) - 6.0) < 0.05)
        #expect(KnifeEdge.lossDB(nu: -0.8) == 0)
        #expect(abs(KnifeEdge.lossDB(nu: 10) - (13 + 20 * log10(10.0))) < 0.2)
        var previous = -1.0
        for i in 0..<200 {
            let value = KnifeEdge.lossDB(nu: -0.77 + Double(i) * 0.05)
            #expect(value > previous)
            previous = value
        }
        // ν of a 10 m edge midway on a 2 km path at 1 GHz: h sqrt(2/λ (1/d1 + 1/d2)).
        let lambda = 299_792_458.0 / 1e9
        let nu = KnifeEdge.fresnelParameter(heightAboveLineMeters: 10, distanceFromTxMeters: 1000,
                                            distanceToRxMeters: 1000, wavelengthMeters: lambda)
        #expect(abs(nu - 10 * (2 / lambda * 0.002).squareRoot()) < 1e-12)
    }

    /// Deygout on a single edge equals J(ν) of that edge; a second, lower edge adds loss; a clear
    /// path gives 0.
    @Test func deygout() throws {
        let f = 900e6, flat = Double.infinity
        let single = try TerrainProfile(distancesMeters: [0, 400, 1000], heightsMeters: [0, 30, 0])
        let lambda = 299_792_458.0 / f
        let above = 30 - (10.0 * 600 + 10.0 * 400) / 1000
        let nu = KnifeEdge.fresnelParameter(heightAboveLineMeters: above, distanceFromTxMeters: 400,
                                            distanceToRxMeters: 600, wavelengthMeters: lambda)
        let one = Deygout.lossDB(profile: single, txHeightAMSLMeters: 10, rxHeightAMSLMeters: 10, frequencyHz: f,
                                 effectiveEarthRadiusMeters: flat)
        #expect(abs(one - KnifeEdge.lossDB(nu: nu)) < 1e-9)
        let double = try TerrainProfile(distancesMeters: [0, 400, 700, 1000], heightsMeters: [0, 30, 25, 0])
        let two = Deygout.lossDB(profile: double, txHeightAMSLMeters: 10, rxHeightAMSLMeters: 10, frequencyHz: f,
                                 effectiveEarthRadiusMeters: flat)
        #expect(two > one + 1)
        let clear = try TerrainProfile(distancesMeters: [0, 500, 1000], heightsMeters: [0, -50, 0])
        #expect(Deygout.lossDB(profile: clear, txHeightAMSLMeters: 10, rxHeightAMSLMeters: 10, frequencyHz: f) == 0)
    }

    @Test func badProfilesAreRejected() {
        #expect(throws: RadioModelError.self) { try TerrainProfile(distancesMeters: [0, 1], heightsMeters: [0, 1]) }
        #expect(throws: RadioModelError.self) { try TerrainProfile(distancesMeters: [0, 2, 1], heightsMeters: [0, 1, 0]) }
        #expect(throws: RadioModelError.self) { try TerrainProfile(distancesMeters: [0, 1, 2], heightsMeters: [0, 1]) }
    }
}
