import Foundation

/// The gain of an antenna towards a direction, as a closed form or a flat table.
///
/// Three kinds, all evaluated without allocation:
/// - `omni`: 0 dBi in every direction (or a given constant gain, see `omni(gainDBi:)`);
/// - `sector3GPP(...)`: the closed-form element pattern of 3GPP TR 38.901 Table 7.3-1;
/// - a table pattern from an MSI/Planet file (`AntennaPattern.loadMSI(path:)`): horizontal and
///   vertical attenuation cuts resampled on a 1° grid, combined by adding the two attenuations.
///
/// Angle conventions of `gainDBi(azimuthOffDeg:elevationDeg:downtiltDeg:)`:
/// `azimuthOffDeg` is the horizontal angle from the boresight to the receiver, clockwise seen from
/// above (any range; it is wrapped); `elevationDeg` is the elevation of the receiver seen from the
/// antenna, positive up; `downtiltDeg` is the downtilt, positive down.
public struct AntennaPattern: Sendable, Hashable {
    @usableFromInline
    enum Kind: Sendable, Hashable { case omni, sector, table }

    /// A human-readable name (the NAME of an MSI file, or a description of the closed form).
    public let name: String
    /// Gain on boresight, dBi.
    public let maxGainDBi: Double

    @usableFromInline let kind: Kind
    // Sector (3GPP) parameters: 12/φ3dB², 12/θ3dB², A_m, SLA_V.
    @usableFromInline let horizontalCoefficient: Double
    @usableFromInline let verticalCoefficient: Double
    @usableFromInline let maxAttenuationDB: Double
    @usableFromInline let sideLobeDB: Double
    // Table: 361 values each, at 0°, 1°, ..., 360° (the last repeats the first), attenuation in dB.
    @usableFromInline let horizontalAttenuationDB: [Double]
    @usableFromInline let verticalAttenuationDB: [Double]

    @usableFromInline
    init(name: String, kind: Kind, maxGainDBi: Double, horizontalCoefficient: Double = 0,
         verticalCoefficient: Double = 0, maxAttenuationDB: Double = .infinity, sideLobeDB: Double = .infinity,
         horizontalAttenuationDB: [Double] = [], verticalAttenuationDB: [Double] = []) {
        self.name = name
        self.kind = kind
        self.maxGainDBi = maxGainDBi
        self.horizontalCoefficient = horizontalCoefficient
        self.verticalCoefficient = verticalCoefficient
        self.maxAttenuationDB = maxAttenuationDB
        self.sideLobeDB = sideLobeDB
        self.horizontalAttenuationDB = horizontalAttenuationDB
        self.verticalAttenuationDB = verticalAttenuationDB
    }

