import Foundation

/// The approximate maximum data rate of 3GPP TS 38.306 §4.1.2.
///
/// `rate = 10⁻⁶ Σ_j v_layers · Q_m · f · R_max · (N_PRB · 12 / T_s^µ) · (1 − OH)` Mbit/s, with
/// `R_max = 948/1024` and `T_s^µ = 10⁻³ / (14 · 2^µ)` s; this type returns bit/s for one carrier.
public enum PeakRate38306 {
    /// Overhead OH of §4.1.2 for a frequency range and direction.
    /// FR1 downlink 0.14, FR2 downlink 0.18, FR1 uplink 0.08, FR2 uplink 0.10.
    public static func overhead(frequencyRange2: Bool, downlink: Bool) -> Double {
        switch (frequencyRange2, downlink) {
        case (false, true): return 0.14
        case (true, true): return 0.18
        case (false, false): return 0.08
        case (true, false): return 0.10
        }
    }

    /// R_max = 948/1024.
    public static let maxCodeRate = 948.0 / 1024.0

    /// Peak rate of one component carrier, bit/s.
    /// - Parameters:
    ///   - layers: v_layers, MIMO layers (1–8).
    ///   - modulationOrder: Q_m, bits per symbol (2 QPSK, 4 16QAM, 6 64QAM, 8 256QAM, 10 1024QAM).
    ///   - scalingFactor: f (1, 0.8, 0.75 or 0.4).
    ///   - numerology: µ (subcarrier spacing 15 · 2^µ kHz).
    ///   - resourceBlocks: N_PRB^{BW,µ}, the maximum resource-block allocation of the bandwidth.
    ///   - overhead: OH (see `overhead(frequencyRange2:downlink:)`).
    @inlinable
    public static func bitsPerSecond(layers: Int, modulationOrder: Int, scalingFactor: Double = 1, numerology: Int,
                                     resourceBlocks: Int, overhead: Double) -> Double {
        let symbolDuration = 1e-3 / (14 * pow(2, Double(numerology)))
        return Double(layers) * Double(modulationOrder) * scalingFactor * maxCodeRate
            * Double(resourceBlocks * 12) / symbolDuration * (1 - overhead)
    }
}
