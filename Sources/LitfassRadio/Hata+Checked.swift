import Foundation

extension Hata {
    /// Frequency range, Hz: 150–1500 MHz (Okumura-Hata) and 1500–2000 MHz (COST-231-Hata).
    public static let frequencyRangeHz = ValidRange(150e6, 2000e6)
    /// Distance range, m (1–20 km).
    public static let distanceRangeMeters = ValidRange(1_000, 20_000)
    /// Base-station height range, m (30–200 m).
    public static let baseHeightRangeMeters = ValidRange(30, 200)
    /// Mobile height range, m (1–10 m).
    public static let mobileHeightRangeMeters = ValidRange(1, 10)

    /// `pathLossDB` with the ranges of the COST 231 report §4.4 checked.
    /// - Throws: `RadioModelError.outOfRange` naming the parameter.
    public static func checkedPathLossDB(distanceMeters: Double, frequencyHz: Double, baseHeightMeters: Double,
                                         mobileHeightMeters: Double, environment: Environment,
                                         allowExtrapolation: Bool = false) throws -> Double {
        let x = allowExtrapolation
        try RadioModelError.check("distanceMeters", distanceMeters, in: distanceRangeMeters, allowExtrapolation: x)
        try RadioModelError.check("frequencyHz", frequencyHz, in: frequencyRangeHz, allowExtrapolation: x)
        try RadioModelError.check("baseHeightMeters", baseHeightMeters, in: baseHeightRangeMeters, allowExtrapolation: x)
        try RadioModelError.check("mobileHeightMeters", mobileHeightMeters, in: mobileHeightRangeMeters, allowExtrapolation: x)
        for (name, value) in [("distanceMeters", distanceMeters), ("frequencyHz", frequencyHz),
                              ("baseHeightMeters", baseHeightMeters), ("mobileHeightMeters", mobileHeightMeters)] {
            try RadioModelError.require(name, value, in: .positive)
        }
        return pathLossDB(distanceMeters: distanceMeters, frequencyHz: frequencyHz, baseHeightMeters: baseHeightMeters,
                          mobileHeightMeters: mobileHeightMeters, environment: environment)
    }
}
