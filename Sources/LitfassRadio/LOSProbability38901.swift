import Foundation

/// Line-of-sight probabilities of 3GPP TR 38.901 §7.4.2 Table 7.4.2-1 (outdoor users).
public enum LOSProbability38901 {
    /// RMa: 1 for d_2D ≤ 10 m, else `exp(−(d_2D − 10)/1000)`.
    @inlinable
    public static func rma(distance2DMeters d: Double) -> Double {
        d <= 10 ? 1 : exp(-(d - 10) / 1000)
    }

    /// UMi-Street Canyon: 1 for d_2D ≤ 18 m, else `18/d + exp(−d/36)(1 − 18/d)`.
    @inlinable
    public static func umi(distance2DMeters d: Double) -> Double {
        d <= 18 ? 1 : 18 / d + exp(-d / 36) * (1 - 18 / d)
    }

    /// UMa: 1 for d_2D ≤ 18 m, else `[18/d + exp(−d/63)(1 − 18/d)] [1 + C'(h_UT) (5/4)(d/100)³ exp(−d/150)]`
    /// with `C'(h_UT) = 0` for h_UT ≤ 13 m and `((h_UT − 13)/10)^1.5` for 13 m < h_UT ≤ 23 m.
    @inlinable
    public static func uma(distance2DMeters d: Double, utHeightMeters hUT: Double = 1.5) -> Double {
        if d <= 18 { return 1 }
        let c = hUT <= 13 ? 0 : pow((min(hUT, 23) - 13) / 10, 1.5)
        let r = d / 100
        return (18 / d + exp(-d / 63) * (1 - 18 / d)) * (1 + c * 1.25 * r * r * r * exp(-d / 150))
    }

    /// InH-Office, mixed office: 1 for d ≤ 1.2 m, `exp(−(d − 1.2)/4.7)` up to 6.5 m,
    /// then `0.32 exp(−(d − 6.5)/32.6)`.
    @inlinable
    public static func inhMixedOffice(distance2DMeters d: Double) -> Double {
        if d <= 1.2 { return 1 }
        if d < 6.5 { return exp(-(d - 1.2) / 4.7) }
        return 0.32 * exp(-(d - 6.5) / 32.6)
    }

    /// InH-Office, open office: 1 for d ≤ 5 m, `exp(−(d − 5)/70.8)` up to 49 m,
    /// then `0.54 exp(−(d − 49)/211.7)`.
    @inlinable
    public static func inhOpenOffice(distance2DMeters d: Double) -> Double {
        if d <= 5 { return 1 }
        if d <= 49 { return exp(-(d - 5) / 70.8) }
        return 0.54 * exp(-(d - 49) / 211.7)
    }

    /// LOS probability of a path-loss scenario (InH uses the mixed office).
    public static func probability(scenario: PathLoss38901.Scenario, distance2DMeters: Double,
                                   utHeightMeters: Double = 1.5) -> Double {
        switch scenario {
        case .rma: return rma(distance2DMeters: distance2DMeters)
        case .uma: return uma(distance2DMeters: distance2DMeters, utHeightMeters: utHeightMeters)
        case .umi: return umi(distance2DMeters: distance2DMeters)
        case .inh: return inhMixedOffice(distance2DMeters: distance2DMeters)
        }
    }
}
