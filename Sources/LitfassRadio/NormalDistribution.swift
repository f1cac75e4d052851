import Foundation

/// The standard normal distribution: cumulative distribution and its inverse.
public enum NormalDistribution {
    /// Φ(x) = P(X ≤ x) for X ~ N(0, 1), via the complementary error function.
    @inlinable
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The inverse standard normal CDF Φ⁻¹(p) (the quantile), accurate to about 1e-12 absolute.
    ///
    /// Newton–Halley iteration on `Φ(x) − p` from a closed-form first guess, always working in the
    /// lower tail (`q = min(p, 1 − p)`) so that tiny probabilities keep their relative precision.
    /// Used for ITU-R P.2109 F⁻¹(P), P.2108 Q⁻¹(p) and P.1411 N⁻¹(p).
    /// - Parameter p: probability in (0, 1).
    /// - Returns: x with Φ(x) = p; −∞ for p = 0, +∞ for p = 1, NaN outside [0, 1].
    public static func inverseCDF(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let q = min(p, 1 - p)
        // First guess: the tail expansion x ≈ −sqrt(−2 ln q) corrected (Hastings-like form).
        let t = (-2.0 * log(q)).squareRoot()
        var x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
                  / (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t))
        let sqrt2pi = (2.0 * Double.pi).squareRoot()
        for _ in 0..<8 {
            let error = cdf(x) - q
            let u = error * sqrt2pi * exp(0.5 * x * x)   // error / φ(x)
            let step = u / (1.0 + 0.5 * x * u)           // Halley's correction
            x -= step
            if abs(step) <= 1e-15 * max(1.0, abs(x)) { break }
        }
        return p < 0.5 ? x : -x
    }

    /// The inverse complementary CDF Q⁻¹(p) = Φ⁻¹(1 − p) = −Φ⁻¹(p), p in (0, 1).
    @inlinable
    public static func inverseComplementaryCDF(_ p: Double) -> Double { -inverseCDF(p) }
}
