import Foundation

extension DeltaBullington {
    /// Frequency range, Hz. P.452-17 applies from 0.1 to 50 GHz and P.1812 from 30 MHz; the
    /// delta-Bullington construction itself is frequency-independent, so 30 MHz–50 GHz is accepted.
    public static let frequencyRangeHz = ValidRange(30e6, 50e9)
    /// Antenna heights above ground, m (> 0).
    public static let antennaHeightRangeMeters = ValidRange.positive
    /// Effective earth radius, m (> 0).
    public static let effectiveEarthRadiusRangeMeters = ValidRange.positive

    /// `lossDB` with the ranges checked.
    /// - Throws: `RadioModelError.outOfRange` naming the parameter.
    public static func checkedLossDB(profile: TerrainProfile, txHeightAboveGroundMeters: Double,
                                     rxHeightAboveGroundMeters: Double, frequencyHz: Double,
                                     effectiveEarthRadiusMeters: Double = 8_500_000,
                                     polarization: SphericalEarthDiffraction.Polarization = .horizontal,
                                     allowExtrapolation: Bool = false) throws -> Double {
        try RadioModelError.check("frequencyHz", frequencyHz, in: frequencyRangeHz, allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        try RadioModelError.require("txHeightAboveGroundMeters", txHeightAboveGroundMeters, in: antennaHeightRangeMeters)
        try RadioModelError.require("rxHeightAboveGroundMeters", rxHeightAboveGroundMeters, in: antennaHeightRangeMeters)
        try RadioModelError.require("effectiveEarthRadiusMeters", effectiveEarthRadiusMeters, in: effectiveEarthRadiusRangeMeters)
        return lossDB(profile: profile, txHeightAboveGroundMeters: txHeightAboveGroundMeters,
                      rxHeightAboveGroundMeters: rxHeightAboveGroundMeters, frequencyHz: frequencyHz,
                      effectiveEarthRadiusMeters: effectiveEarthRadiusMeters, polarization: polarization)
    }
}
