import Foundation

/// Path loss models of 3GPP TR 38.901 V17.0.0 Table 7.4.1-1 (RMa, UMa, UMi-Street Canyon, InH-Office).
///
/// Unchecked, allocation-free inner-loop functions: distances in metres, frequency in hertz,
/// heights in metres, result in dB. No shadow fading (the median). The checked versions with the
/// validity ranges of the Table are in `PathLoss38901+Checked.swift`.
///
/// In the Table `fc` is the centre frequency in GHz, while the breakpoint distance uses `fc` in Hz
/// (Note 1); both conversions are done here, so callers always pass hertz.
public enum PathLoss38901 {
    // MARK: Breakpoint distances

    /// RMa breakpoint distance `d_BP = 2π h_BS h_UT f_c / c` in metres.
    /// 3GPP TR 38.901 Table 7.4.1-1 Note 5.
    @inlinable
    public static func breakpointDistanceRMaMeters(frequencyHz: Double, bsHeightMeters: Double,
                                                   utHeightMeters: Double) -> Double {
        2.0 * Double.pi * bsHeightMeters * utHeightMeters * frequencyHz / 3.0e8   // c = 3e8 m/s as in Note 5
    }

    /// UMa / UMi breakpoint distance `d'_BP = 4 h'_BS h'_UT f_c / c` in metres, with effective
    /// heights `h' = h − h_E`. 3GPP TR 38.901 Table 7.4.1-1 Note 1.
    ///
    /// - Parameter effectiveEnvironmentHeightMeters: h_E. For UMi h_E = 1 m. For UMa h_E = 1 m with
    ///   probability 1/(1 + C(d_2D, h_UT)) (Note 1); C = 0 for h_UT < 13 m, so 1 m is the median
    ///   choice used by default.
    @inlinable
    public static func breakpointDistanceUMMeters(frequencyHz: Double, bsHeightMeters: Double,
                                                  utHeightMeters: Double,
                                                  effectiveEnvironmentHeightMeters: Double = 1.0) -> Double {
        4.0 * (bsHeightMeters - effectiveEnvironmentHeightMeters)
            * (utHeightMeters - effectiveEnvironmentHeightMeters) * frequencyHz / 3.0e8   // c = 3e8 m/s as in Note 1
    }

    // MARK: RMa

    /// RMa LOS path loss in dB. 3GPP TR 38.901 Table 7.4.1-1, RMa LOS (PL1 below d_BP, PL2 above).
    /// - Parameters: see the type; `averageBuildingHeightMeters` h (default 5 m),
    ///   `streetWidthMeters` W is not used by the LOS formula.
    @inlinable
    public static func rmaLOS(distance2DMeters: Double, distance3DMeters: Double, frequencyHz: Double,
                              bsHeightMeters: Double = 35, utHeightMeters: Double = 1.5,
                              averageBuildingHeightMeters h: Double = 5) -> Double {
        let dBP = breakpointDistanceRMaMeters(frequencyHz: frequencyHz, bsHeightMeters: bsHeightMeters,
                                              utHeightMeters: utHeightMeters)
        if distance2DMeters <= dBP {
            return rmaPL1(distance3DMeters, frequencyHz, h)
        }
        // PL2 = PL1(d_BP) + 40 log10(d_3D / d_BP)
        return rmaPL1(dBP, frequencyHz, h) + 40.0 * fastLog10(distance3DMeters / dBP)
    }

    /// RMa PL1: `20 log10(40π d_3D f_c / 3) + min(0.03 h^1.72, 10) log10(d_3D) − min(0.044 h^1.72, 14.77)
    /// + 0.002 log10(h) d_3D`, f_c in GHz. 3GPP TR 38.901 Table 7.4.1-1, RMa LOS PL1.
    @inlinable
    static func rmaPL1(_ d3D: Double, _ frequencyHz: Double, _ h: Double) -> Double {
        let fGHz = frequencyHz * 1e-9
        let h172 = pow(h, 1.72)
        let logD = fastLog10(d3D)
        return 20.0 * fastLog10(40.0 * Double.pi * d3D * fGHz / 3.0)
            + min(0.03 * h172, 10.0) * logD - min(0.044 * h172, 14.77) + 0.002 * fastLog10(h) * d3D
    }

