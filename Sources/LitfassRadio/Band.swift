import Foundation

/// A frequency band preset with the typical carrier used in Germany.
///
/// Band edges from 3GPP TS 36.101 Table 5.5-1 (E-UTRA) and TS 38.101-1 Table 5.2-1 (NR); the carrier
/// centre and bandwidth are typical German deployments (the band's downlink centre for FDD, the
/// German 3.4–3.8 GHz allocation for n78). Resource-block counts from TS 36.101 Table 5.6-1 and
/// TS 38.101-1 Table 5.3.2-1.
public struct Band: Sendable, Equatable, CustomStringConvertible {
    /// Duplex mode.
    public enum Duplex: String, Sendable {
        /// Frequency-division duplex (paired spectrum).
        case fdd = "FDD"
        /// Time-division duplex (unpaired spectrum).
        case tdd = "TDD"
    }
    /// Radio access technology.
    public enum Technology: String, Sendable {
        /// 4G E-UTRA.
        case lte = "LTE"
        /// 5G New Radio.
        case nr = "NR"
    }

    /// Short name, e.g. "n78", "B20".
    public let name: String
    /// Other accepted names, e.g. "LTE800".
    public let aliases: [String]
    /// LTE or NR.
    public let technology: Technology
    /// FDD or TDD.
    public let duplex: Duplex
    /// Downlink band edges, Hz.
    public let downlinkLowHz: Double, downlinkHighHz: Double
    /// Uplink band edges, Hz (equal to the downlink for TDD).
    public let uplinkLowHz: Double, uplinkHighHz: Double
    /// Typical downlink carrier centre frequency, Hz.
    public let centreFrequencyHz: Double
    /// Typical channel bandwidth, Hz.
    public let channelBandwidthHz: Double
    /// Subcarrier spacing, Hz.
    public let subcarrierSpacingHz: Double
    /// Resource blocks of the typical channel at that spacing.
    public let resourceBlocks: Int

    /// Numerology µ (subcarrier spacing = 15 kHz · 2^µ).
    public var numerology: Int { Int(log2(subcarrierSpacingHz / 15_000).rounded()) }
    /// Uplink centre frequency, Hz (the duplex distance applied to the downlink centre for FDD).
    public var uplinkCentreFrequencyHz: Double {
        duplex == .tdd ? centreFrequencyHz : centreFrequencyHz - (downlinkLowHz - uplinkLowHz)
    }
    /// Occupied bandwidth of the resource blocks, Hz (12 subcarriers per block).
    public var occupiedBandwidthHz: Double { Double(resourceBlocks * 12) * subcarrierSpacingHz }

    public var description: String {
        "\(name) (\(technology.rawValue) \(duplex.rawValue), \(centreFrequencyHz / 1e6) MHz, "
            + "\(channelBandwidthHz / 1e6) MHz, \(subcarrierSpacingHz / 1e3) kHz, \(resourceBlocks) RB)"
    }

    /// The presets.
    public static let all: [Band] = [
        Band(name: "n78", aliases: ["NR3600", "3.6GHz"], technology: .nr, duplex: .tdd,
             downlinkLowHz: 3300e6, downlinkHighHz: 3800e6, uplinkLowHz: 3300e6, uplinkHighHz: 3800e6,
             centreFrequencyHz: 3600e6, channelBandwidthHz: 100e6, subcarrierSpacingHz: 30e3, resourceBlocks: 273),
        Band(name: "n1", aliases: ["NR2100"], technology: .nr, duplex: .fdd,
             downlinkLowHz: 2110e6, downlinkHighHz: 2170e6, uplinkLowHz: 1920e6, uplinkHighHz: 1980e6,
             centreFrequencyHz: 2140e6, channelBandwidthHz: 20e6, subcarrierSpacingHz: 15e3, resourceBlocks: 106),
        Band(name: "n3", aliases: ["NR1800"], technology: .nr, duplex: .fdd,
             downlinkLowHz: 1805e6, downlinkHighHz: 1880e6, uplinkLowHz: 1710e6, uplinkHighHz: 1785e6,
             centreFrequencyHz: 1842.5e6, channelBandwidthHz: 20e6, subcarrierSpacingHz: 15e3, resourceBlocks: 106),
        Band(name: "n7", aliases: ["NR2600"], technology: .nr, duplex: .fdd,
             downlinkLowHz: 2620e6, downlinkHighHz: 2690e6, uplinkLowHz: 2500e6, uplinkHighHz: 2570e6,
             centreFrequencyHz: 2655e6, channelBandwidthHz: 20e6, subcarrierSpacingHz: 15e3, resourceBlocks: 106),
        Band(name: "n28", aliases: ["NR700"], technology: .nr, duplex: .fdd,
             downlinkLowHz: 758e6, downlinkHighHz: 803e6, uplinkLowHz: 703e6, uplinkHighHz: 748e6,
             centreFrequencyHz: 780.5e6, channelBandwidthHz: 10e6, subcarrierSpacingHz: 15e3, resourceBlocks: 52),
        Band(name: "B20", aliases: ["LTE800"], technology: .lte, duplex: .fdd,
             downlinkLowHz: 791e6, downlinkHighHz: 821e6, uplinkLowHz: 832e6, uplinkHighHz: 862e6,
             centreFrequencyHz: 806e6, channelBandwidthHz: 10e6, subcarrierSpacingHz: 15e3, resourceBlocks: 50),
        Band(name: "B3", aliases: ["LTE1800"], technology: .lte, duplex: .fdd,
             downlinkLowHz: 1805e6, downlinkHighHz: 1880e6, uplinkLowHz: 1710e6, uplinkHighHz: 1785e6,
             centreFrequencyHz: 1842.5e6, channelBandwidthHz: 20e6, subcarrierSpacingHz: 15e3, resourceBlocks: 100),
        Band(name: "B7", aliases: ["LTE2600"], technology: .lte, duplex: .fdd,
             downlinkLowHz: 2620e6, downlinkHighHz: 2690e6, uplinkLowHz: 2500e6, uplinkHighHz: 2570e6,
             centreFrequencyHz: 2655e6, channelBandwidthHz: 20e6, subcarrierSpacingHz: 15e3, resourceBlocks: 100),
    ]

    /// Finds a preset by name or alias, ignoring case, spaces, dashes and a "Band " prefix
    /// ("n78", "B20", "LTE800", "lte 1800", "band 7").
    /// - Returns: nil when no preset matches.
    public static func named(_ name: String) -> Band? {
        func normalise(_ s: String) -> String {
            var t = s.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" }
            if t.hasPrefix("band") { t = "b" + t.dropFirst(4) }
            return t
        }
        let key = normalise(name)
        return all.first { band in ([band.name] + band.aliases).contains { normalise($0) == key } }
    }
}
