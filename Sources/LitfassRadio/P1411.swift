import Foundation

/// ITU-R P.1411-11 short-range outdoor models: the site-general models of §4.1.1 (both ends below
/// rooftop), §4.2.1 (one end above rooftop) and §4.3.1 (both terminals near street level), and the
/// site-specific LoS street-canyon two-slope model of §4.1.1 (UHF).
///
/// Distances in metres, frequencies in hertz, results in dB. The unchecked functions are the
/// inner-loop forms; `P1411+Checked.swift` adds the validity ranges.
public enum P1411 {
    /// Environments of the below-rooftop site-general model, P.1411-11 §4.1.1 Table 4.
    public enum BelowRooftopEnvironment: String, Sendable, CaseIterable {
        /// LoS, urban high-rise / urban low-rise / suburban: α 2.12, β 29.2, γ 2.11, σ 5.06 dB.
        case lineOfSight = "los"
        /// NLoS, urban high-rise: α 4.00, β 10.2, γ 2.36, σ 7.60 dB.
        case nlosUrbanHighRise = "nlos-urban-high-rise"
        /// NLoS, urban low-rise / suburban: α 5.06, β −4.68, γ 2.02, σ 9.33 dB.
        case nlosUrbanLowRiseSuburban = "nlos-urban-low-rise"
        /// NLoS, residential: α 3.01, β 18.8, γ 2.07, σ 3.07 dB.
        case nlosResidential = "nlos-residential"
    }

    /// Environments of the above-rooftop site-general model, P.1411-11 §4.2.1 Table 8.
    public enum AboveRooftopEnvironment: String, Sendable, CaseIterable {
        /// LoS, urban high-rise: α 2.29, β 28.6, γ 1.96, σ 3.48 dB.
        case lineOfSight = "los"
        /// NLoS, urban high-rise: α 4.39, β −6.27, γ 2.30, σ 6.89 dB.
        case nlosUrbanHighRise = "nlos-urban-high-rise"
    }

    /// Environments of the low-height-terminal site-general model, P.1411-11 §4.3.1 (L_urban).
    public enum LowHeightEnvironment: String, Sendable, CaseIterable {
        /// Suburban: L_urban = 0 dB.
        case suburban
        /// Urban: L_urban = 6.8 dB.
        case urban
        /// Dense urban / high-rise: L_urban = 2.3 dB.
        case denseUrban = "dense-urban"
    }

    /// (α, β, γ) of P.1411-11 §4.1.1 Table 4.
    @inlinable
    public static func coefficients(_ environment: BelowRooftopEnvironment) -> (alpha: Double, beta: Double, gamma: Double) {
        switch environment {
        case .lineOfSight: return (2.12, 29.2, 2.11)
        case .nlosUrbanHighRise: return (4.00, 10.2, 2.36)
        case .nlosUrbanLowRiseSuburban: return (5.06, -4.68, 2.02)
        case .nlosResidential: return (3.01, 18.8, 2.07)
        }
    }

    /// (α, β, γ) of P.1411-11 §4.2.1 Table 8.
    @inlinable
    public static func coefficients(_ environment: AboveRooftopEnvironment) -> (alpha: Double, beta: Double, gamma: Double) {
        switch environment {
        case .lineOfSight: return (2.29, 28.6, 1.96)
        case .nlosUrbanHighRise: return (4.39, -6.27, 2.30)
        }
    }

    /// Median basic transmission loss between two stations below rooftop, dB.
    ///
    /// ITU-R P.1411-11 §4.1.1 eq. (1): `L = 10 α log10(d) + β + 10 γ log10(f)`, d = 3-D distance in m,
    /// f in GHz (the zero-mean Gaussian term is left out: this is the median).
    @inlinable
    public static func belowRooftopLossDB(distance3DMeters: Double, frequencyHz: Double,
                                          environment: BelowRooftopEnvironment) -> Double {
        let c = coefficients(environment)
        return 10.0 * c.alpha * fastLog10(distance3DMeters) + c.beta + 10.0 * c.gamma * fastLog10(frequencyHz * 1e-9)
    }

    /// Median basic transmission loss between one station above and one below rooftop, dB.
    ///
    /// ITU-R P.1411-11 §4.2.1 (same form as §4.1.1 eq. (1)) with the coefficients of Table 8.
    @inlinable
    public static func aboveRooftopLossDB(distance3DMeters: Double, frequencyHz: Double,
                                          environment: AboveRooftopEnvironment) -> Double {
        let c = coefficients(environment)
        return 10.0 * c.alpha * fastLog10(distance3DMeters) + c.beta + 10.0 * c.gamma * fastLog10(frequencyHz * 1e-9)
    }

