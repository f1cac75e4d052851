import Foundation

/// Clutter loss of ITU-R P.2108-1: §3.1 terminal height-gain correction, §3.2 terrestrial statistical
/// model, §3.3 earth-space / aeronautical statistical model.
///
/// Input checks follow the NTIA reference implementation (NTIA/p2108 v1), whose return codes are
/// the cases of `P2108Error`. With `allowExtrapolation` only the frequency (and, for §3.2, the
/// distance) limits are lifted; values where the formulas break down are always rejected.
public enum P2108 {
    /// Clutter categories of P.2108-1 Table 3, numbered as in the NTIA implementation.
    public enum ClutterType: Int, Sendable, CaseIterable {
        /// 1: water/sea (eq. (2b), R = 10 m).
        case waterSea = 1
        /// 2: open/rural (eq. (2b), R = 10 m).
        case openRural = 2
        /// 3: suburban (eq. (2a), R = 10 m).
        case suburban = 3
        /// 4: urban (eq. (2a), R = 15 m).
        case urban = 4
        /// 5: trees/forest (eq. (2a), R = 15 m).
        case treesForest = 5
        /// 6: dense urban (eq. (2a), R = 20 m).
        case denseUrban = 6

        /// Default representative clutter height R, m (P.2108-1 Table 3).
        public var defaultRepresentativeHeightMeters: Double {
            switch self {
            case .waterSea, .openRural, .suburban: return 10
            case .urban, .treesForest: return 15
            case .denseUrban: return 20
            }
        }

        /// Whether the category uses the diffraction form eq. (2a) (else the log form eq. (2b)).
        public var usesDiffractionForm: Bool {
            switch self {
            case .waterSea, .openRural: return false
            case .suburban, .urban, .treesForest, .denseUrban: return true
            }
        }
    }

    /// §3.1 frequency range, Hz (0.03–3 GHz).
    public static let heightGainFrequencyRangeHz = ValidRange(0.03e9, 3e9)
    /// §3.2 frequency range, Hz (0.5–67 GHz).
    public static let terrestrialFrequencyRangeHz = ValidRange(0.5e9, 67e9)
    /// §3.2 minimum distance, km (0.25 km; applies to each end of the path).
    public static let terrestrialDistanceRangeKm = ValidRange(0.25, .infinity)
    /// §3.3 frequency range, Hz (10–100 GHz).
    public static let earthSpaceFrequencyRangeHz = ValidRange(10e9, 100e9)
    /// §3.3 elevation range, degrees.
    public static let earthSpaceElevationRangeDeg = ValidRange(0, 90)
    /// Percentage range of §3.2 and §3.3, % (open).
    public static let percentageRange = ValidRange(0, 100, lowerExclusive: true, upperExclusive: true)

    /// Additional loss of a terminal within clutter, A_h in dB (≥ 0). ITU-R P.2108-1 §3.1.
    ///
    /// For h ≥ R: 0 dB. Otherwise eq. (2a) `A_h = J(ν) − 6.03` (suburban, urban, trees, dense urban),
    /// with `ν = K_nu sqrt(h_dif θ_clut)`, `h_dif = R − h`, `θ_clut = atan(h_dif / w_s)` in degrees,
    /// `K_nu = 0.342 sqrt(f)`, J(ν) of P.526 eq. (31); or eq. (2b) `A_h = −K_h2 log10(h / R)`
    /// (water/sea, open/rural) with `K_h2 = 21.8 + 6.2 log10(f)`; f in GHz.
    /// - Throws: `P2108Error` (NTIA codes 32–36) for invalid input.
    public static func heightGainCorrectionDB(frequencyHz: Double, heightMeters h: Double,
                                              streetWidthMeters ws: Double = 27,
                                              representativeHeightMeters: Double? = nil,
                                              clutterTypeCode: Int,
                                              allowExtrapolation: Bool = false) throws -> Double {
        let fGHz = frequencyHz * 1e-9
        if !(frequencyHz > 0) || (!allowExtrapolation && !heightGainFrequencyRangeHz.contains(frequencyHz)) {
            throw P2108Error.heightGainFrequency(frequencyHz: frequencyHz)
        }
        guard h > 0, h.isFinite else { throw P2108Error.heightGainTerminalHeight(heightMeters: h) }
        guard ws > 0, ws.isFinite else { throw P2108Error.heightGainStreetWidth(streetWidthMeters: ws) }
        guard let clutter = ClutterType(rawValue: clutterTypeCode) else {
            throw P2108Error.heightGainClutterType(code: clutterTypeCode)
        }
        let r = representativeHeightMeters ?? clutter.defaultRepresentativeHeightMeters
        guard r > 0, r.isFinite else { throw P2108Error.heightGainRepresentativeHeight(representativeHeightMeters: r) }
        if h >= r { return 0 }
        if clutter.usesDiffractionForm {
            let hDif = r - h
            let thetaClutDeg = atan(hDif / ws) * 180.0 / Double.pi
            let kNu = 0.342 * fGHz.squareRoot()
            let nu = kNu * (hDif * thetaClutDeg).squareRoot()
            return KnifeEdge.lossDB(nu: nu) - 6.03                       // eq. (2a)
        }
        let kh2 = 21.8 + 6.2 * log10(fGHz)
        return -kh2 * log10(h / r)                                        // eq. (2b)
    }