    /// RMa NLOS path loss in dB: `max(PL_RMa-LOS, PL'_RMa-NLOS)`. 3GPP TR 38.901 Table 7.4.1-1, RMa NLOS.
    /// - Parameters: `averageBuildingHeightMeters` h (default 5 m), `streetWidthMeters` W (default 20 m).
    @inlinable
    public static func rmaNLOS(distance2DMeters: Double, distance3DMeters: Double, frequencyHz: Double,
                               bsHeightMeters: Double = 35, utHeightMeters: Double = 1.5,
                               averageBuildingHeightMeters h: Double = 5, streetWidthMeters w: Double = 20) -> Double {
        let los = rmaLOS(distance2DMeters: distance2DMeters, distance3DMeters: distance3DMeters,
                         frequencyHz: frequencyHz, bsHeightMeters: bsHeightMeters,
                         utHeightMeters: utHeightMeters, averageBuildingHeightMeters: h)
        let hBS = bsHeightMeters
        let logHBS = fastLog10(hBS)
        let ratio = h / hBS
        let logHUT = fastLog10(11.75 * utHeightMeters)
        let nlos = 161.04 - 7.1 * fastLog10(w) + 7.5 * fastLog10(h)
            - (24.37 - 3.7 * ratio * ratio) * logHBS
            + (43.42 - 3.1 * logHBS) * (fastLog10(distance3DMeters) - 3.0)
            + 20.0 * fastLog10(frequencyHz * 1e-9)
            - (3.2 * logHUT * logHUT - 4.97)
        return max(los, nlos)
    }

    // MARK: UMa

    /// UMa LOS path loss in dB. 3GPP TR 38.901 Table 7.4.1-1, UMa LOS:
    /// PL1 = `28.0 + 22 log10(d_3D) + 20 log10(f_c)` for 10 m ≤ d_2D ≤ d'_BP,
    /// PL2 = `28.0 + 40 log10(d_3D) + 20 log10(f_c) − 9 log10(d'_BP² + (h_BS − h_UT)²)` above.
    @inlinable
    public static func umaLOS(distance2DMeters: Double, distance3DMeters: Double, frequencyHz: Double,
                              bsHeightMeters: Double = 25, utHeightMeters: Double = 1.5,
                              effectiveEnvironmentHeightMeters: Double = 1.0) -> Double {
        umaLOS(distance2DMeters, fastLog10(distance3DMeters), fastLog10(frequencyHz * 1e-9), frequencyHz, bsHeightMeters,
               utHeightMeters, effectiveEnvironmentHeightMeters)
    }

    /// UMa LOS with the logarithms of d_3D and f_c[GHz] computed by the caller (shared with NLOS).
    @inlinable
    static func umaLOS(_ d2D: Double, _ logD3: Double, _ logF: Double, _ frequencyHz: Double, _ hBS: Double,
                       _ hUT: Double, _ hE: Double) -> Double {
        let dBP = breakpointDistanceUMMeters(frequencyHz: frequencyHz, bsHeightMeters: hBS, utHeightMeters: hUT,
                                             effectiveEnvironmentHeightMeters: hE)
        if d2D <= dBP { return 28.0 + 22.0 * logD3 + 20.0 * logF }
        let dh = hBS - hUT
        return 28.0 + 40.0 * logD3 + 20.0 * logF - 9.0 * fastLog10(dBP * dBP + dh * dh)
    }

    /// UMa NLOS path loss in dB: `max(PL_UMa-LOS, PL'_UMa-NLOS)` with
    /// `PL' = 13.54 + 39.08 log10(d_3D) + 20 log10(f_c) − 0.6 (h_UT − 1.5)`.
    /// 3GPP TR 38.901 Table 7.4.1-1, UMa NLOS.
    @inlinable
    public static func umaNLOS(distance2DMeters: Double, distance3DMeters: Double, frequencyHz: Double,
                               bsHeightMeters: Double = 25, utHeightMeters: Double = 1.5,
                               effectiveEnvironmentHeightMeters: Double = 1.0) -> Double {
        let logD3 = fastLog10(distance3DMeters), logF = fastLog10(frequencyHz * 1e-9)
        let los = umaLOS(distance2DMeters, logD3, logF, frequencyHz, bsHeightMeters, utHeightMeters,
                         effectiveEnvironmentHeightMeters)
        let nlos = 13.54 + 39.08 * logD3 + 20.0 * logF - 0.6 * (utHeightMeters - 1.5)
        return max(los, nlos)
    }

