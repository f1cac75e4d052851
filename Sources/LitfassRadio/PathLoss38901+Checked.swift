import Foundation

extension PathLoss38901 {
    /// The scenarios of 3GPP TR 38.901 Table 7.4.1-1 implemented here.
    public enum Scenario: String, Sendable, CaseIterable {
        /// Rural macro.
        case rma = "RMa"
        /// Urban macro.
        case uma = "UMa"
        /// Urban micro, street canyon.
        case umi = "UMi-Street Canyon"
        /// Indoor hotspot, office.
        case inh = "InH-Office"
    }

    /// The applicability ranges of one scenario (3GPP TR 38.901 Table 7.4.1-1 and §7.4.1).
    ///
    /// Where the Table gives a single nominal value (h_BS = 25 m for UMa, 10 m for UMi, 3 m for InH),
    /// the range is that single value: other heights are an extrapolation the caller must ask for.
    public struct Validity: Sendable, Equatable {
        /// Carrier frequency, Hz.
        public var frequencyHz: ValidRange
        /// 2-D distance for LOS, m.
        public var distance2DLOSMeters: ValidRange
        /// 2-D distance for NLOS, m.
        public var distance2DNLOSMeters: ValidRange
        /// Base-station antenna height, m.
        public var bsHeightMeters: ValidRange
        /// User-terminal antenna height, m.
        public var utHeightMeters: ValidRange
        /// Average building height (RMa only), m.
        public var averageBuildingHeightMeters: ValidRange
        /// Average street width (RMa only), m.
        public var streetWidthMeters: ValidRange
    }

    /// Validity ranges of a scenario.
    public static func validity(_ scenario: Scenario) -> Validity {
        switch scenario {
        case .rma:
            return Validity(frequencyHz: ValidRange(0.5e9, 30e9), distance2DLOSMeters: ValidRange(10, 10_000),
                            distance2DNLOSMeters: ValidRange(10, 5_000), bsHeightMeters: ValidRange(10, 150),
                            utHeightMeters: ValidRange(1, 10), averageBuildingHeightMeters: ValidRange(5, 50),
                            streetWidthMeters: ValidRange(5, 50))
        case .uma:
            return Validity(frequencyHz: ValidRange(0.5e9, 100e9), distance2DLOSMeters: ValidRange(10, 5_000),
                            distance2DNLOSMeters: ValidRange(10, 5_000), bsHeightMeters: ValidRange(25, 25),
                            utHeightMeters: ValidRange(1.5, 22.5), averageBuildingHeightMeters: .any, streetWidthMeters: .any)
        case .umi:
            return Validity(frequencyHz: ValidRange(0.5e9, 100e9), distance2DLOSMeters: ValidRange(10, 5_000),
                            distance2DNLOSMeters: ValidRange(10, 5_000), bsHeightMeters: ValidRange(10, 10),
                            utHeightMeters: ValidRange(1.5, 22.5), averageBuildingHeightMeters: .any, streetWidthMeters: .any)
        case .inh:
            // InH ranges are on the 3-D distance (1–150 m); checked through distance3DMeters.
            return Validity(frequencyHz: ValidRange(0.5e9, 100e9), distance2DLOSMeters: .any, distance2DNLOSMeters: .any,
                            bsHeightMeters: ValidRange(3, 3), utHeightMeters: ValidRange(1, 2.5),
                            averageBuildingHeightMeters: .any, streetWidthMeters: .any)
        }
    }

    /// InH 3-D distance range, m (Table 7.4.1-1: 1 m ≤ d_3D ≤ 150 m).
    public static let inhDistance3DRangeMeters = ValidRange(1, 150)

