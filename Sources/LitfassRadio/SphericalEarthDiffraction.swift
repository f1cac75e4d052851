import Foundation

/// Diffraction over a smooth spherical earth: ITU-R P.526-15 §3.2 first-term method in the form
/// used by delta-Bullington (P.526-15 §4.5, identical to P.452-17 §4.2.2).
public enum SphericalEarthDiffraction {
    /// Polarisation of the wave (matters only through the surface admittance K).
    public enum Polarization: String, Sendable, CaseIterable {
        /// Horizontal polarisation.
        case horizontal
        /// Vertical polarisation.
        case vertical
    }

    /// Electrical ground constants: relative permittivity and conductivity (S/m).
    public struct Ground: Sendable, Equatable {
        /// Relative permittivity ε_r.
        public var relativePermittivity: Double
        /// Conductivity σ, S/m.
        public var conductivitySiemensPerMeter: Double
        /// Creates ground constants.
        public init(relativePermittivity: Double, conductivitySiemensPerMeter: Double) {
            self.relativePermittivity = relativePermittivity
            self.conductivitySiemensPerMeter = conductivitySiemensPerMeter
        }
        /// Average land, ε_r = 22, σ = 0.003 S/m (P.452-17 §4.2.2.1).
        public static let land = Ground(relativePermittivity: 22, conductivitySiemensPerMeter: 0.003)
        /// Sea water, ε_r = 80, σ = 5 S/m.
        public static let sea = Ground(relativePermittivity: 80, conductivitySiemensPerMeter: 5)
    }

    /// The three terms of the first-term loss `L_dft = −F(X) − G(Y_t) − G(Y_r)`, dB.
    ///
    /// `K_H = 0.036 (a_e f)^(−1/3) [(ε_r − 1)² + (18σ/f)²]^(−1/4)`, `K_V = K_H [ε_r² + (18σ/f)²]^(1/2)`,
    /// `β = (1 + 1.6K² + 0.67K⁴)/(1 + 4.5K² + 1.53K⁴)`, `X = 21.88 β (f/a_e²)^(1/3) d`,
    /// `Y = 0.9575 β (f²/a_e)^(1/3) h`; `F(X) = 11 + 10 log10 X − 17.6 X` for X ≥ 1.6, else
    /// `−20 log10 X − 5.6488 X^1.425`; `G(Y) = 17.6 (B − 1.1)^0.5 − 5 log10(B − 1.1) − 8` for B > 2, else
    /// `20 log10(B + 0.1 B³)`, with B = βY, and G ≥ 2 + 20 log10 K. (f GHz, a_e and d km, h m.)
    /// P.452-17 §4.2.2.1 / P.526-15 §4.5.
    public static func firstTermComponents(distanceMeters: Double, txHeightMeters: Double, rxHeightMeters: Double,
                                           frequencyHz: Double, effectiveEarthRadiusMeters: Double,
                                           polarization: Polarization = .horizontal, ground: Ground = .land)
        -> (fx: Double, gTx: Double, gRx: Double)
    {
        let f = frequencyHz * 1e-9
        let ae = effectiveEarthRadiusMeters / 1000.0
        let d = distanceMeters / 1000.0
        let er = ground.relativePermittivity, sigma = ground.conductivitySiemensPerMeter
        let s18 = 18.0 * sigma / f
        var k = 0.036 * pow(ae * f, -1.0 / 3.0) * pow((er - 1) * (er - 1) + s18 * s18, -0.25)
        if polarization == .vertical { k *= (er * er + s18 * s18).squareRoot() }
        let k2 = k * k, k4 = k2 * k2
        let beta = (1 + 1.6 * k2 + 0.67 * k4) / (1 + 4.5 * k2 + 1.53 * k4)
        let x = 21.88 * beta * pow(f / (ae * ae), 1.0 / 3.0) * d
        let yFactor = 0.9575 * beta * pow(f * f / ae, 1.0 / 3.0)
        let fx = x >= 1.6 ? 11 + 10 * log10(x) - 17.6 * x : -20 * log10(x) - 5.6488 * pow(x, 1.425)
        func g(_ h: Double) -> Double {
            let b = beta * yFactor * h
            let value = b > 2 ? 17.6 * (b - 1.1).squareRoot() - 5 * log10(b - 1.1) - 8 : 20 * log10(b + 0.1 * b * b * b)
            return max(value, 2 + 20 * log10(k))
        }
        return (fx, g(txHeightMeters), g(rxHeightMeters))
    }

