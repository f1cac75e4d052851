import Foundation
import Testing
@testable import LitfassRadio

/// 3GPP TR 38.901 §7.4.2 LOS probability, §7.4.3 O2I penetration and the checked path-loss API.
@Suite struct Scenario38901Tests {
    /// Table 7.4.2-1 at hand-computed points.
    @Test func losProbability() {
        #expect(LOSProbability38901.rma(distance2DMeters: 10) == 1)
        #expect(abs(LOSProbability38901.rma(distance2DMeters: 1010) - exp(-1)) < 1e-12)
        #expect(LOSProbability38901.umi(distance2DMeters: 18) == 1)
        #expect(abs(LOSProbability38901.umi(distance2DMeters: 36) - (0.5 + exp(-1) * 0.5)) < 1e-12)
        #expect(abs(LOSProbability38901.uma(distance2DMeters: 63) - (18.0 / 63 + exp(-1) * (1 - 18.0 / 63))) < 1e-12)
        // C'(h_UT) for h_UT = 23 m is 1: the second factor at 100 m is 1 + 1.25 exp(−2/3).
        let base = 18.0 / 100 + exp(-100.0 / 63) * (1 - 0.18)
        #expect(abs(LOSProbability38901.uma(distance2DMeters: 100, utHeightMeters: 23) - base * (1 + 1.25 * exp(-100.0 / 150))) < 1e-12)
        #expect(abs(LOSProbability38901.inhMixedOffice(distance2DMeters: 6.5) - 0.32) < 1e-12)
        #expect(abs(LOSProbability38901.inhMixedOffice(distance2DMeters: 5.9) - exp(-4.7 / 4.7)) < 1e-12)
        #expect(abs(LOSProbability38901.inhOpenOffice(distance2DMeters: 40.4) - exp(-0.5)) < 1e-12)
        #expect(abs(LOSProbability38901.inhOpenOffice(distance2DMeters: 260.7) - 0.54 * exp(-1)) < 1e-12)
        // Decreasing with distance, within [0, 1].
        var previous = 1.0
        for d in stride(from: 10.0, through: 5000, by: 10) {
            let p = LOSProbability38901.probability(scenario: .umi, distance2DMeters: d)
            #expect(p <= previous && p >= 0)
            previous = p
        }
    }

    /// Table 7.4.3-1/-2 at 3.5 GHz and 28 GHz.
    @Test func o2iPenetration() throws {
        let f = 3.5e9
        let lowTW = 5 - 10 * log10(0.3 * pow(10, -(2 + 0.2 * 3.5) / 10) + 0.7 * pow(10, -(5 + 4 * 3.5) / 10))
        let highTW = 5 - 10 * log10(0.7 * pow(10, -(23 + 0.3 * 3.5) / 10) + 0.3 * pow(10, -(5 + 4 * 3.5) / 10))
        #expect(abs(O2IPenetration38901.wallLossDB(frequencyHz: f, model: .lowLoss) - lowTW) < 1e-12)
        #expect(abs(O2IPenetration38901.wallLossDB(frequencyHz: f, model: .highLoss) - highTW) < 1e-12)
        #expect(lowTW < highTW)
        #expect(abs(O2IPenetration38901.lossDB(frequencyHz: f, model: .lowLoss, indoorDistanceMeters: 10) - (lowTW + 5)) < 1e-12)
        let median = O2IPenetration38901.IndoorDistance.median(maximumMeters: 25).meters
        #expect(abs(median - 7.322) < 0.001)
        #expect(O2IPenetration38901.IndoorDistance.mean(maximumMeters: 25).meters == 25.0 / 3)
        #expect(throws: RadioModelError.self) {
            try O2IPenetration38901.checkedLossDB(frequencyHz: 0.3e9, model: .lowLoss, indoorDistanceMeters: 5)
        }
        // Seeded random draws: reproducible, and their mean tends to the deterministic value.
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42)
        var sum = 0.0
        for _ in 0..<20_000 {
            let a = O2IPenetration38901.randomLossDB(frequencyHz: f, model: .highLoss, indoorDistance: .meters(8), using: &g1)
            let b = O2IPenetration38901.randomLossDB(frequencyHz: f, model: .highLoss, indoorDistance: .meters(8), using: &g2)
            #expect(a == b)
            sum += a
        }
        #expect(abs(sum / 20_000 - (highTW + 4)) < 0.15)
    }

    @Test func checkedPathLoss() throws {
        // In range: equals the unchecked function.
        let d2 = 500.0, d3 = (500.0 * 500 + 23.5 * 23.5).squareRoot()
        let checked = try PathLoss38901.checkedPathLossDB(scenario: .uma, lineOfSight: false, distance2DMeters: d2,
                                                          distance3DMeters: d3, frequencyHz: 3.6e9, bsHeightMeters: 25,
                                                          utHeightMeters: 1.5)
        #expect(checked == PathLoss38901.umaNLOS(distance2DMeters: d2, distance3DMeters: d3, frequencyHz: 3.6e9))
        // Out of range: the error names the parameter and its range.
        #expect(throws: RadioModelError.outOfRange(parameter: "distance2DMeters", value: 6000, validRange: ValidRange(10, 5000))) {
            try PathLoss38901.checkedPathLossDB(scenario: .umi, lineOfSight: true, distance2DMeters: 6000, distance3DMeters: 6000,
                                                frequencyHz: 3.6e9, bsHeightMeters: 10, utHeightMeters: 1.5)
        }
        #expect(throws: RadioModelError.outOfRange(parameter: "frequencyHz", value: 40e9, validRange: ValidRange(0.5e9, 30e9))) {
            try PathLoss38901.checkedPathLossDB(scenario: .rma, lineOfSight: true, distance2DMeters: 100, distance3DMeters: 105,
                                                frequencyHz: 40e9, bsHeightMeters: 35, utHeightMeters: 1.5)
        }
        // With extrapolation the same call evaluates; an impossible value still fails.
        _ = try PathLoss38901.checkedPathLossDB(scenario: .umi, lineOfSight: true, distance2DMeters: 6000, distance3DMeters: 6000,
                                                frequencyHz: 3.6e9, bsHeightMeters: 10, utHeightMeters: 1.5, allowExtrapolation: true)
        #expect(throws: RadioModelError.self) {
            try PathLoss38901.checkedPathLossDB(scenario: .umi, lineOfSight: true, distance2DMeters: 100, distance3DMeters: 50,
                                                frequencyHz: 3.6e9, bsHeightMeters: 10, utHeightMeters: 1.5, allowExtrapolation: true)
        }
        #expect(RadioModelError.outOfRange(parameter: "distance2DMeters", value: 6000, validRange: ValidRange(10, 5000))
            .description.contains("distance2DMeters = 6000 is outside the valid range [10, 5000]"))
        // FSPL: at 1 km and 1 GHz, 92.45 + 0 + 0 − 60 + ... = 92.45 dB (P.525: 32.45 + 20 log f_MHz + 20 log d_km).
        #expect(abs(FreeSpace.pathLossDB(distanceMeters: 1000, frequencyHz: 1e9) - (32.45 + 60)) < 0.01)
        #expect(throws: RadioModelError.self) { try FreeSpace.checkedPathLossDB(distanceMeters: 0.1, frequencyHz: 1e9) }
    }
}
