import Foundation

/// Link budget arithmetic in dB: EIRP, received power, thermal noise, RSRP, SINR.
///
/// All powers in dBm, gains and losses in dB(i), bandwidths in Hz.
public enum LinkBudget {
    /// Thermal noise density at 290 K, dBm/Hz (kT ≈ −174 dBm/Hz).
    public static let thermalNoiseDensityDBmPerHz = -174.0

    /// Converts dBm to milliwatts.
    @inlinable public static func milliwatts(dBm: Double) -> Double { pow(10, dBm / 10) }
    /// Converts milliwatts to dBm (−∞ for 0).
    @inlinable public static func dBm(milliwatts: Double) -> Double { 10 * log10(milliwatts) }

    /// EIRP, dBm: `P_tx + G_antenna − L_feeder`.
    /// - Parameters:
    ///   - txPowerDBm: power at the transmitter output, dBm.
    ///   - antennaGainDBi: antenna gain towards the receiver, dBi.
    ///   - feederLossDB: cable, connector and combiner losses, dB (≥ 0).
    @inlinable
    public static func eirpDBm(txPowerDBm: Double, antennaGainDBi: Double, feederLossDB: Double = 0) -> Double {
        txPowerDBm + antennaGainDBi - feederLossDB
    }

    /// Received power, dBm: `EIRP − L_path − L_other + G_rx − L_rx,feeder`.
    @inlinable
    public static func receivedPowerDBm(eirpDBm: Double, pathLossDB: Double, additionalLossDB: Double = 0,
                                        rxAntennaGainDBi: Double = 0, rxFeederLossDB: Double = 0) -> Double {
        eirpDBm - pathLossDB - additionalLossDB + rxAntennaGainDBi - rxFeederLossDB
    }

    /// Thermal noise power in a bandwidth, dBm: `−174 + 10 log10(B) + NF`.
    /// - Parameters:
    ///   - bandwidthHz: noise bandwidth, Hz.
    ///   - noiseFigureDB: receiver noise figure, dB.
    @inlinable
    public static func noisePowerDBm(bandwidthHz: Double, noiseFigureDB: Double) -> Double {
        thermalNoiseDensityDBmPerHz + 10 * log10(bandwidthHz) + noiseFigureDB
    }

    /// Transmit power per resource element, dBm: the total power spread evenly over
    /// `resourceBlocks × 12` subcarriers (3GPP: 12 subcarriers per resource block).
    /// - Parameters:
    ///   - totalPowerDBm: total transmit power of the carrier, dBm.
    ///   - resourceBlocks: number of resource blocks of the carrier.
    @inlinable
    public static func powerPerResourceElementDBm(totalPowerDBm: Double, resourceBlocks: Int) -> Double {
        totalPowerDBm - 10 * log10(Double(resourceBlocks * 12))
    }

    /// RSRP (reference-signal received power per resource element), dBm, assuming the reference
    /// signal gets the average power per resource element (no boosting).
    ///
    /// `RSRP = P_total − 10 log10(12 N_RB) + G_tx − L_feeder − L_path + G_rx` (3GPP TS 36.214 §5.1.1 /
    /// TS 38.215 §5.1.1 define RSRP as the linear average over the reference-signal resource elements).
    /// - Parameters:
    ///   - totalPowerDBm: total carrier power at the antenna connector, dBm.
    ///   - resourceBlocks: N_RB of the carrier (e.g. 50 for LTE 10 MHz, 273 for NR 100 MHz at 30 kHz).
    ///   - txAntennaGainDBi, feederLossDB: transmit side, dB.
    ///   - pathLossDB: path loss plus any other propagation losses, dB.
    ///   - rxAntennaGainDBi: receive antenna gain, dBi.
    @inlinable
    public static func rsrpDBm(totalPowerDBm: Double, resourceBlocks: Int, txAntennaGainDBi: Double,
                               feederLossDB: Double = 0, pathLossDB: Double, rxAntennaGainDBi: Double = 0) -> Double {
        powerPerResourceElementDBm(totalPowerDBm: totalPowerDBm, resourceBlocks: resourceBlocks)
            + txAntennaGainDBi - feederLossDB - pathLossDB + rxAntennaGainDBi
    }

    /// Noise power in one resource element (one subcarrier), dBm: `−174 + 10 log10(Δf) + NF`.
    /// - Parameters:
    ///   - subcarrierSpacingHz: 15 000 · 2^µ Hz.
    ///   - noiseFigureDB: receiver noise figure, dB.
    @inlinable
    public static func noisePerResourceElementDBm(subcarrierSpacingHz: Double, noiseFigureDB: Double) -> Double {
        noisePowerDBm(bandwidthHz: subcarrierSpacingHz, noiseFigureDB: noiseFigureDB)
    }

    /// SINR, dB, from a serving signal, a set of interferers and the noise, all in dBm on the same
    /// bandwidth basis: `S / (Σ I_k + N)` summed in linear power.
    /// - Parameters:
    ///   - servingDBm: wanted signal power, dBm.
    ///   - interferersDBm: interfering powers, dBm (may be empty).
    ///   - noiseDBm: noise power, dBm.
    @inlinable
    public static func sinrDB(servingDBm: Double, interferersDBm: some Sequence<Double>, noiseDBm: Double) -> Double {
        var denominator = milliwatts(dBm: noiseDBm)
        for i in interferersDBm { denominator += milliwatts(dBm: i) }
        return servingDBm - dBm(milliwatts: denominator)
    }

    /// SINR, dB, of the strongest of several received signals against all others plus noise.
    /// - Returns: nil for an empty set.
    public static func bestServerSINRDB(receivedDBm: [Double], noiseDBm: Double) -> (index: Int, sinrDB: Double)? {
        guard let best = receivedDBm.indices.max(by: { receivedDBm[$0] < receivedDBm[$1] }) else { return nil }
        var total = milliwatts(dBm: noiseDBm)
        for (i, p) in receivedDBm.enumerated() where i != best { total += milliwatts(dBm: p) }
        return (best, receivedDBm[best] - dBm(milliwatts: total))
    }
}
