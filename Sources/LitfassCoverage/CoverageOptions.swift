import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio

/// A rectangle in WGS84 geographic coordinates [degrees], as given on the command line
/// (`--bbox minLon,minLat,maxLon,maxLat`).
public struct GeographicBox: Sendable, Hashable, Codable {
    /// Western edge [degrees east].
    public var minLon: Double
    /// Southern edge [degrees north].
    public var minLat: Double
    /// Eastern edge [degrees east].
    public var maxLon: Double
    /// Northern edge [degrees north].
    public var maxLat: Double

    /// A box from its corners [degrees]; no check (see `parse(_:)` for the checked form).
    public init(minLon: Double, minLat: Double, maxLon: Double, maxLat: Double) {
        self.minLon = minLon
        self.minLat = minLat
        self.maxLon = maxLon
        self.maxLat = maxLat
    }

    /// Parses "minLon,minLat,maxLon,maxLat" [degrees].
    /// - Returns: nil when there are not four numbers, they are out of range, or min ≥ max.
    public static func parse(_ text: String) -> GeographicBox? {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let a = parts[0], let b = parts[1], let c = parts[2], let d = parts[3] else { return nil }
        guard (-180...180).contains(a), (-180...180).contains(c), (-90...90).contains(b), (-90...90).contains(d), a < c, b < d else { return nil }
        return GeographicBox(minLon: a, minLat: b, maxLon: c, maxLat: d)
    }
}

/// The radio assumptions of a coverage run that no scenario states: receiver noise figures, UE
/// power, the TDD split, the RSRP floor. Every value is written into the outputs' metadata.
public struct CoverageAssumptions: Sendable, Hashable, Codable {
    /// UE (downlink receiver) noise figure [dB]. Default 9 dB (3GPP TR 36.942 Table 4.3 / TR 38.802 UE NF).
    public var ueNoiseFigureDB: Double = 9
    /// Base-station (uplink receiver) noise figure [dB]. Default 5 dB (3GPP TR 38.802 gNB NF).
    public var baseStationNoiseFigureDB: Double = 5
    /// UE transmit power [dBm], spread over the whole uplink carrier. Default 23 dBm (power class 3, TS 38.101-1 §6.2.1).
    public var ueTransmitPowerDBm: Double = 23
    /// Base-station receive antenna gain at the pattern maximum [dBi] for the uplink. Default 15 dBi (assumed panel gain).
    public var baseStationReceiveGainDBi: Double = 15
    /// Uplink interference margin (rise over thermal) added to the base-station noise [dB]. Default 3 dB (assumption).
    public var uplinkInterferenceMarginDB: Double = 3
    /// Share of time a TDD carrier sends downlink. Default 0.74: DDDSU with special slot 10:2:2 symbols, (3 + 10/14)/5.
    public var tddDownlinkFraction: Double = (3.0 + 10.0 / 14.0) / 5.0
    /// Share of time a TDD carrier sends uplink. Default 0.23: (1 + 2/14)/5.
    public var tddUplinkFraction: Double = (1.0 + 2.0 / 14.0) / 5.0
    /// RSRP floor [dBm per resource element]: contributions below it are ignored and cells with no
    /// contribution above it are "no service" (nodata). It also sets each sector's range limit: the
    /// free-space distance at which RSRP at the pattern maximum falls to the floor. Default −140 dBm.
    public var rsrpFloorDBm: Double = -140
    /// Load of interfering cells (share of resource elements they occupy); 1 = fully loaded. Default 1.
    public var interfererLoad: Double = 1

    /// The defaults above.
    public init() {}

    /// Every value as "name = value — source" lines, for metadata and the summary.
    public var lines: [String] {
        [
            "UE noise figure = \(ueNoiseFigureDB) dB (3GPP TR 36.942 Table 4.3, TR 38.802)",
            "base-station noise figure = \(baseStationNoiseFigureDB) dB (3GPP TR 38.802)",
            "UE transmit power = \(ueTransmitPowerDBm) dBm over the whole uplink carrier (power class 3, TS 38.101-1)",
            "base-station receive gain = \(baseStationReceiveGainDBi) dBi at the pattern maximum (assumption)",
            "uplink interference margin = \(uplinkInterferenceMarginDB) dB (assumption)",
            String(format: "TDD split (n78 and other TDD bands) = DL %.3f / UL %.3f (DDDSU, S = 10:2:2 symbols; assumption)", tddDownlinkFraction, tddUplinkFraction),
            "RSRP = power per resource element, reference signals not boosted: carrier EIRP − 10 log10(12 N_RB) − path loss (+ pattern)",
            "RSRP floor = \(rsrpFloorDBm) dBm per RE: weaker contributions ignored, range limit from free space at the pattern maximum",
            "interferer load = \(interfererLoad) (co-channel sectors of the same operator, same band and centre frequency)",
            "throughput = 3GPP TR 36.942 Annex A.2 attenuated Shannon (DL alpha 0.6, -10..22 dB; UL alpha 0.4, -10..15 dB) over N_RB x 12 x SCS",
            "uplink path loss = downlink coupling loss of the serving sector (reciprocity; FDD duplex offset ignored)",
        ]
    }
}

/// Options of a coverage run.
public struct CoverageOptions: Sendable {
    /// Operators to compute (by name); nil for all operators of the scenario.
    public var operators: [String]?
    /// Cell size of the grid [m]. Default 2 m.
    public var resolutionMeters: Double = 2
    /// Area to compute in WGS84; nil for the scenario's extent.
    public var area: GeographicBox?
    /// Receiver height above ground outdoors [m]. Default 1.5 m.
    public var receiverHeightMeters: Double = 1.5
    /// Propagation model of the kernel. Default ray casting.
    public var model: PropagationModel = .rayCast
    /// A terrain model raster (any CRS GDAL reads); nil for flat ground.
    public var demPath: String?
    /// Worker threads for the sector windows and the merge (≥ 1). Results do not depend on it.
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// The radio assumptions.
    public var assumptions = CoverageAssumptions()
    /// Grids with more cells than this are refused (memory guard). Default 40 M cells.
    public var maxCells: Int = 40_000_000
    /// Whether a run without any sector is refused (`CoverageError.noSectors`, the default: a map of nothing is
    /// a mistake). The query engine allows it, to answer fibre where no mobile site is known.
    public var requiresSectors = true

    /// The defaults: all operators, 2 m, scenario extent, 1.5 m receivers, ray casting, flat ground.
    public init() {}
}
