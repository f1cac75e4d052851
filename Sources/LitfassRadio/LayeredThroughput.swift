import Foundation

/// Link throughput with MIMO layers, capped at the 3GPP peak rate of the carrier.
///
/// Spectral efficiency with `v` layers: the transmit power split evenly over the layers, each layer
/// mapped with the attenuated Shannon bound of 3GPP TR 36.942 Annex A.2 and capped at the peak
/// spectral efficiency per layer of TS 38.306 §4.1.2:
/// `SE_v = v · min(α log2(1 + SINR / v), Q_m R_max (1 − OH) · 14 · 2^µ · 10³ / SCS)` [bit/s/Hz]
/// (rank adaptation: the UE reports the rank `v ≤ v_max` that maximises it — in this form always v_max, see
/// `spectralEfficiency`; equal-power split over
/// `v` uncorrelated spatial streams, Telatar 1999, eq. (11) for a diagonal channel). Zero below the
/// code set's minimum SINR (TR 36.942 Table A.2-1). At the cap, `SE · N_RB · 12 · SCS` equals the
/// TS 38.306 §4.1.2 peak rate exactly (`PeakRate38306.bitsPerSecond`).
public struct LayeredThroughput: Sendable, Hashable, Codable {
    /// MIMO layers v_max the UE and the sector support.
    public var layers: Int
    /// Highest modulation order Q_m (6 = 64QAM, 8 = 256QAM).
    public var modulationOrder: Int
    /// Overhead OH of TS 38.306 §4.1.2 (FR1: 0.14 downlink, 0.08 uplink).
    public var overhead: Double
    /// Attenuation α of TR 36.942 Annex A.2 (0.6 downlink, 0.4 uplink).
    public var alpha: Double
    /// SINR below which nothing gets through [dB] (TR 36.942 Table A.2-1: −10 dB).
    public var minSINRDB: Double

    /// Creates a mapping.
    public init(layers: Int, modulationOrder: Int, overhead: Double, alpha: Double, minSINRDB: Double = -10) {
        precondition(layers >= 1 && modulationOrder >= 1)
        self.layers = layers
        self.modulationOrder = modulationOrder
        self.overhead = overhead
        self.alpha = alpha
        self.minSINRDB = minSINRDB
    }

    /// Peak spectral efficiency of one layer per Hz of occupied bandwidth (N_RB · 12 · SCS) [bit/s/Hz]:
    /// `Q_m · R_max · (1 − OH) · 14/15` (TS 38.306 §4.1.2: 14 · 2^µ symbols per ms over 15 · 2^µ kHz).
    public var peakSpectralEfficiencyPerLayer: Double {
        Double(modulationOrder) * PeakRate38306.maxCodeRate * (1 - overhead) * 14.0 / 15.0
    }

    /// Spectral efficiency [bit/s/Hz] at a SINR [dB], over the best rank.
    ///
    /// The best rank is always `layers`: both `v · α log2(1 + SINR/v)` (d/dv of v ln(1 + x/v) is ln(1 + x/v) − (x/v)/(1 + x/v)
    /// > 0) and `v · cap` grow with v, so their minimum does too, and only that rank is evaluated — the value the
    /// maximum over every rank gives, bit for bit (`LayeredThroughputTests`).
    public func spectralEfficiency(sinrDB: Double) -> Double {
        guard sinrDB >= minSINRDB else { return 0 }
        let linear = pow(10, sinrDB / 10)
        let v = Double(layers)
        return max(0, v * min(alpha * log2(1 + linear / v), peakSpectralEfficiencyPerLayer))   // TR 36.942 A.2, capped (TS 38.306 §4.1.2)
    }

    /// Throughput [bit/s] at a SINR [dB] over an occupied bandwidth N_RB · 12 · SCS [Hz].
    public func bitsPerSecond(sinrDB: Double, occupiedBandwidthHz: Double) -> Double {
        spectralEfficiency(sinrDB: sinrDB) * occupiedBandwidthHz
    }

    /// Peak rate [bit/s] over an occupied bandwidth [Hz]: the TS 38.306 §4.1.2 formula.
    public func peakBitsPerSecond(occupiedBandwidthHz: Double) -> Double {
        Double(layers) * peakSpectralEfficiencyPerLayer * occupiedBandwidthHz
    }
}

/// Uplink open-loop power control of 3GPP TS 38.213 §7.1.1 (PUSCH; TS 36.213 §5.1.1.1 for LTE):
/// `P = min(P_CMAX, P_O + 10 log10(2^µ · M_RB) + α · PL)` [dBm].
public struct UplinkPowerControl: Sendable, Hashable, Codable {
    /// P_CMAX: the UE's maximum output power [dBm] (power class 3: 23 dBm, TS 38.101-1 Table 6.2.1-1).
    public var maxPowerDBm: Double
    /// P_O,PUSCH: target received power per 15 kHz resource block [dBm].
    public var nominalPowerDBm: Double
    /// α: fractional path-loss compensation (0…1).
    public var alpha: Double

    /// Creates a power control setting.
    public init(maxPowerDBm: Double, nominalPowerDBm: Double, alpha: Double) {
        self.maxPowerDBm = maxPowerDBm
        self.nominalPowerDBm = nominalPowerDBm
        self.alpha = alpha
    }

    /// Transmit power [dBm] over `resourceBlocks` blocks of numerology µ at a path loss [dB].
    public func transmitPowerDBm(pathLossDB: Double, resourceBlocks: Int, numerology: Int) -> Double {
        // TS 38.213 §7.1.1 eq. for P_PUSCH (no closed-loop term, Δ_TF = 0)
        min(maxPowerDBm, nominalPowerDBm + 10 * log10(pow(2, Double(numerology)) * Double(resourceBlocks)) + alpha * pathLossDB)
    }
}
