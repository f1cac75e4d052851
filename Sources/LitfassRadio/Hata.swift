import Foundation

/// Okumura-Hata (150–1500 MHz) and COST-231-Hata (1500–2000 MHz) median path loss, as in the
/// COST 231 final report §4.4 eqs. (4.4.1)–(4.4.3). Frequencies Hz, distances m, heights m, dB.
public enum Hata {
    /// The environment correction.
    public enum Environment: String, Sendable, CaseIterable {
        /// Urban, large (metropolitan) city: large-city a(h_m), C_m = 3 dB above 1.5 GHz.
        case urbanLarge = "urban-large"
        /// Urban, small or medium city.
        case urbanSmallMedium = "urban-small"
        /// Suburban (Okumura-Hata correction below 1.5 GHz).
        case suburban
        /// Open area (Okumura-Hata correction below 1.5 GHz).
        case open
    }

    /// Mobile antenna correction a(h_m), dB: large city `3.2 (log10(11.75 h_m))² − 4.97` (f ≥ 300 MHz),
    /// small/medium city `(1.1 log10 f − 0.7) h_m − (1.56 log10 f − 0.8)`, f in MHz.
    @inlinable
    public static func mobileHeightCorrectionDB(frequencyHz: Double, mobileHeightMeters hm: Double, largeCity: Bool) -> Double {
        let logF = log10(frequencyHz * 1e-6)
        if largeCity {
            let t = log10(11.75 * hm)
            return 3.2 * t * t - 4.97
        }
        return (1.1 * logF - 0.7) * hm - (1.56 * logF - 0.8)
    }

    /// Median path loss, dB. Below 1.5 GHz Okumura-Hata: `69.55 + 26.16 log f − 13.82 log h_b − a(h_m)
    /// + (44.9 − 6.55 log h_b) log d`, with the suburban correction `− 2 (log(f/28))² − 5.4` and the
    /// open-area correction `− 4.78 (log f)² + 18.33 log f − 40.94`. From 1.5 GHz COST-231-Hata:
    /// `46.3 + 33.9 log f − 13.82 log h_b − a(h_m) + (44.9 − 6.55 log h_b) log d + C_m`,
    /// C_m = 3 dB for large (metropolitan) cities, else 0. f in MHz, d in km.
    /// The open and suburban corrections use the small/medium-city a(h_m).
    @inlinable
    public static func pathLossDB(distanceMeters: Double, frequencyHz: Double, baseHeightMeters hb: Double,
                                  mobileHeightMeters hm: Double, environment: Environment) -> Double {
        let fMHz = frequencyHz * 1e-6
        let logF = log10(fMHz), logHb = log10(hb), logD = log10(distanceMeters / 1000)
        let a = mobileHeightCorrectionDB(frequencyHz: frequencyHz, mobileHeightMeters: hm,
                                         largeCity: environment == .urbanLarge)
        if fMHz <= 1500 {
            let urban = 69.55 + 26.16 * logF - 13.82 * logHb - a + (44.9 - 6.55 * logHb) * logD
            switch environment {
            case .urbanLarge, .urbanSmallMedium: return urban
            case .suburban:
                let t = log10(fMHz / 28)
                return urban - 2 * t * t - 5.4
            case .open: return urban - 4.78 * logF * logF + 18.33 * logF - 40.94
            }
        }
        let cm = environment == .urbanLarge ? 3.0 : 0.0
        return 46.3 + 33.9 * logF - 13.82 * logHb - a + (44.9 - 6.55 * logHb) * logD + cm
    }
}
