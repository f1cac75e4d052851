import Foundation

/// Diffraction over a single ideal knife edge (ITU-R P.526-15 §4.1).
///
/// Unchecked, allocation-free inner-loop functions. Multi-edge and terrain methods are in
/// `Bullington`, `DeltaBullington` and `Deygout`.
public enum KnifeEdge {
    /// The dimensionless Fresnel-Kirchhoff diffraction parameter ν.
    ///
    /// ITU-R P.526-15 eq. (26): `ν = h · sqrt( (2/λ) · (1/d1 + 1/d2) )`.
    /// - Parameters:
    ///   - h: height of the edge above the straight line joining the two antenna tips, metres
    ///     (negative when the edge is below the line).
    ///   - d1: distance from the transmitter to the edge, metres (> 0).
    ///   - d2: distance from the edge to the receiver, metres (> 0).
    ///   - wavelengthMeters: wavelength λ, metres (> 0).
    /// - Returns: ν (dimensionless).
    @inlinable
    public static func fresnelParameter(heightAboveLineMeters h: Double, distanceFromTxMeters d1: Double,
                                        distanceToRxMeters d2: Double, wavelengthMeters: Double) -> Double {
        h * (2.0 / wavelengthMeters * (1.0 / d1 + 1.0 / d2)).squareRoot()
    }

    /// Knife-edge diffraction loss J(ν) in dB.
    ///
    /// ITU-R P.526-15 eq. (31): `J(ν) = 6.9 + 20 log10( sqrt((ν − 0.1)² + 1) + ν − 0.1 )`,
    /// valid for ν > −0.78; 0 dB for ν ≤ −0.78 (the approximation's own lower limit).
    /// - Parameter nu: the diffraction parameter ν of eq. (26).
    /// - Returns: loss in dB (≥ 0 for ν > −0.78, up to rounding).
    @inlinable
    public static func lossDB(nu: Double) -> Double {
        if nu <= -0.78 { return 0 }
        let v = nu - 0.1
        return 6.9 + 20.0 * fastLog10((v * v + 1.0).squareRoot() + v)
    }
}
