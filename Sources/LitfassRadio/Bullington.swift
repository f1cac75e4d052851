import Foundation

/// Bullington diffraction loss over a profile: ITU-R P.526-15 §4.5 (identical to P.452-17 §4.2.1).
///
/// The profile's intermediate points are obstacles; the earth's curvature is added through the
/// effective earth radius. Distances m, heights m, frequency Hz, result dB.
public enum Bullington {
    /// Bullington loss `L_b = L_uc + [1 − exp(−L_uc/6)] (10 + 0.02 d)` (d in km).
    ///
    /// With `C_e = 1/a_e`: `S_tim = max[(h_i + 500 C_e d_i (d − d_i) − h_ts)/d_i]`, `S_tr = (h_rs − h_ts)/d`.
    /// LoS case (S_tim < S_tr): `ν_max = max[(h_i + 500 C_e d_i(d − d_i) − (h_ts(d − d_i) + h_rs d_i)/d)
    /// · sqrt(0.002 d / (λ d_i (d − d_i)))]`, `L_uc = J(ν_max)`. Otherwise the Bullington point at
    /// `d_b = (h_rs − h_ts + S_rim d)/(S_tim + S_rim)` gives ν_b and `L_uc = J(ν_b)`; J of P.526 eq. (31).
    /// The equations are written here in metres throughout.
    /// - Parameters:
    ///   - profile: the terrain profile (heights above sea level).
    ///   - txHeightAMSLMeters: h_ts, transmitter antenna height above sea level, m.
    ///   - rxHeightAMSLMeters: h_rs, receiver antenna height above sea level, m.
    ///   - frequencyHz: frequency, Hz.
    ///   - effectiveEarthRadiusMeters: a_e, m (8 500 km for the median refractivity gradient).
    public static func lossDB(profile: TerrainProfile, txHeightAMSLMeters: Double, rxHeightAMSLMeters: Double,
                              frequencyHz: Double, effectiveEarthRadiusMeters: Double = 8_500_000) -> Double {
        profile.distancesMeters.withUnsafeBufferPointer { d in
            profile.heightsMeters.withUnsafeBufferPointer { h in
                lossDB(d, h, zeroHeights: false, hts: txHeightAMSLMeters, hrs: rxHeightAMSLMeters,
                       lambda: 299_792_458.0 / frequencyHz, ae: effectiveEarthRadiusMeters)
            }
        }
    }

    /// The Bullington loss over the given points, optionally treating every height as zero
    /// (the smooth-profile pass of delta-Bullington) without allocating.
    static func lossDB(_ d: UnsafeBufferPointer<Double>, _ h: UnsafeBufferPointer<Double>, zeroHeights: Bool,
                       hts: Double, hrs: Double, lambda: Double, ae: Double) -> Double {
        let n = d.count
        let d0 = d[0]
        let total = d[n - 1] - d0
        let curvature = 1.0 / (2.0 * ae)       // 500 C_e with km; 1/(2 a_e) with metres
        var sTim = -Double.infinity
        for i in 1..<(n - 1) {
            let di = d[i] - d0
            let hi = (zeroHeights ? 0 : h[i]) + curvature * di * (total - di)
            sTim = max(sTim, (hi - hts) / di)
        }
        let sTr = (hrs - hts) / total
        var luc = 0.0
        if sTim < sTr {
            var nuMax = -Double.infinity
            for i in 1..<(n - 1) {
                let di = d[i] - d0
                let hi = (zeroHeights ? 0 : h[i]) + curvature * di * (total - di)
                let nu = (hi - (hts * (total - di) + hrs * di) / total)
                    * (2.0 * total / (lambda * di * (total - di))).squareRoot()
                nuMax = max(nuMax, nu)
            }
            luc = KnifeEdge.lossDB(nu: nuMax)
        } else {
            var sRim = -Double.infinity
            for i in 1..<(n - 1) {
                let di = d[i] - d0
                let hi = (zeroHeights ? 0 : h[i]) + curvature * di * (total - di)
                sRim = max(sRim, (hi - hrs) / (total - di))
            }
            let db = (hrs - hts + sRim * total) / (sTim + sRim)
            let nuB = (hts + sTim * db - (hts * (total - db) + hrs * db) / total)
                * (2.0 * total / (lambda * db * (total - db))).squareRoot()
            luc = KnifeEdge.lossDB(nu: nuB)
        }
        let dKm = total / 1000.0
        return luc + (1.0 - exp(-luc / 6.0)) * (10.0 + 0.02 * dKm)
    }
}