    /// Terrestrial clutter loss at one end of the path, not exceeded for `percentage` % of locations,
    /// dB. ITU-R P.2108-1 §3.2:
    /// `L_l = −2 log10(10^(−5 log10 f − 12.5) + 10^(−16.5))` (eq. (4a)), `L_s = 32.98 + 23.9 log10 d + 3.0 log10 f`,
    /// `σ_cb = sqrt((σ_l² 10^(−0.2 L_l) + σ_s² 10^(−0.2 L_s)) / (10^(−0.2 L_l) + 10^(−0.2 L_s)))`
    /// with σ_l = 4, σ_s = 6 dB, and `L_ctt = −5 log10(10^(−0.2 L_l) + 10^(−0.2 L_s)) − σ_cb Q⁻¹(p/100)`;
    /// f in GHz, d in km. The Recommendation's note that the loss for d > 2 km is that at 2 km is
    /// applied as `L = min(L(d), L(2 km))` (the maximum of eq. (6), as the SG3 workbook and NTIA do).
    /// - Throws: `P2108Error` (NTIA codes 48–50).
    public static func terrestrialClutterLossDB(frequencyHz: Double, distanceKm: Double, percentage p: Double,
                                                allowExtrapolation: Bool = false) throws -> Double {
        if !(frequencyHz > 0) || (!allowExtrapolation && !terrestrialFrequencyRangeHz.contains(frequencyHz)) {
            throw P2108Error.terrestrialFrequency(frequencyHz: frequencyHz)
        }
        if !(distanceKm > 0) || (!allowExtrapolation && !terrestrialDistanceRangeKm.contains(distanceKm)) {
            throw P2108Error.terrestrialDistance(distanceKm: distanceKm)
        }
        guard percentageRange.contains(p) else { throw P2108Error.terrestrialPercentage(percentage: p) }
        func loss(_ dKm: Double) -> Double {
            let logF = log10(frequencyHz * 1e-9)
            let ll = -2.0 * log10(pow(10.0, -5.0 * logF - 12.5) + pow(10.0, -16.5))   // eq. (4a), σ_l = 4 dB (4b)
            let ls = 32.98 + 23.9 * log10(dKm) + 3.0 * logF                            // eq. (5a), σ_s = 6 dB (5b)
            let al = pow(10.0, -0.2 * ll), asm = pow(10.0, -0.2 * ls)
            let sigmaCB = ((16.0 * al + 36.0 * asm) / (al + asm)).squareRoot()
            return -5.0 * log10(al + asm) - sigmaCB * NormalDistribution.inverseComplementaryCDF(p / 100.0)
        }
        return min(loss(distanceKm), loss(2.0))
    }

