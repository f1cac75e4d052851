import Foundation
import Testing
@testable import LitfassRadio

@Suite struct LayeredThroughputTests {
    /// At the cap the rate is the TS 38.306 §4.1.2 peak rate exactly.
    @Test func capEqualsTheTS38306PeakRate() {
        let n78 = LayeredThroughput(layers: 4, modulationOrder: 8, overhead: 0.14, alpha: 0.6)
        let occupied = Double(245 * 12) * 30e3                         // 90 MHz at 30 kHz: 245 RB
        let formula = PeakRate38306.bitsPerSecond(layers: 4, modulationOrder: 8, numerology: 1, resourceBlocks: 245, overhead: 0.14)
        #expect(abs(n78.peakBitsPerSecond(occupiedBandwidthHz: occupied) - formula) < 1)
        #expect(abs(n78.bitsPerSecond(sinrDB: 60, occupiedBandwidthHz: occupied) - formula) < 1)
        // 4 × 8 × 948/1024 × 245 × 12 × 28 000 × 0.86 = 2.097 Gbit/s; with the DDDSU downlink share 0.743: 1.56 Gbit/s.
        #expect(abs(formula / 1e9 - 2.0966) < 0.001)
    }

    /// The LTE overhead 0.19 reproduces the TS 36.306 category 4 peak (150.752 Mbit/s) within 0.5 %.
    @Test func lteOverheadMatchesCategory4() {
        let rate = PeakRate38306.bitsPerSecond(layers: 2, modulationOrder: 6, numerology: 0, resourceBlocks: 100, overhead: 0.19)
        #expect(abs(rate / 150.752e6 - 1) < 0.005)
    }

    /// Rank adaptation over v·α·log2(1 + SINR/v) (the cap per layer binding at high SINR); nothing below −10 dB.
    @Test func rankAndCap() {
        let m = LayeredThroughput(layers: 4, modulationOrder: 8, overhead: 0.14, alpha: 0.6)
        #expect(m.spectralEfficiency(sinrDB: -10.01) == 0)
        #expect(m.spectralEfficiency(sinrDB: -10) > 0)
        // 0 dB: 4 × 0.6 × log2(1.25) = 0.773 bit/s/Hz (the equal-power split favours all layers without a cap).
        #expect(abs(m.spectralEfficiency(sinrDB: 0) - 4 * 0.6 * log2(1.25)) < 1e-12)
        // 40 dB: every layer at its cap 8 × 948/1024 × 0.86 × 14/15 = 5.945 bit/s/Hz.
        let cap = 8 * 948.0 / 1024 * 0.86 * 14 / 15
        #expect(abs(m.peakSpectralEfficiencyPerLayer - cap) < 1e-12)
        #expect(abs(m.spectralEfficiency(sinrDB: 40) - 4 * cap) < 1e-12)
        // 20 dB: below the cap, 4 × 0.6 × log2(1 + 100/4).
        #expect(abs(m.spectralEfficiency(sinrDB: 20) - 4 * 0.6 * log2(26)) < 1e-12)
    }

    /// Only the highest rank is evaluated: it gives what the maximum over every rank 1…v_max gives, bit for bit, from
    /// −10 to 60 dB in 0.01 dB steps, for 1 to 8 layers and the downlink and uplink attenuations.
    @Test func theHighestRankIsAlwaysTheBest() {
        for layers in 1...8 {
            for alpha in [0.6, 0.4] {
                let m = LayeredThroughput(layers: layers, modulationOrder: 8, overhead: 0.14, alpha: alpha)
                for k in -1000...6000 {
                    let sinr = Double(k) / 100
                    let linear = pow(10, sinr / 10)
                    var best = 0.0
                    for v in 1...layers {
                        best = max(best, Double(v) * min(alpha * log2(1 + linear / Double(v)), m.peakSpectralEfficiencyPerLayer))
                    }
                    #expect(m.spectralEfficiency(sinrDB: sinr).bitPattern == best.bitPattern, "\(layers) layers, α \(alpha), \(sinr) dB")
                }
            }
        }
    }

    /// TS 38.213 §7.1.1: P = min(P_CMAX, P0 + 10 log10(2^µ M) + α PL).
    @Test func uplinkPowerControl() {
        let pc = UplinkPowerControl(maxPowerDBm: 23, nominalPowerDBm: -90, alpha: 0.8)
        // 100 RB at 15 kHz, PL 100 dB: −90 + 20 + 80 = 10 dBm.
        #expect(abs(pc.transmitPowerDBm(pathLossDB: 100, resourceBlocks: 100, numerology: 0) - 10) < 1e-9)
        // 245 RB at 30 kHz, PL 130 dB: −90 + 10 log10(490) + 104 = 40.9 → capped at 23 dBm.
        #expect(pc.transmitPowerDBm(pathLossDB: 130, resourceBlocks: 245, numerology: 1) == 23)
    }

    /// TR 36.814 Table A.2.1.1-2: 3 dB down at half the beamwidths, Am 25 dB and SLAv 20 dB floors.
    @Test func macroPanelPattern() {
        let p = AntennaPattern.macroPanel36814(gainDBi: 17)
        #expect(p.gainDBi(azimuthOffDeg: 0, elevationDeg: -6, downtiltDeg: 6) == 17)
        #expect(abs(p.gainDBi(azimuthOffDeg: 35, elevationDeg: -6, downtiltDeg: 6) - 14) < 1e-12)
        #expect(abs(p.gainDBi(azimuthOffDeg: 0, elevationDeg: -11, downtiltDeg: 6) - 14) < 1e-12)
        #expect(p.gainDBi(azimuthOffDeg: 0, elevationDeg: -60, downtiltDeg: 6) == 17 - 20)
        #expect(p.gainDBi(azimuthOffDeg: 180, elevationDeg: -60, downtiltDeg: 6) == 17 - 25)
    }
}
