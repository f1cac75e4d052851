import Foundation
import LitfassRadio

/// The per-cell (and per-point) radio arithmetic shared by the maps and the point queries, so both
/// give the same numbers: RSRP per resource element, SINR, downlink and uplink throughput.
public struct LinkPhysics: Sendable {
    /// The assumptions (noise figures, UE power, TDD split, load).
    public var assumptions: CoverageAssumptions

    /// The physics under the given assumptions.
    public init(assumptions: CoverageAssumptions) { self.assumptions = assumptions }

    /// RSRP [dBm per RE] from the kernel's received carrier power [dBm]: minus 10 log10(12 N_RB).
    @inlinable public static func rsrpDBm(receivedPowerDBm: Double, resourceElementOffsetDB: Double) -> Double {
        receivedPowerDBm - resourceElementOffsetDB
    }

    /// Linear power [mW] of a level in dBm.
    @inlinable public static func milliwatts(_ dBm: Double) -> Double { exp(dBm * (M_LN10 / 10)) }

    /// Linear power [mW] of a level in dBm, in single precision (the maps' interference sums).
    @inlinable public static func milliwatts(_ dBm: Float) -> Float { exp(dBm * Float(M_LN10 / 10)) }

    /// Downlink SINR [dB]: serving RSRP against the sum of co-channel interferers (per RE, linear
    /// [mW], scaled by the interferer load) plus the UE's thermal noise per RE.
    /// - Parameters:
    ///   - servingDBm: RSRP of the serving sector [dBm per RE].
    ///   - interferenceMilliwatts: Σ of the other co-channel sectors' RSRP [mW per RE].
    ///   - noiseDBm: thermal noise per RE [dBm].
    @inlinable public func sinrDB(servingDBm: Double, interferenceMilliwatts: Double, noiseDBm: Double) -> Double {
        servingDBm - 10 * log10(interferenceMilliwatts * assumptions.interfererLoad + Self.milliwatts(noiseDBm))
    }

    /// Downlink throughput [Mbit/s]: TR 36.942 downlink mapping over N_RB · 12 · SCS, times the TDD
    /// downlink share.
    public func downlinkMbps(sinrDB: Double, sector: SectorRadio) -> Double {
        ShannonMapping.downlink.throughputBitsPerSecond(sinrDB: sinrDB, bandwidthHz: sector.occupiedBandwidthHz)
            * sector.downlinkFraction / 1e6
    }

    /// Uplink SNR [dB] of a UE at a place where the serving sector's RSRP is `rsrpDBm`.
    ///
    /// Coupling loss `L_c = (EIRP − 10 log10(12 N_RB)) − RSRP` (path loss plus the pattern's
    /// attenuation off its maximum); received at the base station `P_UE + G_rx − L_c`; noise
    /// `−174 + 10 log10(N_RB · 12 · SCS) + NF_BS + margin`.
    public func uplinkSNRDB(rsrpDBm: Double, sector: SectorRadio) -> Double {
        let coupling = (sector.eirpDBm - sector.resourceElementOffsetDB) - rsrpDBm
        let received = assumptions.ueTransmitPowerDBm + assumptions.baseStationReceiveGainDBi - coupling
        let noise = LinkBudget.noisePowerDBm(bandwidthHz: sector.occupiedBandwidthHz, noiseFigureDB: assumptions.baseStationNoiseFigureDB)
            + assumptions.uplinkInterferenceMarginDB
        return received - noise
    }

    /// Uplink throughput [Mbit/s]: TR 36.942 uplink mapping of `uplinkSNRDB` over N_RB · 12 · SCS,
    /// times the TDD uplink share.
    public func uplinkMbps(rsrpDBm: Double, sector: SectorRadio) -> Double {
        ShannonMapping.uplink.throughputBitsPerSecond(sinrDB: uplinkSNRDB(rsrpDBm: rsrpDBm, sector: sector),
                                                      bandwidthHz: sector.occupiedBandwidthHz) * sector.uplinkFraction / 1e6
    }
}