    // MARK: UMi-Street Canyon

    /// UMi-Street Canyon LOS path loss in dB. 3GPP TR 38.901 Table 7.4.1-1, UMi-Street Canyon LOS:
    /// PL1 = `32.4 + 21 log10(d_3D) + 20 log10(f_c)` for 10 m ≤ d_2D ≤ d'_BP,
    /// PL2 = `32.4 + 40 log10(d_3D) + 20 log10(f_c) − 9.5 log10(d'_BP² + (h_BS − h_UT)²)` above; h_E = 1 m.
    @inlinable
    public static func umiLOS(distance2DMeters: Double, distance3DMeters: Double, frequencyHz: Double,
                              bsHeightMeters: Double = 10, utHeightMeters: Double = 1.5) -> Double {
        umiLOS(distance2DMeters, fastLog10(distance3DMeters), fastLog10(frequencyHz * 1e-9), frequencyHz, bsHeightMeters,
               utHeightMeters)
    }

    /// UMi LOS with the logarithms of d_3D and f_c[GHz] computed by the caller (shared with NLOS).
    @inlinable
    static func umiLOS(_ d2D: Double, _ logD3: Double, _ logF: Double, _ frequencyHz: Double, _ hBS: Double,
                       _ hUT: Double) -> Double {
        let dBP = breakpointDistanceUMMeters(frequencyHz: frequencyHz, bsHeightMeters: hBS, utHeightMeters: hUT)
        if d2D <= dBP { return 32.4 + 21.0 * logD3 + 20.0 * logF }
        let dh = hBS - hUT
        return 32.4 + 40.0 * logD3 + 20.0 * logF - 9.5 * fastLog10(dBP * dBP + dh * dh)
    }

    /// UMi-Street Canyon NLOS path loss in dB: `max(PL_UMi-LOS, PL'_UMi-NLOS)` with
    /// `PL' = 35.3 log10(d_3D) + 22.4 + 21.3 log10(f_c) − 0.3 (h_UT − 1.5)`.
    /// 3GPP TR 38.901 Table 7.4.1-1, UMi-Street Canyon NLOS.
    @inlinable
    public static func umiNLOS(distance2DMeters: Double, distance3DMeters: Double, frequencyHz: Double,
                               bsHeightMeters: Double = 10, utHeightMeters: Double = 1.5) -> Double {
        let logD3 = fastLog10(distance3DMeters), logF = fastLog10(frequencyHz * 1e-9)
        let los = umiLOS(distance2DMeters, logD3, logF, frequencyHz, bsHeightMeters, utHeightMeters)
        let nlos = 35.3 * logD3 + 22.4 + 21.3 * logF - 0.3 * (utHeightMeters - 1.5)
        return max(los, nlos)
    }

    // MARK: InH-Office

    /// InH-Office LOS path loss in dB: `32.4 + 17.3 log10(d_3D) + 20 log10(f_c)`, 1 m ≤ d_3D ≤ 150 m.
    /// 3GPP TR 38.901 Table 7.4.1-1, InH-Office LOS. Heights are not used by the formula.
    @inlinable
    public static func inhLOS(distance2DMeters: Double = 0, distance3DMeters: Double, frequencyHz: Double,
                              bsHeightMeters: Double = 3, utHeightMeters: Double = 1) -> Double {
        32.4 + 17.3 * fastLog10(distance3DMeters) + 20.0 * fastLog10(frequencyHz * 1e-9)
    }

    /// InH-Office NLOS path loss in dB: `max(PL_InH-LOS, 38.3 log10(d_3D) + 17.30 + 24.9 log10(f_c))`.
    /// 3GPP TR 38.901 Table 7.4.1-1, InH-Office NLOS.
    @inlinable
    public static func inhNLOS(distance2DMeters: Double = 0, distance3DMeters: Double, frequencyHz: Double,
                               bsHeightMeters: Double = 3, utHeightMeters: Double = 1) -> Double {
        let logD = fastLog10(distance3DMeters), logF = fastLog10(frequencyHz * 1e-9)
        let los = 32.4 + 17.3 * logD + 20.0 * logF
        let nlos = 38.3 * logD + 17.30 + 24.9 * logF
        return max(los, nlos)
    }
}
