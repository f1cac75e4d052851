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
    ///   - interferenceFactor: the share of a neighbour's peak-beam power that reaches the cell on average
    ///     (1 without beamforming; see `CoverageAssumptions.beamformingInterferenceDiscountDB`).
    @inlinable public func sinrDB(servingDBm: Double, interferenceMilliwatts: Double, noiseDBm: Double, interferenceFactor: Double = 1) -> Double {
        servingDBm - 10 * log10(interferenceMilliwatts * assumptions.interfererLoad * interferenceFactor + Self.milliwatts(noiseDBm))
    }

    /// Downlink throughput [Mbit/s] of the served user: MIMO layers and the TS 38.306 peak cap
    /// (`LayeredThroughput`) over its share of the carrier, times the TDD downlink share.
    public func downlinkMbps(sinrDB: Double, sector: SectorRadio) -> Double {
        sector.downlink.bitsPerSecond(sinrDB: sinrDB, occupiedBandwidthHz: sector.occupiedBandwidthHz * assumptions.servedUserShare)
            * sector.downlinkFraction / 1e6
    }

    /// Resource blocks the served user transmits on in the uplink: its share of N_RB, at least one.
    public func uplinkResourceBlocks(sector: SectorRadio) -> Int {
        max(1, Int((Double(sector.resourceBlocks) * assumptions.servedUserShare).rounded()))
    }

    /// Uplink SNR [dB] of a UE at a place where the serving sector's RSRP is `rsrpDBm`.
    ///
    /// Coupling loss `L_c = (EIRP − 10 log10(12 N_RB)) − RSRP` (path loss plus the pattern's
    /// attenuation off its maximum, antenna gain included); the path loss the UE's power control
    /// sees is `PL = L_c − G_rx` (TS 38.213 §7.1.1: referenceSignalPower − RSRP, at the antenna
    /// connector). UE power `P = min(P_CMAX, P_O + 10 log10(2^µ M) + α PL)` (TS 38.213 §7.1.1) over
    /// M resource blocks; received `P + G_rx − L_c`; noise `−174 + 10 log10(M · 12 · SCS) + NF_BS + margin`.
    public func uplinkSNRDB(rsrpDBm: Double, sector: SectorRadio) -> Double {
        let coupling = (sector.eirpDBm - sector.resourceElementOffsetDB) - rsrpDBm
        let pathLoss = coupling - assumptions.baseStationReceiveGainDBi
        let blocks = uplinkResourceBlocks(sector: sector)
        let control = UplinkPowerControl(maxPowerDBm: assumptions.ueTransmitPowerDBm, nominalPowerDBm: assumptions.uplinkNominalPowerDBm,
                                         alpha: assumptions.uplinkPathLossCompensation)
        let power = control.transmitPowerDBm(pathLossDB: pathLoss, resourceBlocks: blocks, numerology: sector.numerology)
        let received = power - pathLoss
        let noise = LinkBudget.noisePowerDBm(bandwidthHz: Double(blocks * 12) * sector.subcarrierSpacingHz,
                                             noiseFigureDB: assumptions.baseStationNoiseFigureDB) + assumptions.uplinkInterferenceMarginDB
        return received - noise
    }

    /// Uplink throughput [Mbit/s] on this carrier: `LayeredThroughput` (TR 36.942 uplink α = 0.4, TS 38.306
    /// uplink cap) of `uplinkSNRDB` over the user's M · 12 · SCS, times the TDD uplink share.
    public func uplinkMbps(rsrpDBm: Double, sector: SectorRadio) -> Double {
        let bandwidth = Double(uplinkResourceBlocks(sector: sector) * 12) * sector.subcarrierSpacingHz
        return sector.uplink.bitsPerSecond(sinrDB: uplinkSNRDB(rsrpDBm: rsrpDBm, sector: sector), occupiedBandwidthHz: bandwidth)
            * sector.uplinkFraction / 1e6
    }
}
