import Foundation

/// Free-space basic transmission loss between isotropic antennas (ITU-R P.525-4 §2.2).
///
/// Unchecked, allocation-free inner-loop form. The checked form with validity ranges is
/// `FreeSpace.checkedPathLossDB(distanceMeters:frequencyHz:allowExtrapolation:)`.
public enum FreeSpace {
    /// Free-space path loss in dB: `20 log10(4π d f / c)`.
    ///
    /// ITU-R P.525-4 eq. (5)/(6) (`Lbf = 32.4 + 20 log f[MHz] + 20 log d[km]`), written with SI units.
    /// - Parameters:
    ///   - distanceMeters: straight-line (3-D) distance between the antennas, metres (> 0).
    ///   - frequencyHz: carrier frequency, hertz (> 0).
    /// - Returns: loss in dB. Below about one wavelength of distance the far-field formula no longer
    ///   holds and the value may be negative; the inner-loop form does not check this.
    @inlinable
    public static func pathLossDB(distanceMeters: Double, frequencyHz: Double) -> Double {
        // 4π/c with c = 299 792 458 m/s; one logarithm per call.
        20.0 * fastLog10(distanceMeters * frequencyHz * (4.0 * Double.pi / 299_792_458.0))
    }
}