    /// Hashes the name, kind and maximum gain only (cheap; equality still compares every value).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(maxGainDBi)
    }

    /// The isotropic antenna: 0 dBi in every direction.
    public static let omni = AntennaPattern(name: "omni", kind: .omni, maxGainDBi: 0)

    /// An omnidirectional antenna with a constant gain in dBi (no vertical pattern).
    public static func omni(gainDBi: Double) -> AntennaPattern {
        AntennaPattern(name: "omni \(gainDBi) dBi", kind: .omni, maxGainDBi: gainDBi)
    }

    /// The single-element sector pattern of 3GPP TR 38.901 Table 7.3-1.
    ///
    /// `A_V = −min(12 ((θ − 90°)/θ_3dB)², SLA_V)`, `A_H = −min(12 (φ/φ_3dB)², A_m)`,
    /// `A = −min(−(A_V + A_H), A_m)`, `G = G_E,max + A`. The defaults are the Table's values.
    /// - Parameters:
    ///   - horizontalBeamwidthDeg: φ_3dB, degrees (> 0).
    ///   - verticalBeamwidthDeg: θ_3dB, degrees (> 0).
    ///   - maxAttenuationDB: A_max (= A_m), dB.
    ///   - sideLobeDB: SLA_V, dB.
    ///   - maxGainDBi: G_E,max, dBi.
    public static func sector3GPP(horizontalBeamwidthDeg: Double = 65, verticalBeamwidthDeg: Double = 65,
                                  maxAttenuationDB: Double = 30, sideLobeDB: Double = 30,
                                  maxGainDBi: Double = 8) -> AntennaPattern {
        AntennaPattern(
            name: "3GPP TR 38.901 sector \(horizontalBeamwidthDeg)°/\(verticalBeamwidthDeg)°",
            kind: .sector, maxGainDBi: maxGainDBi,
            horizontalCoefficient: 12.0 / (horizontalBeamwidthDeg * horizontalBeamwidthDeg),
            verticalCoefficient: 12.0 / (verticalBeamwidthDeg * verticalBeamwidthDeg),
            maxAttenuationDB: maxAttenuationDB, sideLobeDB: sideLobeDB)
    }

    /// The 3-D macro sector antenna of 3GPP TR 36.814 Table A.2.1.1-2 (the default of Litfass's rooftop sectors).
    ///
    /// Same closed form as `sector3GPP`: `A_H = −min(12 (φ/70°)², 25 dB)`, `A_V = −min(12 ((θ − θ_tilt)/10°)², 20 dB)`,
    /// `A = −min(−(A_H + A_V), 25 dB)` (TR 36.814 Table A.2.1.1-2), on top of the panel gain.
    /// - Parameter gainDBi: boresight gain [dBi]; TR 36.814 uses 14 dBi, a 1.3–1.4 m multi-band panel 15–18 dBi.
    public static func macroPanel36814(gainDBi: Double = 17) -> AntennaPattern {
        AntennaPattern(
            name: "3GPP TR 36.814 macro panel 70°/10°, \(gainDBi) dBi", kind: .sector, maxGainDBi: gainDBi,
            horizontalCoefficient: 12.0 / (70.0 * 70.0), verticalCoefficient: 12.0 / (10.0 * 10.0),
            maxAttenuationDB: 25, sideLobeDB: 20)
    }

    /// Gain towards a direction, dBi.
    ///
    /// For the 3GPP sector, the downtilt shifts the vertical cut (the vertical angle off boresight is
    /// `elevationDeg + downtiltDeg`); use this with the total (mechanical + electrical) tilt.
    /// For an MSI table, the file's own electrical tilt is already in its vertical cut, so pass only
    /// the extra (mechanical) downtilt.
    /// - Parameters:
    ///   - azimuthOffDeg: horizontal angle from boresight to the receiver, degrees, clockwise.
    ///   - elevationDeg: elevation of the receiver seen from the antenna, degrees, positive up.
    ///   - downtiltDeg: downtilt, degrees, positive down.
    /// - Returns: gain in dBi.
    @inlinable
    public func gainDBi(azimuthOffDeg: Double, elevationDeg: Double, downtiltDeg: Double) -> Double {
        switch kind {
        case .omni:
            return maxGainDBi
        case .sector:
            // Wrap φ into [−180°, 180°]. 3GPP TR 38.901 Table 7.3-1.
            var phi = azimuthOffDeg
            if phi > 180 || phi < -180 { phi -= 360.0 * (phi / 360.0).rounded() }
            let theta = elevationDeg + downtiltDeg        // = −(θ'' − 90°)
            let ah = min(horizontalCoefficient * phi * phi, maxAttenuationDB)
            let av = min(verticalCoefficient * theta * theta, sideLobeDB)
            return maxGainDBi - min(ah + av, maxAttenuationDB)
        case .table:
            let h = Self.interpolate(horizontalAttenuationDB, angleDeg: azimuthOffDeg)
            // MSI vertical angles grow downwards from the horizon (90° = nadir).
            let v = Self.interpolate(verticalAttenuationDB, angleDeg: -elevationDeg - downtiltDeg)
            return maxGainDBi - (h + v)
        }
    }

    /// An upper bound of `gainDBi(azimuthOffDeg:elevationDeg:downtiltDeg:)` over a box of directions (used to rule
    /// out paths cheaply): every azimuth offset in `azimuthOffDeg` (any start, any width) and every elevation in
    /// `elevationDeg`. Exact for the closed forms (the gain at the box's direction nearest to boresight, both
    /// attenuations growing away from it); for a table, the smallest horizontal plus the smallest vertical
    /// attenuation over the box (linear interpolation takes its extremes at the table's nodes or the ends).
    public func maxGainDBi(azimuthOffDeg az: ClosedRange<Double>, elevationDeg el: ClosedRange<Double>, downtiltDeg: Double) -> Double {
        switch kind {
        case .omni:
            return maxGainDBi
        case .sector:
            let phi = Self.nearestToZero(az)
            let theta = min(max(-downtiltDeg, el.lowerBound), el.upperBound) + downtiltDeg
            let ah = min(horizontalCoefficient * phi * phi, maxAttenuationDB)
            let av = min(verticalCoefficient * theta * theta, sideLobeDB)
            return maxGainDBi - min(ah + av, maxAttenuationDB)
        case .table:
            let h = Self.minimum(horizontalAttenuationDB, over: az)
            let v = Self.minimum(verticalAttenuationDB, over: (-el.upperBound - downtiltDeg)...(-el.lowerBound - downtiltDeg))
            return maxGainDBi - (h + v)
        }
    }

    /// The angle of a range nearest to a multiple of 360°, as its distance from it [degrees].
    static func nearestToZero(_ range: ClosedRange<Double>) -> Double {
        if range.upperBound - range.lowerBound >= 360 { return 0 }
        let lower = range.lowerBound - 360 * (range.lowerBound / 360).rounded(.down)     // in [0, 360)
        let upper = lower + (range.upperBound - range.lowerBound)
        if upper >= 360 { return 0 }
        return min(lower, 360 - upper)
    }

    /// The smallest value of a 361-entry 1° table, linearly interpolated, over an angle range.
    static func minimum(_ table: [Double], over range: ClosedRange<Double>) -> Double {
        if range.upperBound - range.lowerBound >= 360 { return table.min() ?? 0 }
        var m = min(interpolate(table, angleDeg: range.lowerBound), interpolate(table, angleDeg: range.upperBound))
        var a = range.lowerBound.rounded(.up)
        while a < range.upperBound {
            m = min(m, interpolate(table, angleDeg: a))
            a += 1
        }
        return m
    }

    /// Linear interpolation in a 361-entry 1° table, the angle wrapped into [0°, 360°).
    @inlinable
    static func interpolate(_ table: [Double], angleDeg: Double) -> Double {
        var a = angleDeg.truncatingRemainder(dividingBy: 360)
        if a < 0 { a += 360 }
        let i = min(Int(a), 359)
        let t = a - Double(i)
        return table.withUnsafeBufferPointer { p in p[i] + t * (p[i + 1] - p[i]) }
    }
}
