import Foundation

/// Building entry loss of ITU-R P.2109-1 (the loss of a signal entering a building from outside).
public enum P2109 {
    /// Building class of P.2109-1 Table 1.
    public enum BuildingClass: Int, Sendable, CaseIterable {
        /// Traditional building (no metallised glass).
        case traditional = 1
        /// Thermally efficient building (metallised glass, foil-backed panels).
        case thermallyEfficient = 2
    }

    /// Validity range of the frequency, Hz (P.2109-1 §1: 80 MHz to 100 GHz).
    public static let frequencyRangeHz = ValidRange(80e6, 100e9)
    /// Probability range, % (open: the inverse normal is infinite at 0 and 100).
    public static let probabilityRangePercent = ValidRange(0, 100, lowerExclusive: true, upperExclusive: true)
    /// Elevation range at the facade, degrees.
    public static let elevationRangeDeg = ValidRange(-90, 90)

    /// Building entry loss not exceeded with probability `probabilityPercent`, dB.
    ///
    /// ITU-R P.2109-1 §3 eqs. (1)–(10) with Table 1:
    /// `L_h = r + s log10 f + t (log10 f)²`, `L_e = 0.212 |θ|`, `μ1 = L_h + L_e`, `μ2 = w + x log10 f`,
    /// `σ1 = u + v log10 f`, `σ2 = y + z log10 f`, `A = F⁻¹(P) σ1 + μ1`, `B = F⁻¹(P) σ2 + μ2`, `C = −3`,
    /// `L_BEL = 10 log10(10^(0.1A) + 10^(0.1B) + 10^(0.1C))`, f in GHz.
    /// Unchecked: see `checkedLossDB` for the validity ranges.
    /// - Parameters:
    ///   - frequencyHz: frequency, Hz.
    ///   - probabilityPercent: P, % (0 < P < 100).
    ///   - elevationDeg: θ, elevation angle of the path at the building facade, degrees.
    ///   - buildingClass: traditional or thermally efficient.
    public static func lossDB(frequencyHz: Double, probabilityPercent: Double, elevationDeg: Double,
                              buildingClass: BuildingClass) -> Double {
        // ITU-R P.2109-1 Table 1.
        let (r, s, t, u, v, w, x, y, z): (Double, Double, Double, Double, Double, Double, Double, Double, Double)
        switch buildingClass {
        case .traditional: (r, s, t, u, v, w, x, y, z) = (12.64, 3.72, 0.96, 9.6, 2.0, 9.1, -3.0, 4.5, -2.0)
        case .thermallyEfficient: (r, s, t, u, v, w, x, y, z) = (28.19, -3.00, 8.48, 13.5, 3.8, 27.8, -2.9, 9.4, -2.1)
        }
        let logF = log10(frequencyHz * 1e-9)
        let lh = r + s * logF + t * logF * logF
        let le = 0.212 * abs(elevationDeg)
        let mu1 = lh + le
        let mu2 = w + x * logF
        let sigma1 = u + v * logF
        let sigma2 = y + z * logF
        let fInv = NormalDistribution.inverseCDF(probabilityPercent / 100.0)
        let a = fInv * sigma1 + mu1
        let b = fInv * sigma2 + mu2
        let c = -3.0
        return 10.0 * log10(pow(10.0, 0.1 * a) + pow(10.0, 0.1 * b) + pow(10.0, 0.1 * c))
    }

    /// `lossDB` with the validity ranges checked.
    /// - Throws: `RadioModelError.outOfRange` naming the parameter (frequency outside 80 MHz–100 GHz
    ///   unless extrapolating; probability outside (0, 100) % or elevation outside ±90° always).
    public static func checkedLossDB(frequencyHz: Double, probabilityPercent: Double, elevationDeg: Double,
                                     buildingClass: BuildingClass, allowExtrapolation: Bool = false) throws -> Double {
        try RadioModelError.check("frequencyHz", frequencyHz, in: frequencyRangeHz, allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        try RadioModelError.require("probabilityPercent", probabilityPercent, in: probabilityRangePercent)
        try RadioModelError.require("elevationDeg", elevationDeg, in: elevationRangeDeg)
        return lossDB(frequencyHz: frequencyHz, probabilityPercent: probabilityPercent, elevationDeg: elevationDeg,
                      buildingClass: buildingClass)
    }
}