    /// Earth-space / aeronautical clutter loss not exceeded for `percentage` % of locations, dB.
    /// ITU-R P.2108-1 §3.3:
    /// `L_ces = {−K1 [ln(1 − p/100)] cot[A1 (1 − θ/90) + π θ/180]}^(0.5 (90 − θ)/90) − 1 − 0.6 Q⁻¹(p/100)`
    /// with `K1 = 93 f^0.175`, `A1 = 0.05`, f in GHz, θ the elevation angle in degrees.
    /// - Throws: `P2108Error` (NTIA codes 64–66).
    public static func earthSpaceClutterLossDB(frequencyHz: Double, elevationDeg theta: Double, percentage p: Double,
                                               allowExtrapolation: Bool = false) throws -> Double {
        if !(frequencyHz > 0) || (!allowExtrapolation && !earthSpaceFrequencyRangeHz.contains(frequencyHz)) {
            throw P2108Error.earthSpaceFrequency(frequencyHz: frequencyHz)
        }
        guard earthSpaceElevationRangeDeg.contains(theta) else { throw P2108Error.earthSpaceElevation(elevationDeg: theta) }
        guard percentageRange.contains(p) else { throw P2108Error.earthSpacePercentage(percentage: p) }
        let k1 = 93.0 * pow(frequencyHz * 1e-9, 0.175)
        let a1 = 0.05
        let argument = a1 * (1.0 - theta / 90.0) + Double.pi * theta / 180.0
        let cot = cos(argument) / sin(argument)
        let base = -k1 * log(1.0 - p / 100.0) * cot
        return pow(base, 0.5 * (90.0 - theta) / 90.0) - 1.0 - 0.6 * NormalDistribution.inverseComplementaryCDF(p / 100.0)
    }
}

/// Invalid input to a P.2108 model, one case per return code of the NTIA reference implementation.
public enum P2108Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// 32: §3.1 frequency outside 0.03–3 GHz.
    case heightGainFrequency(frequencyHz: Double)
    /// 33: §3.1 terminal height not above 0 m.
    case heightGainTerminalHeight(heightMeters: Double)
    /// 34: §3.1 street width not above 0 m.
    case heightGainStreetWidth(streetWidthMeters: Double)
    /// 35: §3.1 representative clutter height not above 0 m.
    case heightGainRepresentativeHeight(representativeHeightMeters: Double)
    /// 36: §3.1 clutter type not one of 1–6.
    case heightGainClutterType(code: Int)
    /// 48: §3.2 frequency outside 0.5–67 GHz.
    case terrestrialFrequency(frequencyHz: Double)
    /// 49: §3.2 distance below 0.25 km.
    case terrestrialDistance(distanceKm: Double)
    /// 50: §3.2 percentage not in (0, 100).
    case terrestrialPercentage(percentage: Double)
    /// 64: §3.3 frequency outside 10–100 GHz.
    case earthSpaceFrequency(frequencyHz: Double)
    /// 65: §3.3 elevation angle outside 0–90°.
    case earthSpaceElevation(elevationDeg: Double)
    /// 66: §3.3 percentage not in (0, 100).
    case earthSpacePercentage(percentage: Double)

    /// The NTIA return code of this error.
    public var code: Int {
        switch self {
        case .heightGainFrequency: return 32
        case .heightGainTerminalHeight: return 33
        case .heightGainStreetWidth: return 34
        case .heightGainRepresentativeHeight: return 35
        case .heightGainClutterType: return 36
        case .terrestrialFrequency: return 48
        case .terrestrialDistance: return 49
        case .terrestrialPercentage: return 50
        case .earthSpaceFrequency: return 64
        case .earthSpaceElevation: return 65
        case .earthSpacePercentage: return 66
        }
    }

    public var description: String {
        let text: String
        switch self {
        case let .heightGainFrequency(f): text = "frequencyHz = \(f) is outside the valid range [3e7, 3e9] of P.2108 §3.1"
        case let .heightGainTerminalHeight(h): text = "heightMeters = \(h) must be above 0"
        case let .heightGainStreetWidth(w): text = "streetWidthMeters = \(w) must be above 0"
        case let .heightGainRepresentativeHeight(r): text = "representativeHeightMeters = \(r) must be above 0"
        case let .heightGainClutterType(c): text = "clutterType = \(c) must be one of 1 water/sea, 2 open/rural, 3 suburban, 4 urban, 5 trees/forest, 6 dense urban"
        case let .terrestrialFrequency(f): text = "frequencyHz = \(f) is outside the valid range [5e8, 6.7e10] of P.2108 §3.2"
        case let .terrestrialDistance(d): text = "distanceKm = \(d) is outside the valid range [0.25, ∞) of P.2108 §3.2"
        case let .terrestrialPercentage(p): text = "percentage = \(p) is outside the valid range (0, 100)"
        case let .earthSpaceFrequency(f): text = "frequencyHz = \(f) is outside the valid range [1e10, 1e11] of P.2108 §3.3"
        case let .earthSpaceElevation(t): text = "elevationDeg = \(t) is outside the valid range [0, 90]"
        case let .earthSpacePercentage(p): text = "percentage = \(p) is outside the valid range (0, 100)"
        }
        return "P.2108 error \(code): " + text
    }
}
