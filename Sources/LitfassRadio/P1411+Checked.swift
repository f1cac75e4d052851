import Foundation

extension P1411 {
    /// Valid frequency range of §4.1.1 Table 4 for an environment, Hz.
    public static func belowRooftopFrequencyRangeHz(_ environment: BelowRooftopEnvironment) -> ValidRange {
        switch environment {
        case .lineOfSight, .nlosUrbanHighRise: return ValidRange(0.8e9, 82e9)   // P.1411-11 extends these to 82 GHz
        case .nlosUrbanLowRiseSuburban: return ValidRange(10e9, 73e9)
        case .nlosResidential: return ValidRange(0.8e9, 73e9)
        }
    }

    /// Valid 3-D distance range of §4.1.1 Table 4 for an environment, m.
    public static func belowRooftopDistanceRangeMeters(_ environment: BelowRooftopEnvironment) -> ValidRange {
        switch environment {
        case .lineOfSight: return ValidRange(5, 660)
        case .nlosUrbanHighRise: return ValidRange(30, 715)
        case .nlosUrbanLowRiseSuburban: return ValidRange(30, 250)
        case .nlosResidential: return ValidRange(30, 170)
        }
    }

    /// Valid frequency range of §4.2.1 Table 8, Hz.
    public static func aboveRooftopFrequencyRangeHz(_ environment: AboveRooftopEnvironment) -> ValidRange {
        switch environment {
        case .lineOfSight: return ValidRange(2.2e9, 73e9)
        case .nlosUrbanHighRise: return ValidRange(2.2e9, 66.5e9)
        }
    }

    /// Valid 3-D distance range of §4.2.1 Table 8, m.
    public static func aboveRooftopDistanceRangeMeters(_ environment: AboveRooftopEnvironment) -> ValidRange {
        switch environment {
        case .lineOfSight: return ValidRange(55, 1200)
        case .nlosUrbanHighRise: return ValidRange(260, 1200)
        }
    }

    /// Frequency range of §4.3.1, Hz (300 MHz–3 GHz).
    public static let lowHeightFrequencyRangeHz = ValidRange(300e6, 3e9)
    /// Distance range of §4.3.1, m: up to 3 km per the Recommendation; the lower limit of 1 m is
    /// ours (one wavelength at 300 MHz; below it the free-space term gives a negative loss).
    public static let lowHeightDistanceRangeMeters = ValidRange(1, 3000)
    /// Location percentage range of §4.3.1, %.
    public static let lowHeightLocationPercentRange = ValidRange(0, 100, lowerExclusive: true, upperExclusive: true)
    /// Transition width range, m (any positive width; 20 m suggested).
    public static let lowHeightTransitionWidthRangeMeters = ValidRange.positive

    /// `belowRooftopLossDB` with the ranges of Table 4 checked.
    /// - Throws: `RadioModelError.outOfRange` naming `distance3DMeters` or `frequencyHz`.
    public static func checkedBelowRooftopLossDB(distance3DMeters: Double, frequencyHz: Double,
                                                 environment: BelowRooftopEnvironment,
                                                 allowExtrapolation: Bool = false) throws -> Double {
        try RadioModelError.check("distance3DMeters", distance3DMeters, in: belowRooftopDistanceRangeMeters(environment),
                                  allowExtrapolation: allowExtrapolation)
        try RadioModelError.check("frequencyHz", frequencyHz, in: belowRooftopFrequencyRangeHz(environment),
                                  allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("distance3DMeters", distance3DMeters, in: .positive)
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        return belowRooftopLossDB(distance3DMeters: distance3DMeters, frequencyHz: frequencyHz, environment: environment)
    }

    /// `aboveRooftopLossDB` with the ranges of Table 8 checked.
    /// - Throws: `RadioModelError.outOfRange` naming `distance3DMeters` or `frequencyHz`.
    public static func checkedAboveRooftopLossDB(distance3DMeters: Double, frequencyHz: Double,
                                                 environment: AboveRooftopEnvironment,
                                                 allowExtrapolation: Bool = false) throws -> Double {
        try RadioModelError.check("distance3DMeters", distance3DMeters, in: aboveRooftopDistanceRangeMeters(environment),
                                  allowExtrapolation: allowExtrapolation)
        try RadioModelError.check("frequencyHz", frequencyHz, in: aboveRooftopFrequencyRangeHz(environment),
                                  allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("distance3DMeters", distance3DMeters, in: .positive)
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        return aboveRooftopLossDB(distance3DMeters: distance3DMeters, frequencyHz: frequencyHz, environment: environment)
    }

    /// `lowHeightLossDB` with the ranges of §4.3.1 checked.
    /// - Throws: `RadioModelError.outOfRange` naming the parameter.
    public static func checkedLowHeightLossDB(distanceMeters: Double, frequencyHz: Double, locationPercent: Double,
                                              transitionWidthMeters: Double = 20, environment: LowHeightEnvironment,
                                              allowExtrapolation: Bool = false) throws -> Double {
        try RadioModelError.check("distanceMeters", distanceMeters, in: lowHeightDistanceRangeMeters,
                                  allowExtrapolation: allowExtrapolation)
        try RadioModelError.check("frequencyHz", frequencyHz, in: lowHeightFrequencyRangeHz,
                                  allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("distanceMeters", distanceMeters, in: .positive)
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        try RadioModelError.require("locationPercent", locationPercent, in: lowHeightLocationPercentRange)
        try RadioModelError.require("transitionWidthMeters", transitionWidthMeters, in: lowHeightTransitionWidthRangeMeters)
        return lowHeightLossDB(distanceMeters: distanceMeters, frequencyHz: frequencyHz, locationPercent: locationPercent,
                               transitionWidthMeters: transitionWidthMeters, environment: environment)
    }
}