    /// Basic transmission loss between two terminals near street level, not exceeded at
    /// `locationPercent` % of locations, dB. ITU-R P.1411-11 §4.3.1.
    ///
    /// - LoS: `L_LoS,m = 32.45 + 20 log10 f + 20 log10(d/1000)` (f in MHz),
    ///   `ΔL_LoS(p) = 1.5624 σ (sqrt(−2 ln(1 − p/100)) − 1.1774)`, σ = 7 dB.
    /// - NLoS: `L_NLoS,m = 9.5 + 45 log10 f + 40 log10(d/1000) + L_urban`,
    ///   `ΔL_NLoS(p) = σ N⁻¹(p/100)`, σ = 7 dB.
    /// - LoS distance: `d_LoS(p) = 212 [log10(p/100)]² − 64 log10(p/100)` for p < 45,
    ///   `79.2 − 70 (p/100)` otherwise; LoS below d_LoS, NLoS beyond d_LoS + w, and a linear
    ///   transition in between.
    /// - Parameters:
    ///   - distanceMeters: distance between the terminals, m.
    ///   - frequencyHz: frequency, Hz.
    ///   - locationPercent: p, % of locations (0 < p < 100).
    ///   - transitionWidthMeters: w, the width of the LoS/NLoS transition, m (the Recommendation
    ///     suggests 20 m in urban and suburban areas).
    ///   - environment: sets L_urban.
    @inlinable
    public static func lowHeightLossDB(distanceMeters: Double, frequencyHz: Double, locationPercent p: Double,
                                       transitionWidthMeters w: Double = 20,
                                       environment: LowHeightEnvironment) -> Double {
        let fMHz = frequencyHz * 1e-6
        let logF = fastLog10(fMHz)
        let sigma = 7.0
        let fraction = p / 100.0
        let deltaLoS = 1.5624 * sigma * ((-2.0 * log(1.0 - fraction)).squareRoot() - 1.1774)
        let deltaNLoS = sigma * NormalDistribution.inverseCDF(fraction)
        let lUrban: Double
        switch environment {
        case .suburban: lUrban = 0
        case .urban: lUrban = 6.8
        case .denseUrban: lUrban = 2.3
        }
        @inline(__always) func los(_ d: Double) -> Double { 32.45 + 20.0 * logF + 20.0 * fastLog10(d / 1000.0) + deltaLoS }
        @inline(__always) func nlos(_ d: Double) -> Double { 9.5 + 45.0 * logF + 40.0 * fastLog10(d / 1000.0) + lUrban + deltaNLoS }
        let lg = fastLog10(fraction)
        let dLoS = p < 45 ? 212.0 * lg * lg - 64.0 * lg : 79.2 - 70.0 * fraction
        let d = distanceMeters
        if d < dLoS { return los(d) }
        if d > dLoS + w { return nlos(d) }
        let lLoST = los(dLoS), lNLoST = nlos(dLoS + w)
        return lLoST + (lNLoST - lLoST) * (d - dLoS) / w
    }

    /// Lower bound, median and upper bound of the LoS street-canyon loss at UHF, dB.
    ///
    /// ITU-R P.1411-11 §4.1.1 (site-specific, LoS within street canyons, UHF propagation):
    /// `R_bp = 4 h1 h2 / λ`, `L_bp = |20 log10(λ² / (8π h1 h2))|`; below the breakpoint the slopes are
    /// 20 (lower), 20 (median, +6 dB) and 25 (upper, +20 dB) dB/decade; beyond it 40 dB/decade.
    /// - Parameters: distance (m, 3-D), frequency (Hz), station heights h1, h2 (m, > 0).
    @inlinable
    public static func losStreetCanyonUHF(distanceMeters: Double, frequencyHz: Double,
                                          height1Meters h1: Double, height2Meters h2: Double)
        -> (lowerDB: Double, medianDB: Double, upperDB: Double)
    {
        let lambda = 299_792_458.0 / frequencyHz
        let rbp = 4.0 * h1 * h2 / lambda
        let lbp = abs(20.0 * fastLog10(lambda * lambda / (8.0 * Double.pi * h1 * h2)))
        let r = fastLog10(distanceMeters / rbp)
        if distanceMeters <= rbp {
            return (lbp + 20.0 * r, lbp + 6.0 + 20.0 * r, lbp + 20.0 + 25.0 * r)
        }
        return (lbp + 40.0 * r, lbp + 6.0 + 40.0 * r, lbp + 20.0 + 40.0 * r)
    }
}
