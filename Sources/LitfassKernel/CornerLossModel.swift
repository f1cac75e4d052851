import Foundation

/// The loss of one turn of a horizontal (street-canyon) path around a building corner.
///
/// The turning angle φ is the angle between the incoming and the outgoing leg (0° = straight on,
/// 90° = a right-angle street corner, 180° = back the way the path came). The loss ramps linearly:
///
/// - `L(φ) = L90 · φ / 90°` for 0° ≤ φ ≤ 90°,
/// - `L(φ) = L90 + (L180 − L90) · (φ − 90°) / 90°` for 90° < φ ≤ 180°.
///
/// Shape: the interaction loss of the Dominant Path Model grows with the angle between the directions
/// before and after the interaction and is 0 dB for a path that goes straight on (G. Wölfle, R. Wahl,
/// P. Wildbolz, P. Wertz, "Dominant Path Prediction Model for Indoor and Urban Scenarios", 11th COST 273
/// meeting, Bologna 2004; R. Wahl, G. Wölfle, P. Wertz, P. Wildbolz, F. Landstorfer, "Dominant path prediction
/// model for urban scenarios", IST Mobile Summit 2005). Magnitude: the default L90 = 20 dB is the corner
/// loss L_c of ITU-R P.1411-11 §4.1.3.2 (UHF street-canyon NLoS, urban) for a right-angle street corner;
/// L180 = 30 dB keeps sharp back-turns costlier than a right angle (P.1411 uses L_c = 30 dB in suburban
/// areas). Constant time, no allocation.
public struct CornerLossModel: Sendable, Hashable {
    /// Loss of a 90° turn [dB].
    public var lossAt90DegreesDB: Double
    /// Loss of a 180° turn [dB].
    public var lossAt180DegreesDB: Double

    /// Creates the model; the defaults are documented on the type.
    public init(lossAt90DegreesDB: Double = 20, lossAt180DegreesDB: Double = 30) {
        self.lossAt90DegreesDB = lossAt90DegreesDB
        self.lossAt180DegreesDB = lossAt180DegreesDB
    }

    /// Loss of one turn [dB] for a turning angle in degrees (clamped to [0°, 180°]).
    @inlinable
    public func lossDB(turnAngleDegrees: Double) -> Double {
        let phi = min(max(turnAngleDegrees, 0), 180)
        if phi <= 90 { return lossAt90DegreesDB * phi / 90 }
        return lossAt90DegreesDB + (lossAt180DegreesDB - lossAt90DegreesDB) * (phi - 90) / 90
    }

    /// Turning angle [degrees, 0…180] between two horizontal directions (need not be normalised).
    @inlinable
    public static func turnAngleDegrees(fromX ax: Double, fromY ay: Double, toX bx: Double, toY by: Double) -> Double {
        let dot = ax * bx + ay * by
        let cross = ax * by - ay * bx
        return abs(atan2(cross, dot)) * 180 / Double.pi
    }
}
