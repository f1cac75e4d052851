import Foundation

extension AntennaPattern {
    /// Gain with mechanical tilt applied as a true rotation of the antenna, dBi.
    ///
    /// 3GPP TR 38.901 §7.1.3 eqs. (7.1-7)/(7.1-8) with bearing α = 0 and slant γ = 0: the direction
    /// (zenith θ = 90° − elevation, azimuth φ) in the global frame becomes, in the antenna frame
    /// tilted down by β, `θ' = arccos(cos β cos θ + sin β cos φ sin θ)` and
    /// `φ' = arg(cos β sin θ cos φ − sin β cos θ + j sin φ sin θ)`. The pattern is then evaluated at
    /// (φ', θ') with the electrical tilt as a shift of the vertical cut. Away from boresight this
    /// differs from `gainDBi(azimuthOffDeg:elevationDeg:downtiltDeg:)`, which just adds the tilts.
    /// - Parameters:
    ///   - azimuthOffDeg: horizontal angle from boresight to the receiver, degrees, clockwise.
    ///   - elevationDeg: elevation of the receiver seen from the antenna, degrees, positive up.
    ///   - electricalTiltDeg: electrical downtilt, degrees, positive down (for an MSI pattern, the
    ///     extra tilt beyond the file's own).
    ///   - mechanicalTiltDeg: mechanical downtilt, degrees, positive down.
    /// - Returns: gain in dBi.
    public func gainDBi(azimuthOffDeg: Double, elevationDeg: Double, electricalTiltDeg: Double,
                        mechanicalTiltDeg: Double) -> Double {
        if mechanicalTiltDeg == 0 {
            return gainDBi(azimuthOffDeg: azimuthOffDeg, elevationDeg: elevationDeg, downtiltDeg: electricalTiltDeg)
        }
        let rad = Double.pi / 180
        let theta = (90 - elevationDeg) * rad
        let phi = azimuthOffDeg * rad
        let beta = mechanicalTiltDeg * rad
        let cosThetaLocal = cos(beta) * cos(theta) + sin(beta) * cos(phi) * sin(theta)
        let thetaLocal = acos(max(-1, min(1, cosThetaLocal)))
        let phiLocal = atan2(sin(phi) * sin(theta), cos(beta) * sin(theta) * cos(phi) - sin(beta) * cos(theta))
        return gainDBi(azimuthOffDeg: phiLocal / rad, elevationDeg: 90 - thetaLocal / rad, downtiltDeg: electricalTiltDeg)
    }

    /// The horizontal cut (elevation 0, no tilt): gain at each whole degree 0…359 clockwise, dBi.
    public var horizontalCutDBi: [Double] {
        (0..<360).map { gainDBi(azimuthOffDeg: Double($0), elevationDeg: 0, downtiltDeg: 0) }
    }

    /// The vertical cut on boresight (azimuth 0, no tilt): gain at depression angles 0…359 (MSI
    /// convention: 90 = nadir, 270 = zenith), dBi.
    public var verticalCutDBi: [Double] {
        (0..<360).map { gainDBi(azimuthOffDeg: 0, elevationDeg: -Double($0), downtiltDeg: 0) }
    }
}
