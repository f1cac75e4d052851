import Foundation

/// SINR-to-throughput mapping of 3GPP TR 36.942 Annex A.2 (attenuated and truncated Shannon bound).
///
/// `Thr = 0` for SINR < SINR_min; `α log2(1 + SINR)` for SINR_min ≤ SINR < SINR_max;
/// `Thr_max` for SINR ≥ SINR_max (bit/s/Hz).
public struct ShannonMapping: Sendable, Equatable {
    /// Attenuation factor α (implementation losses).
    public var alpha: Double
    /// Minimum SINR of the code set, dB.
    public var minSINRDB: Double
    /// SINR at which the maximum spectral efficiency is reached, dB.
    public var maxSINRDB: Double

    /// Creates a mapping.
    public init(alpha: Double, minSINRDB: Double, maxSINRDB: Double) {
        self.alpha = alpha
        self.minSINRDB = minSINRDB
        self.maxSINRDB = maxSINRDB
    }

    /// TR 36.942 Table A.2-1, downlink: α = 0.6, SINR_min = −10 dB, SINR_max = 22 dB (Thr_max 4.4 bit/s/Hz).
    public static let downlink = ShannonMapping(alpha: 0.6, minSINRDB: -10, maxSINRDB: 22)
    /// TR 36.942 Table A.2-1, uplink: α = 0.4, SINR_min = −10 dB, SINR_max = 15 dB (Thr_max 2.0 bit/s/Hz).
    public static let uplink = ShannonMapping(alpha: 0.4, minSINRDB: -10, maxSINRDB: 15)

    /// Thr_max = α log2(1 + SINR_max), bit/s/Hz.
    public var maxSpectralEfficiency: Double { alpha * log2(1 + pow(10, maxSINRDB / 10)) }

    /// Spectral efficiency, bit/s/Hz, for a SINR in dB.
    @inlinable
    public func spectralEfficiency(sinrDB: Double) -> Double {
        if sinrDB < minSINRDB { return 0 }
        let capped = min(sinrDB, maxSINRDB)
        return alpha * log2(1 + pow(10, capped / 10))
    }

    /// Throughput, bit/s, for a SINR in dB over a bandwidth in Hz.
    @inlinable
    public func throughputBitsPerSecond(sinrDB: Double, bandwidthHz: Double) -> Double {
        spectralEfficiency(sinrDB: sinrDB) * bandwidthHz
    }
}
