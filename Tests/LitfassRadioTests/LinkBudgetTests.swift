import Foundation
import Testing
@testable import LitfassRadio

/// Link budget, TR 36.942 Annex A mapping, TS 38.306 peak rate and band presets.
@Suite struct LinkBudgetTests {
    @Test func budgetArithmetic() {
        #expect(LinkBudget.eirpDBm(txPowerDBm: 46, antennaGainDBi: 17, feederLossDB: 2) == 61)
        #expect(LinkBudget.receivedPowerDBm(eirpDBm: 61, pathLossDB: 130, additionalLossDB: 3, rxAntennaGainDBi: 0) == -72)
        // kTB over 1 Hz is −174 dBm; 20 MHz with NF 7 dB: −174 + 73.0103 + 7.
        #expect(abs(LinkBudget.noisePowerDBm(bandwidthHz: 20e6, noiseFigureDB: 7) - (-174 + 10 * log10(20e6) + 7)) < 1e-12)
        #expect(abs(LinkBudget.noisePowerDBm(bandwidthHz: 1e6, noiseFigureDB: 0) - (-114)) < 1e-12)
        // 46 dBm over 100 LTE RB (1200 subcarriers): 46 − 30.79 = 15.21 dBm per RE.
        #expect(abs(LinkBudget.powerPerResourceElementDBm(totalPowerDBm: 46, resourceBlocks: 100) - (46 - 10 * log10(1200))) < 1e-12)
        let rsrp = LinkBudget.rsrpDBm(totalPowerDBm: 46, resourceBlocks: 100, txAntennaGainDBi: 17, feederLossDB: 2, pathLossDB: 140)
        #expect(abs(rsrp - (46 - 10 * log10(1200) + 15 - 140)) < 1e-12)
        // NR 30 kHz RE noise with NF 9: −174 + 44.77 + 9.
        #expect(abs(LinkBudget.noisePerResourceElementDBm(subcarrierSpacingHz: 30e3, noiseFigureDB: 9) - (-174 + 10 * log10(30e3) + 9)) < 1e-12)
    }

    /// SINR sums interference and noise in linear power: two equal −90 dBm interferers and
    /// −90 dBm noise make −85.23 dBm.
    @Test func sinr() {
        let value = LinkBudget.sinrDB(servingDBm: -70, interferersDBm: [-90, -90], noiseDBm: -90)
        #expect(abs(value - (20 - 10 * log10(3.0))) < 1e-9)
        #expect(abs(LinkBudget.sinrDB(servingDBm: -80, interferersDBm: [Double](), noiseDBm: -100) - 20) < 1e-12)
        let best = LinkBudget.bestServerSINRDB(receivedDBm: [-95, -70, -90], noiseDBm: -90)!
        #expect(best.index == 1)
        #expect(abs(best.sinrDB - (-70 - 10 * log10(pow(10, -9.5) + 2 * pow(10, -9.0)))) < 1e-9)
        #expect(LinkBudget.bestServerSINRDB(receivedDBm: [], noiseDBm: -90) == nil)
    }

    /// TR 36.942 Table A.2-1: DL Thr_max 4.4 bit/s/Hz at 22 dB, UL 2.0 at 15 dB, 0 below −10 dB.
    @Test func shannonMapping() {
        #expect(abs(ShannonMapping.downlink.maxSpectralEfficiency - 4.4) < 0.01)
        #expect(abs(ShannonMapping.uplink.maxSpectralEfficiency - 2.0) < 0.02)
        #expect(ShannonMapping.downlink.spectralEfficiency(sinrDB: -10.01) == 0)
        #expect(abs(ShannonMapping.downlink.spectralEfficiency(sinrDB: 0) - 0.6) < 1e-12)
        #expect(ShannonMapping.downlink.spectralEfficiency(sinrDB: 40) == ShannonMapping.downlink.maxSpectralEfficiency)
        #expect(abs(ShannonMapping.uplink.throughputBitsPerSecond(sinrDB: 0, bandwidthHz: 10e6) - 4e6) < 1e-6)
    }

    /// TS 38.306 §4.1.2 for the common reference case: 4 layers, 256QAM, f = 1, µ = 1, 273 PRB,
    /// FR1 DL overhead 0.14 → about 2.34 Gbit/s.
    @Test func peakRate() {
        let rate = PeakRate38306.bitsPerSecond(layers: 4, modulationOrder: 8, numerology: 1, resourceBlocks: 273,
                                               overhead: PeakRate38306.overhead(frequencyRange2: false, downlink: true))
        let expected = 4.0 * 8 * (948.0 / 1024) * 273 * 12 / (1e-3 / 28) * 0.86
        #expect(abs(rate - expected) < 1)
        #expect(abs(rate / 1e9 - 2.337) < 0.001)
        #expect(PeakRate38306.overhead(frequencyRange2: true, downlink: false) == 0.10)
    }

    @Test func bands() throws {
        let n78 = try #require(Band.named("n78"))
        #expect(n78.duplex == .tdd && n78.centreFrequencyHz == 3.6e9 && n78.numerology == 1 && n78.resourceBlocks == 273)
        #expect(n78.uplinkCentreFrequencyHz == n78.centreFrequencyHz)
        let b20 = try #require(Band.named("LTE800"))
        #expect(b20.name == "B20" && b20.technology == .lte && b20.resourceBlocks == 50)
        #expect(b20.uplinkCentreFrequencyHz == 847e6)   // reverse duplex: uplink above downlink
        #expect(Band.named("b20") == b20 && Band.named("Band 20") == b20 && Band.named("lte 800") == b20)
        #expect(Band.named("LTE1800")?.name == "B3" && Band.named("LTE2600")?.name == "B7")
        for name in ["n1", "n3", "n7", "n28", "B3", "B7"] { #expect(Band.named(name) != nil, "\(name)") }
        #expect(Band.named("n258") == nil)
        // LTE 800, 10 MHz: 46 dBm over 600 subcarriers; RE noise at 15 kHz with NF 7 dB.
        #expect(abs(b20.rsrpDBm(totalPowerDBm: 46, txAntennaGainDBi: 15, pathLossDB: 120) - (46 - 10 * log10(600) + 15 - 120)) < 1e-12)
        #expect(abs(b20.noisePerResourceElementDBm(noiseFigureDB: 7) - (-174 + 10 * log10(15e3) + 7)) < 1e-12)
        #expect(abs(n78.downlinkThroughputBitsPerSecond(sinrDB: 30) - ShannonMapping.downlink.maxSpectralEfficiency * 273 * 12 * 30e3) < 1)
        for band in Band.all {
            #expect(band.centreFrequencyHz - band.channelBandwidthHz / 2 >= band.downlinkLowHz, "\(band)")
            #expect(band.centreFrequencyHz + band.channelBandwidthHz / 2 <= band.downlinkHighHz, "\(band)")
            #expect(band.occupiedBandwidthHz < band.channelBandwidthHz, "\(band)")
        }
    }
}
