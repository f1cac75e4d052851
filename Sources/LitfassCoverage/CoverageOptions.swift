import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

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
    /// UE maximum transmit power P_CMAX [dBm], in total: the UE sends on one uplink carrier at a time
    /// (the one giving the most uplink throughput), so the 23 dBm are never counted twice.
    /// Default 23 dBm (power class 3, TS 38.101-1 Table 6.2.1-1).
    public var ueTransmitPowerDBm: Double = 23
    /// Uplink open-loop power control P_O,PUSCH per 15 kHz resource block [dBm] (TS 38.213 §7.1.1). Default −90 dBm (assumption).
    public var uplinkNominalPowerDBm: Double = -90
    /// Uplink fractional path-loss compensation α (TS 38.213 §7.1.1). Default 0.8 (assumption).
    public var uplinkPathLossCompensation: Double = 0.8
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
    /// Cell load: the share of resource elements every co-channel neighbour occupies, which scales
    /// its interference. Default 0.5 (`radio.cellLoad` of the assumptions file).
    public var interfererLoad: Double = 0.5
    /// Per band name: how much less power a beamforming (massive-MIMO) neighbour sends towards a cell it does not
    /// serve than its peak-beam EIRP [dB]: its beams follow its own users in azimuth, so averaged over their
    /// directions the horizontal array gain is lost towards any other place (n78 64T64R with 8 columns:
    /// 10 log10(8) = 9 dB, the assumptions file's value). Default: none.
    public var beamformingInterferenceDiscountDB: [String: Double] = [:]
    /// Share of its carrier's resource blocks the served user is given (downlink and uplink).
    /// Default 1: the maps show what one active user gets while the neighbours run at `interfererLoad`.
    public var servedUserShare: Double = 1
    /// Downlink MIMO layers and highest modulation order per band name; bands not listed get
    /// `defaultDownlink`. Defaults: n78 4 layers 256QAM, B3 2 layers 256QAM, B20 2 layers 64QAM.
    public var downlinkCapability: [String: BandCapability] = ["n78": BandCapability(layers: 4, modulationOrder: 8),
                                                                "B3": BandCapability(layers: 2, modulationOrder: 8),
                                                                "B20": BandCapability(layers: 2, modulationOrder: 6)]
    /// Downlink capability of a band not in `downlinkCapability`: 2 layers, 64QAM.
    public var defaultDownlink = BandCapability(layers: 2, modulationOrder: 6)
    /// Uplink capability on every band: 1 layer (one UE transmit chain), 64QAM.
    public var uplink = BandCapability(layers: 1, modulationOrder: 6)

    /// MIMO layers and highest modulation order of a link.
    public struct BandCapability: Sendable, Hashable, Codable {
        /// MIMO layers v.
        public var layers: Int
        /// Q_m (6 = 64QAM, 8 = 256QAM).
        public var modulationOrder: Int
        public init(layers: Int, modulationOrder: Int) {
            self.layers = layers
            self.modulationOrder = modulationOrder
        }
    }

    /// These assumptions with the values a scenario's assumptions file states (`radio`) put in.
    public func applying(_ radio: Assumptions.Radio?) -> CoverageAssumptions {
        guard let radio else { return self }
        var a = self
        a.interfererLoad = radio.cellLoad.value
        a.servedUserShare = radio.servedUserShare.value
        a.ueTransmitPowerDBm = radio.ueMaxPowerDBm.value
        a.uplinkNominalPowerDBm = radio.uplinkNominalPowerDBm.value
        a.uplinkPathLossCompensation = radio.uplinkPathLossCompensation.value
        if let discount = radio.beamformingInterferenceDiscountDB {
            a.beamformingInterferenceDiscountDB = discount.mapValues(\.value)
        }
        for (band, layers) in radio.downlinkLayers {
            var c = a.downlink(band: band)
            c.layers = layers.value
            if let q = radio.downlinkModulationOrder[band] { c.modulationOrder = q.value }
            a.downlinkCapability[band] = c
        }
        for (band, q) in radio.downlinkModulationOrder where radio.downlinkLayers[band] == nil {
            a.downlinkCapability[band, default: a.defaultDownlink].modulationOrder = q.value
        }
        return a
    }

    /// The downlink capability of a band (by its preset name).
    public func downlink(band: String) -> BandCapability { downlinkCapability[band] ?? defaultDownlink }

    /// The defaults above.
    public init() {}

    /// Every value as "name = value — source" lines, for metadata and the summary.
    public var lines: [String] {
        [
            "UE noise figure = \(ueNoiseFigureDB) dB (3GPP TR 36.942 Table 4.3, TR 38.802)",
            "base-station noise figure = \(baseStationNoiseFigureDB) dB (3GPP TR 38.802)",
            "UE transmit power = \(formatNumber(ueTransmitPowerDBm)) dBm in total on one uplink carrier at a time (power class 3, TS 38.101-1 Table 6.2.1-1)",
            "uplink power control = P0 \(formatNumber(uplinkNominalPowerDBm)) dBm per 15 kHz RB, alpha \(formatNumber(uplinkPathLossCompensation)) (TS 38.213 §7.1.1; assumption)",
            "base-station receive gain = \(formatNumber(baseStationReceiveGainDBi)) dBi at the pattern maximum (assumption)",
            "uplink interference margin = \(formatNumber(uplinkInterferenceMarginDB)) dB (assumption)",
            String(format: "TDD split (n78 and other TDD bands) = DL %.3f / UL %.3f (DDDSU, S = 10:2:2 symbols; assumption)", tddDownlinkFraction, tddUplinkFraction),
            "RSRP = power per resource element, reference signals not boosted: carrier EIRP − 10 log10(12 N_RB) − path loss (+ pattern)",
            "RSRP floor = \(formatNumber(rsrpFloorDBm)) dBm per RE: weaker contributions ignored, range limit from free space at the pattern maximum",
            "cell load = \(formatNumber(interfererLoad)) (share of resources co-channel neighbours occupy; scales their interference)",
            "served user's share of resources = \(formatNumber(servedUserShare))",
            "beamforming interference discount = " + (beamformingInterferenceDiscountDB.isEmpty ? "none"
                : beamformingInterferenceDiscountDB.keys.sorted().map { "\($0) \(formatNumber(beamformingInterferenceDiscountDB[$0]!)) dB" }.joined(separator: ", ")),
            "downlink layers/modulation = " + downlinkCapability.keys.sorted().map { "\($0) \(downlinkCapability[$0]!.layers)x\(1 << downlinkCapability[$0]!.modulationOrder)QAM" }.joined(separator: ", ")
                + ", others \(defaultDownlink.layers)x\(1 << defaultDownlink.modulationOrder)QAM; uplink \(uplink.layers)x\(1 << uplink.modulationOrder)QAM",
            "throughput = 3GPP TR 36.942 Annex A.2 attenuated Shannon per layer (DL alpha 0.6, UL alpha 0.4, from -10 dB), best rank, capped at the TS 38.306 §4.1.2 peak rate per carrier",
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
    /// Whether the run takes load, MIMO and uplink power control from the scenario's assumptions file
    /// (`radio`), overriding `assumptions`. Default true; set false to use `assumptions` as given.
    public var appliesScenarioAssumptions = true
    /// An upper bound on every sector's range [m] (`--max-range`): cells farther than this from a site get neither its
    /// signal nor its interference. nil (the default) for the free-space range to the RSRP floor, which on any
    /// realistic area reaches every cell; tiled plans need a bound so that a tile needs only the sites near it.
    public var maxRangeMeters: Double?
    /// Most building corners a street-canyon path may turn around (`--corner-turns`, 0…8); nil for the kernel's
    /// default (2). More turns reach more shadowed street cells and cost kernel time (docs/KERNEL.md §2, §8).
    public var maxCornerTurns: Int?
    /// The corner turns the kernel uses: `maxCornerTurns`, or the kernel's default.
    public var cornerTurns: Int { maxCornerTurns ?? KernelSettings().maxCornerTurns }
    /// Folder where a whole run over flat ground keeps its scene (the buildings rasterised onto the grid) for the next
    /// run on the same buildings and grid (`SceneCache`); nil: build the scene every time. Default: the Litfass cache
    /// folder (`$XDG_CACHE_HOME/litfass` or `~/.cache/litfass`).
    public var sceneCacheDirectory: String? = DefaultScenario.cacheDirectory().path
    /// Grids with more cells than this are refused (memory guard). Default 40 M cells.
    public var maxCells: Int = 40_000_000
    /// Whether a run without any sector is refused (`CoverageError.noSectors`, the default: a map of nothing is
    /// a mistake). The query engine allows it, to answer fibre where no mobile site is known.
    public var requiresSectors = true

    /// The defaults: all operators, 2 m, scenario extent, 1.5 m receivers, ray casting, flat ground.
    public init() {}
}
