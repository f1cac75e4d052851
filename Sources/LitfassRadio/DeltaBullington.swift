import Foundation

/// The delta-Bullington diffraction model over a terrain profile: ITU-R P.526-15 §4.5
/// (identical to P.452-17 §4.2.3): `L_d = L_ba + max(L_sph − L_bs, 0)`.
public enum DeltaBullington {
    /// The parts of a delta-Bullington evaluation, all in dB, and the effective heights used.
    public struct Result: Sendable, Equatable {
        /// Bullington loss of the actual profile, L_ba.
        public var actualProfileLossDB: Double
        /// Spherical-earth diffraction loss with the modified heights, L_sph.
        public var sphericalEarthLossDB: Double
        /// Bullington loss of the smooth (zero-height) profile with the modified heights, L_bs.
        public var smoothProfileLossDB: Double
        /// Transmitter antenna height above the smooth earth surface, m (h'_ts).
        public var txHeightAboveSmoothSurfaceMeters: Double
        /// Receiver antenna height above the smooth earth surface, m (h'_rs).
        public var rxHeightAboveSmoothSurfaceMeters: Double
        /// Total diffraction loss L_d = L_ba + max(L_sph − L_bs, 0).
        public var lossDB: Double { actualProfileLossDB + max(sphericalEarthLossDB - smoothProfileLossDB, 0) }
    }

    /// Heights of the smooth earth surface at the transmitter and receiver for the diffraction model,
    /// m above the datum (P.452-17 §5.1.6.2 least-squares surface, then §5.1.6.3 obstacle correction;
    /// the same construction as P.526-15 §4.5).
    ///
    /// `v1 = Σ (d_i − d_{i−1})(h_i + h_{i−1})`, `v2 = Σ (d_i − d_{i−1})[h_i(2d_i + d_{i−1}) + h_{i−1}(d_i + 2d_{i−1})]`,
    /// `h_st = (2 v1 d − v2)/d²`, `h_sr = (v2 − v1 d)/d²`; then with `H_i = h_i − [h_ts(d − d_i) + h_rs d_i]/d`,
    /// `h_obs = max H_i`, `α_obt = max H_i/d_i`, `α_obr = max H_i/(d − d_i)`: if h_obs > 0 the surface is
    /// lowered by `h_obs g_t` / `h_obs g_r` (g_t = α_obt/(α_obt + α_obr), g_r = α_obr/(α_obt + α_obr));
    /// finally it is limited to the ground heights at the ends.
    public static func smoothSurfaceHeights(profile: TerrainProfile, txHeightAMSLMeters hts: Double,
                                            rxHeightAMSLMeters hrs: Double) -> (txMeters: Double, rxMeters: Double) {
        let d = profile.distancesMeters, h = profile.heightsMeters
        let n = d.count
        let d0 = d[0]
        let total = d[n - 1] - d0
        var v1 = 0.0, v2 = 0.0
        for i in 1..<n {
            let di = d[i] - d0, dp = d[i - 1] - d0
            v1 += (di - dp) * (h[i] + h[i - 1])
            v2 += (di - dp) * (h[i] * (2 * di + dp) + h[i - 1] * (di + 2 * dp))
        }
        var hst = (2 * v1 * total - v2) / (total * total)
        var hsr = (v2 - v1 * total) / (total * total)
        var hobs = -Double.infinity, aobt = -Double.infinity, aobr = -Double.infinity
        for i in 1..<(n - 1) {
            let di = d[i] - d0
            let hi = h[i] - (hts * (total - di) + hrs * di) / total
            hobs = max(hobs, hi)
            aobt = max(aobt, hi / di)
            aobr = max(aobr, hi / (total - di))
        }
        if hobs > 0 {
            let gt = aobt / (aobt + aobr), gr = aobr / (aobt + aobr)
            hst -= hobs * gt
            hsr -= hobs * gr
        }
        return (min(hst, h[0]), min(hsr, h[n - 1]))
    }

    /// Delta-Bullington diffraction loss with its parts.
    /// - Parameters:
    ///   - profile: terrain profile, heights above sea level, m.
    ///   - txHeightAboveGroundMeters: transmitter antenna height above its ground point, m.
    ///   - rxHeightAboveGroundMeters: receiver antenna height above its ground point, m.
    ///   - frequencyHz: frequency, Hz.
    ///   - effectiveEarthRadiusMeters: a_e, m.
    ///   - polarization: only affects L_sph.
    public static func evaluate(profile: TerrainProfile, txHeightAboveGroundMeters: Double,
                                rxHeightAboveGroundMeters: Double, frequencyHz: Double,
                                effectiveEarthRadiusMeters: Double = 8_500_000,
                                polarization: SphericalEarthDiffraction.Polarization = .horizontal) -> Result {
        let n = profile.count
        let hts = profile.heightsMeters[0] + txHeightAboveGroundMeters
        let hrs = profile.heightsMeters[n - 1] + rxHeightAboveGroundMeters
        let lambda = 299_792_458.0 / frequencyHz
        let surface = smoothSurfaceHeights(profile: profile, txHeightAMSLMeters: hts, rxHeightAMSLMeters: hrs)
        let htsp = hts - surface.txMeters, hrsp = hrs - surface.rxMeters
        let (lba, lbs) = profile.distancesMeters.withUnsafeBufferPointer { d in
            profile.heightsMeters.withUnsafeBufferPointer { h in
                (Bullington.lossDB(d, h, zeroHeights: false, hts: hts, hrs: hrs, lambda: lambda,
                                   ae: effectiveEarthRadiusMeters),
                 Bullington.lossDB(d, h, zeroHeights: true, hts: htsp, hrs: hrsp, lambda: lambda,
                                   ae: effectiveEarthRadiusMeters))
            }
        }
        let lsph = SphericalEarthDiffraction.lossDB(distanceMeters: profile.lengthMeters, txHeightMeters: htsp,
                                                    rxHeightMeters: hrsp, frequencyHz: frequencyHz,
                                                    effectiveEarthRadiusMeters: effectiveEarthRadiusMeters,
                                                    polarization: polarization)
        return Result(actualProfileLossDB: lba, sphericalEarthLossDB: lsph, smoothProfileLossDB: lbs,
                      txHeightAboveSmoothSurfaceMeters: htsp, rxHeightAboveSmoothSurfaceMeters: hrsp)
    }

    /// Delta-Bullington diffraction loss L_d, dB. See `evaluate(...)`.
    public static func lossDB(profile: TerrainProfile, txHeightAboveGroundMeters: Double,
                              rxHeightAboveGroundMeters: Double, frequencyHz: Double,
                              effectiveEarthRadiusMeters: Double = 8_500_000,
                              polarization: SphericalEarthDiffraction.Polarization = .horizontal) -> Double {
        evaluate(profile: profile, txHeightAboveGroundMeters: txHeightAboveGroundMeters,
                 rxHeightAboveGroundMeters: rxHeightAboveGroundMeters, frequencyHz: frequencyHz,
                 effectiveEarthRadiusMeters: effectiveEarthRadiusMeters, polarization: polarization).lossDB
    }
}
