import Foundation

/// Outdoor-to-indoor building penetration loss of 3GPP TR 38.901 §7.4.3.1:
/// `PL = PL_b + PL_tw + PL_in + N(0, σ_P²)`; this type gives `PL_tw + PL_in` (+ the optional
/// Gaussian term) to add to the outdoor path loss PL_b.
public enum O2IPenetration38901 {
    /// Building models of Table 7.4.3-2.
    public enum BuildingModel: String, Sendable, CaseIterable {
        /// Low-loss: 30 % standard glass, 70 % concrete; σ_P = 4.4 dB.
        case lowLoss = "low-loss"
        /// High-loss: 70 % IRR glass, 30 % concrete; σ_P = 6.5 dB.
        case highLoss = "high-loss"

        /// σ_P, dB.
        public var standardDeviationDB: Double { self == .lowLoss ? 4.4 : 6.5 }
    }

    /// Material penetration losses of Table 7.4.3-1, dB (f in GHz).
    public enum Material: String, Sendable, CaseIterable {
        /// Standard multi-pane glass.
        case standardGlass
        /// Infrared-reflective (metal-coated) glass.
        case irrGlass
        /// Concrete.
        case concrete
        /// Wood.
        case wood
        /// Loss through the material, dB: glass `2 + 0.2 f`, IRR glass `23 + 0.3 f`,
        /// concrete `5 + 4 f`, wood `4.85 + 0.12 f`.
        @inlinable
        public func lossDB(frequencyHz: Double) -> Double {
            let f = frequencyHz * 1e-9
            switch self {
            case .standardGlass: return 2 + 0.2 * f
            case .irrGlass: return 23 + 0.3 * f
            case .concrete: return 5 + 4 * f
            case .wood: return 4.85 + 0.12 * f
            }
        }
    }

    /// How the indoor distance d_2D-in is chosen when the caller does not give one.
    /// In the TR it is the minimum of two independent uniform draws on [0, D] (D = 25 m for UMa/UMi,
    /// 10 m for RMa).
    public enum IndoorDistance: Sendable, Equatable {
        /// A known indoor distance, m.
        case meters(Double)
        /// The median of min(U(0,D), U(0,D)): `D (1 − 1/√2)` (7.32 m for D = 25 m).
        case median(maximumMeters: Double)
        /// The mean of min(U(0,D), U(0,D)): `D/3`.
        case mean(maximumMeters: Double)

        /// The distance in metres.
        public var meters: Double {
            switch self {
            case let .meters(d): return d
            case let .median(dMax): return dMax * (1 - 1 / 2.0.squareRoot())
            case let .mean(dMax): return dMax / 3
            }
        }
    }

    /// Valid frequency range, Hz (0.5–100 GHz as the rest of the TR).
    public static let frequencyRangeHz = ValidRange(0.5e9, 100e9)

    /// Wall penetration loss PL_tw, dB. Table 7.4.3-2:
    /// low-loss `5 − 10 log10(0.3·10^(−L_glass/10) + 0.7·10^(−L_concrete/10))`,
    /// high-loss `5 − 10 log10(0.7·10^(−L_IRRglass/10) + 0.3·10^(−L_concrete/10))`.
    @inlinable
    public static func wallLossDB(frequencyHz: Double, model: BuildingModel) -> Double {
        let concrete = Material.concrete.lossDB(frequencyHz: frequencyHz)
        switch model {
        case .lowLoss:
            let glass = Material.standardGlass.lossDB(frequencyHz: frequencyHz)
            return 5 - 10 * log10(0.3 * pow(10, -glass / 10) + 0.7 * pow(10, -concrete / 10))
        case .highLoss:
            let glass = Material.irrGlass.lossDB(frequencyHz: frequencyHz)
            return 5 - 10 * log10(0.7 * pow(10, -glass / 10) + 0.3 * pow(10, -concrete / 10))
        }
    }

    /// O2I loss `PL_tw + PL_in` with `PL_in = 0.5 d_2D-in`, dB — the mean (and median) of the TR's
    /// distribution for a given indoor distance. Table 7.4.3-2.
    @inlinable
    public static func lossDB(frequencyHz: Double, model: BuildingModel, indoorDistanceMeters: Double) -> Double {
        wallLossDB(frequencyHz: frequencyHz, model: model) + 0.5 * indoorDistanceMeters
    }

    /// O2I loss with a random part, for Monte-Carlo studies: the indoor distance as given and a
    /// draw of N(0, σ_P²) from a caller-owned seeded generator.
    public static func randomLossDB<G: RandomNumberGenerator>(frequencyHz: Double, model: BuildingModel,
                                                              indoorDistance: IndoorDistance,
                                                              using generator: inout G) -> Double {
        // Box–Muller: one standard normal from two uniforms in (0, 1].
        let u1 = Double.random(in: Double.ulpOfOne...1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return lossDB(frequencyHz: frequencyHz, model: model, indoorDistanceMeters: indoorDistance.meters)
            + model.standardDeviationDB * z
    }

    /// `lossDB` with ranges checked.
    /// - Throws: `RadioModelError.outOfRange` for the frequency (0.5–100 GHz, unless extrapolating)
    ///   or a negative indoor distance.
    public static func checkedLossDB(frequencyHz: Double, model: BuildingModel, indoorDistanceMeters: Double,
                                     allowExtrapolation: Bool = false) throws -> Double {
        try RadioModelError.check("frequencyHz", frequencyHz, in: frequencyRangeHz, allowExtrapolation: allowExtrapolation)
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        try RadioModelError.require("indoorDistanceMeters", indoorDistanceMeters, in: ValidRange(0, .infinity))
        return lossDB(frequencyHz: frequencyHz, model: model, indoorDistanceMeters: indoorDistanceMeters)
    }
}
