import Foundation

extension FreeSpace {
    /// Frequency range accepted by the checked free-space loss, Hz (P.525 holds at any frequency;
    /// we limit it to radio frequencies, 3 kHz–3 THz).
    public static let frequencyRangeHz = ValidRange(3e3, 3e12)

    /// Free-space path loss with the far-field condition checked, dB.
    ///
    /// The distance must be at least one wavelength (far field; below it the formula gives a loss
    /// under 22 dB and loses its meaning).
    /// - Throws: `RadioModelError.outOfRange` naming `distanceMeters` (lower bound λ) or `frequencyHz`.
    public static func checkedPathLossDB(distanceMeters: Double, frequencyHz: Double,
                                         allowExtrapolation: Bool = false) throws -> Double {
        try RadioModelError.check("frequencyHz", frequencyHz, in: frequencyRangeHz, allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        let wavelength = 299_792_458.0 / frequencyHz
        try RadioModelError.check("distanceMeters", distanceMeters, in: ValidRange(wavelength, .infinity),
                                  allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("distanceMeters", distanceMeters, in: .positive)
        return pathLossDB(distanceMeters: distanceMeters, frequencyHz: frequencyHz)
    }
}