    /// First-term spherical-earth diffraction loss `L_dft = −F(X) − G(Y_t) − G(Y_r)`, dB.
    public static func firstTermLossDB(distanceMeters: Double, txHeightMeters: Double, rxHeightMeters: Double,
                                       frequencyHz: Double, effectiveEarthRadiusMeters: Double,
                                       polarization: Polarization = .horizontal, ground: Ground = .land) -> Double {
        let t = firstTermComponents(distanceMeters: distanceMeters, txHeightMeters: txHeightMeters,
                                    rxHeightMeters: rxHeightMeters, frequencyHz: frequencyHz,
                                    effectiveEarthRadiusMeters: effectiveEarthRadiusMeters,
                                    polarization: polarization, ground: ground)
        return -t.fx - t.gTx - t.gRx
    }

    /// Spherical-earth diffraction loss L_dsph, dB (≥ 0). P.452-17 §4.2.2 /
    /// P.526-15 §4.5.
    ///
    /// Beyond the marginal LoS distance `d_los = sqrt(2 a_e)(sqrt(0.001 h_te) + sqrt(0.001 h_re))` the
    /// first-term loss with a_e; otherwise the loss is scaled by the clearance of the curved-earth
    /// path: `(1 − h_se/h_req) L_dft(a_em)` with `h_req = 17.456 sqrt(d_se1 d_se2 λ / d)` and
    /// `a_em = 500 (d/(sqrt h_te + sqrt h_re))²`, and 0 when `h_se > h_req`.
    /// - Parameters: heights are above the smooth earth surface, m; distance m; frequency Hz.
    public static func lossDB(distanceMeters: Double, txHeightMeters hte: Double, rxHeightMeters hre: Double,
                              frequencyHz: Double, effectiveEarthRadiusMeters: Double,
                              polarization: Polarization = .horizontal, ground: Ground = .land) -> Double {
        let ap = effectiveEarthRadiusMeters / 1000.0
        let d = distanceMeters / 1000.0
        let lambda = 299_792_458.0 / frequencyHz
        let dlos = (2 * ap).squareRoot() * ((0.001 * hte).squareRoot() + (0.001 * hre).squareRoot())
        if d >= dlos {
            return firstTermLossDB(distanceMeters: distanceMeters, txHeightMeters: hte, rxHeightMeters: hre,
                                   frequencyHz: frequencyHz, effectiveEarthRadiusMeters: effectiveEarthRadiusMeters,
                                   polarization: polarization, ground: ground)
        }
        let c = (hte - hre) / (hte + hre)
        let m = 250 * d * d / (ap * (hte + hre))
        let b = 2 * ((m + 1) / (3 * m)).squareRoot()
            * cos(Double.pi / 3 + acos(3 * c / 2 * (3 * m / ((m + 1) * (m + 1) * (m + 1))).squareRoot()) / 3)
        let dse1 = d / 2 * (1 + b), dse2 = d - dse1
        let hse = ((hte - 500 * dse1 * dse1 / ap) * dse2 + (hre - 500 * dse2 * dse2 / ap) * dse1) / d
        let hreq = 17.456 * (dse1 * dse2 * lambda / d).squareRoot()
        if hse > hreq { return 0 }
        let aem = 500 * pow(d / (hte.squareRoot() + hre.squareRoot()), 2)
        let ldft = firstTermLossDB(distanceMeters: distanceMeters, txHeightMeters: hte, rxHeightMeters: hre,
                                   frequencyHz: frequencyHz, effectiveEarthRadiusMeters: aem * 1000,
                                   polarization: polarization, ground: ground)
        if ldft < 0 { return 0 }
        return (1 - hse / hreq) * ldft
    }
}
