import Foundation
import Testing
@testable import LitfassRadio

/// The inverse standard normal CDF: round trip through Φ and known quantiles.
@Suite struct NormalDistributionTests {
    @Test func knownQuantiles() {
        // Quantiles of N(0,1) to 12 digits (textbook values: 1.959963984540, 2.326347874041,
        // 3.090232306168, 5.199337582193 for 0.975, 0.99, 0.999, 1 − 1e-7).
        #expect(abs(NormalDistribution.inverseCDF(0.975) - 1.959963984540) < 1e-9)
        #expect(abs(NormalDistribution.inverseCDF(0.01) + 2.326347874041) < 1e-9)
        #expect(abs(NormalDistribution.inverseCDF(0.001) + 3.090232306168) < 1e-9)
        #expect(abs(NormalDistribution.inverseCDF(1e-7) + 5.199337582193) < 1e-9)
        #expect(NormalDistribution.inverseCDF(0.5) == 0)
        #expect(NormalDistribution.inverseCDF(-0.1).isNaN)
    }

    @Test func roundTrip() {
        var p = 1e-12
        while p < 1 {
            let x = NormalDistribution.inverseCDF(p)
            #expect(abs(NormalDistribution.cdf(x) - p) <= 1e-12 * max(p, 1e-3), "p = \(p)")
            #expect(abs(NormalDistribution.inverseCDF(1 - p) + x) < 1e-7 || p < 1e-9)
            p *= 1.7
        }
    }
}