    /// Path loss of a scenario with the validity ranges checked, dB.
    /// - Parameters:
    ///   - scenario: RMa, UMa, UMi-Street Canyon or InH-Office.
    ///   - lineOfSight: LOS (true) or NLOS (false) formula.
    ///   - distance2DMeters, distance3DMeters: ground and slant distances, m (d_3D ≥ d_2D).
    ///   - frequencyHz: carrier frequency, Hz.
    ///   - bsHeightMeters, utHeightMeters: antenna heights, m.
    ///   - averageBuildingHeightMeters, streetWidthMeters: RMa only, m.
    ///   - allowExtrapolation: evaluate outside the ranges instead of throwing.
    /// - Throws: `RadioModelError.outOfRange` naming the first parameter outside its range.
    public static func checkedPathLossDB(scenario: Scenario, lineOfSight: Bool, distance2DMeters: Double,
                                         distance3DMeters: Double, frequencyHz: Double, bsHeightMeters: Double,
                                         utHeightMeters: Double, averageBuildingHeightMeters: Double = 5,
                                         streetWidthMeters: Double = 20, allowExtrapolation: Bool = false) throws -> Double {
        let v = validity(scenario)
        let x = allowExtrapolation
        try RadioModelError.check("frequencyHz", frequencyHz, in: v.frequencyHz, allowExtrapolation: x)
        if scenario == .inh {
            try RadioModelError.check("distance3DMeters", distance3DMeters, in: inhDistance3DRangeMeters, allowExtrapolation: x)
        } else {
            try RadioModelError.check("distance2DMeters", distance2DMeters,
                                      in: lineOfSight ? v.distance2DLOSMeters : v.distance2DNLOSMeters, allowExtrapolation: x)
        }
        try RadioModelError.check("bsHeightMeters", bsHeightMeters, in: v.bsHeightMeters, allowExtrapolation: x)
        try RadioModelError.check("utHeightMeters", utHeightMeters, in: v.utHeightMeters, allowExtrapolation: x)
        if scenario == .rma {
            try RadioModelError.check("averageBuildingHeightMeters", averageBuildingHeightMeters,
                                      in: v.averageBuildingHeightMeters, allowExtrapolation: x)
            try RadioModelError.check("streetWidthMeters", streetWidthMeters, in: v.streetWidthMeters, allowExtrapolation: x)
            try RadioModelError.require("averageBuildingHeightMeters", averageBuildingHeightMeters, in: .positive)
            try RadioModelError.require("streetWidthMeters", streetWidthMeters, in: .positive)
        }
        // Limits of the formulas themselves, whatever the extrapolation setting.
        try RadioModelError.require("frequencyHz", frequencyHz, in: .positive)
        try RadioModelError.require("distance3DMeters", distance3DMeters, in: .positive)
        try RadioModelError.require("distance2DMeters", distance2DMeters, in: ValidRange(0, .infinity))
        if distance3DMeters < distance2DMeters {
            throw RadioModelError.invalidValue(parameter: "distance3DMeters", value: distance3DMeters,
                                               reason: "smaller than distance2DMeters = \(distance2DMeters)")
        }
        if scenario != .inh {
            // The breakpoint formulas need heights above the effective environment height (1 m).
            try RadioModelError.require("bsHeightMeters", bsHeightMeters, in: ValidRange(1, .infinity, lowerExclusive: true))
            try RadioModelError.require("utHeightMeters", utHeightMeters, in: ValidRange(1, .infinity, lowerExclusive: scenario != .rma))
        }
        let d2 = distance2DMeters, d3 = distance3DMeters, f = frequencyHz, hb = bsHeightMeters, hu = utHeightMeters
        switch (scenario, lineOfSight) {
        case (.rma, true):
            return rmaLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hb, utHeightMeters: hu,
                          averageBuildingHeightMeters: averageBuildingHeightMeters)
        case (.rma, false):
            return rmaNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hb, utHeightMeters: hu,
                           averageBuildingHeightMeters: averageBuildingHeightMeters, streetWidthMeters: streetWidthMeters)
        case (.uma, true): return umaLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hb, utHeightMeters: hu)
        case (.uma, false): return umaNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hb, utHeightMeters: hu)
        case (.umi, true): return umiLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hb, utHeightMeters: hu)
        case (.umi, false): return umiNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: f, bsHeightMeters: hb, utHeightMeters: hu)
        case (.inh, true): return inhLOS(distance3DMeters: d3, frequencyHz: f)
        case (.inh, false): return inhNLOS(distance3DMeters: d3, frequencyHz: f)
        }
    }
}
