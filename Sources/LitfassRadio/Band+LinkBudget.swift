import Foundation

extension Band {
    /// Noise power in one resource element of this band's numerology, dBm:
    /// `−174 + 10 log10(Δf) + NF`.
    public func noisePerResourceElementDBm(noiseFigureDB: Double) -> Double {
        LinkBudget.noisePerResourceElementDBm(subcarrierSpacingHz: subcarrierSpacingHz, noiseFigureDB: noiseFigureDB)
    }

    /// RSRP for this band's typical carrier (its resource blocks), dBm. See `LinkBudget.rsrpDBm`.
    public func rsrpDBm(totalPowerDBm: Double, txAntennaGainDBi: Double, feederLossDB: Double = 0,
                        pathLossDB: Double, rxAntennaGainDBi: Double = 0) -> Double {
        LinkBudget.rsrpDBm(totalPowerDBm: totalPowerDBm, resourceBlocks: resourceBlocks, txAntennaGainDBi: txAntennaGainDBi,
                           feederLossDB: feederLossDB, pathLossDB: pathLossDB, rxAntennaGainDBi: rxAntennaGainDBi)
    }

    /// Downlink throughput of the typical carrier for a SINR, bit/s (TR 36.942 Annex A.2 over the
    /// occupied bandwidth of the resource blocks).
    public func downlinkThroughputBitsPerSecond(sinrDB: Double, mapping: ShannonMapping = .downlink) -> Double {
        mapping.throughputBitsPerSecond(sinrDB: sinrDB, bandwidthHz: occupiedBandwidthHz)
    }
}
