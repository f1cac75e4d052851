import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// Resource-block counts of LTE and NR carriers.
public enum ResourceGrid {
    /// N_RB of an LTE channel by bandwidth [MHz] (3GPP TS 36.101 Table 5.6-1).
    static let lte: [Double: Int] = [1.4: 6, 3: 15, 5: 25, 10: 50, 15: 75, 20: 100]
    /// N_RB of an NR FR1 channel at 15 kHz by bandwidth [MHz] (TS 38.101-1 Table 5.3.2-1).
    static let nr15: [Double: Int] = [5: 25, 10: 52, 15: 79, 20: 106, 25: 133, 30: 160, 40: 216, 50: 270]
    /// N_RB of an NR FR1 channel at 30 kHz by bandwidth [MHz] (TS 38.101-1 Table 5.3.2-1).
    static let nr30: [Double: Int] = [5: 11, 10: 24, 15: 38, 20: 51, 25: 65, 30: 78, 40: 106, 50: 133, 60: 162,
                                      70: 189, 80: 217, 90: 245, 100: 273]

    /// Resource blocks of a carrier of `band` (its technology and subcarrier spacing) with the given
    /// channel bandwidth [Hz]: the 3GPP table value, or for a bandwidth the tables do not list, the
    /// preset's occupancy (N_RB · 12 · SCS / channel bandwidth) scaled to it.
    public static func resourceBlocks(band: Band, bandwidthHz: Double) -> Int {
        let mhz = (bandwidthHz / 1e5).rounded() / 10
        let table: [Double: Int]
        switch (band.technology, band.subcarrierSpacingHz) {
        case (.lte, _): table = lte
        case (.nr, 15_000): table = nr15
        case (.nr, 30_000): table = nr30
        default: table = [:]
        }
        if let n = table[mhz] { return n }
        let occupancy = band.occupiedBandwidthHz / band.channelBandwidthHz
        return max(1, Int((bandwidthHz * occupancy / (12 * band.subcarrierSpacingHz)).rounded(.down)))
    }
}

/// The numbers of one sector the per-cell arithmetic needs (plain values, cheap to copy in inner loops).
public struct SectorRadio: Sendable, Hashable {
    /// EIRP over the carrier at the pattern maximum [dBm].
    public var eirpDBm: Double
    /// N_RB of the carrier.
    public var resourceBlocks: Int
    /// 10 log10(12 N_RB) [dB]: carrier power to power per resource element.
    public var resourceElementOffsetDB: Double
    /// Bandwidth the throughput is computed over [Hz]: N_RB · 12 · SCS.
    public var occupiedBandwidthHz: Double
    /// Share of time the carrier sends downlink (1 for FDD).
    public var downlinkFraction: Double
    /// Share of time the carrier sends uplink (1 for FDD).
    public var uplinkFraction: Double
    /// Subcarrier spacing [Hz].
    public var subcarrierSpacingHz: Double
    /// Downlink layers, modulation and peak cap (TS 38.306 §4.1.2, FR1 OH 0.14; for LTE 0.19, see `RadioPlan`).
    public var downlink: LayeredThroughput
    /// Uplink layers, modulation and peak cap (TS 38.306 §4.1.2, FR1 OH 0.08).
    public var uplink: LayeredThroughput
    /// Numerology µ (SCS = 15 kHz · 2^µ).
    public var numerology: Int { Int(log2(subcarrierSpacingHz / 15_000).rounded()) }
}

/// One sector of the run, ready for the kernel: the scenario's sector, its transmitter and its numerology.
public struct PlannedSector: Sendable {
    /// The scenario's sector.
    public var sector: Sector
    /// The transmitter handed to the kernel (range limit included).
    public var transmitter: Transmitter
    /// Numerology and power of the sector.
    public var radio: SectorRadio
    /// N_RB of the carrier.
    public var resourceBlocks: Int { radio.resourceBlocks }
    /// 10 log10(12 N_RB) [dB].
    public var resourceElementOffsetDB: Double { radio.resourceElementOffsetDB }
    /// The carrier layer (index into `RadioPlan.layers`).
    public var layer: Int
    /// The operator (index into `RadioPlan.operators`).
    public var operatorIndex: Int
    /// Position in the operator's sector list: the value of the best-server map.
    public var indexInOperator: Int
}

/// One carrier of one operator: the sectors that radiate it, co-channel with each other.
public struct CarrierLayer: Sendable {
    /// Operator of the layer.
    public var operatorName: String
    /// The band as the sectors name it ("n78", "B3").
    public var bandName: String
    /// The band preset (technology, duplex, subcarrier spacing).
    public var band: Band
    /// Centre frequency [Hz].
    public var centreFrequencyHz: Double
    /// Subcarrier spacing [Hz].
    public var subcarrierSpacingHz: Double
    /// Thermal noise in one resource element at the UE [dBm]: −174 + 10 log10(SCS) + NF_UE.
    public var noisePerResourceElementDBm: Double
    /// Indices into `RadioPlan.sectors`, in sector order.
    public var sectors: [Int]
    /// Share of a co-channel neighbour's peak-beam power that reaches a cell on average: 10^(−discount/10) with the
    /// band's beamforming discount (1 for carriers without beamforming).
    public var interferenceFactor: Double = 1

    /// "n78 3600 MHz".
    public var label: String { "\(bandName) \(formatMHz(centreFrequencyHz)) MHz" }
}

/// One operator: its carrier layers and sectors.
public struct OperatorPlan: Sendable {
    /// Operator name.
    public var name: String
    /// Indices into `RadioPlan.layers`, in the order the operator's carriers first appear.
    public var layers: [Int]
    /// Indices into `RadioPlan.sectors`, in sector order (the best-server legend order).
    public var sectors: [Int]
}

/// The sectors of a run grouped into operators and co-channel carrier layers, with transmitters.
public struct RadioPlan: Sendable {
    /// Every sector of the selected operators, in scenario order.
    public var sectors: [PlannedSector]
    /// Carrier layers (operator × band × centre frequency).
    public var layers: [CarrierLayer]
    /// Operators in the order they first appear.
    public var operators: [OperatorPlan]

    /// Plans the scenario's sectors of the selected operators.
    /// - Parameters:
    ///   - grid: the scene grid; ranges are capped at the farthest grid corner.
    /// - Throws: `CoverageError` for an unknown band, a pattern that cannot be loaded, an unknown operator.
    public init(scenario: Scenario, options: CoverageOptions, grid: RasterGrid) throws {
        let available = scenario.operatorNames
        if let wanted = options.operators {
            for name in wanted where !available.contains(name) {
                throw CoverageError.unknownOperator(name: name, available: available)
            }
        }
        let selected = Set(options.operators ?? available)
        let chosen = scenario.sectorsInEffect.filter { selected.contains($0.operatorName) }
        guard !chosen.isEmpty || !options.requiresSectors else { throw CoverageError.noSectors }
        var patterns: [String: AntennaPattern] = [:]
        var sectors: [PlannedSector] = []
        var layers: [CarrierLayer] = []
        var operators: [OperatorPlan] = []
        let a = options.assumptions
        for sector in chosen {
            guard let band = Band.named(sector.band) else { throw CoverageError.unknownBand(sector: sector.id, band: sector.band) }
            let pattern = try patterns[sector.pattern] ?? Self.pattern(named: sector.pattern, sector: sector.id)
            patterns[sector.pattern] = pattern
            let operatorIndex: Int
            if let i = operators.firstIndex(where: { $0.name == sector.operatorName }) { operatorIndex = i } else {
                operators.append(OperatorPlan(name: sector.operatorName, layers: [], sectors: []))
                operatorIndex = operators.count - 1
            }
            let layerIndex: Int
            if let i = layers.firstIndex(where: { $0.operatorName == sector.operatorName && $0.band.name == band.name
                                                   && $0.centreFrequencyHz == sector.centreFrequencyHz }) {
                layerIndex = i
            } else {
                layers.append(CarrierLayer(
                    operatorName: sector.operatorName, bandName: sector.band, band: band, centreFrequencyHz: sector.centreFrequencyHz,
                    subcarrierSpacingHz: band.subcarrierSpacingHz,
                    noisePerResourceElementDBm: LinkBudget.noisePerResourceElementDBm(subcarrierSpacingHz: band.subcarrierSpacingHz,
                                                                                      noiseFigureDB: a.ueNoiseFigureDB),
                    sectors: [], interferenceFactor: pow(10, -(a.beamformingInterferenceDiscountDB[band.name] ?? 0) / 10)))
                layerIndex = layers.count - 1
                operators[operatorIndex].layers.append(layerIndex)
            }
            let rb = ResourceGrid.resourceBlocks(band: band, bandwidthHz: sector.bandwidthHz)
            let offset = 10 * log10(Double(12 * rb))
            let site = scenario.sites.first { $0.id == sector.siteID }
            guard let site else { throw CoverageError.area("sector \(sector.id) names site \(sector.siteID), which the scenario does not have") }
            let range = Self.rangeMeters(eirpPerResourceElementDBm: sector.eirpDBm - offset, floorDBm: a.rsrpFloorDBm,
                                         frequencyHz: sector.centreFrequencyHz, from: site.location, grid: grid,
                                         limitMeters: options.maxRangeMeters)
            let transmitter = Transmitter(id: sector.id, position: site.location, antennaHeightMeters: sector.antennaHeightMeters,
                                          frequencyHz: sector.centreFrequencyHz, eirpDBm: sector.eirpDBm, pattern: pattern,
                                          azimuthDegrees: sector.azimuthDegrees, downtiltDegrees: sector.downtiltDegrees,
                                          maxRangeMeters: range,
                                          pathLossBudgetDB: Self.pathLossBudgetDB(eirpPerResourceElementDBm: sector.eirpDBm - offset,
                                                                                  floorDBm: a.rsrpFloorDBm))
            let tdd = band.duplex == .tdd
            let index = sectors.count
            let dl = a.downlink(band: band.name), ul = a.uplink
            let radio = SectorRadio(eirpDBm: sector.eirpDBm, resourceBlocks: rb, resourceElementOffsetDB: offset,
                                    occupiedBandwidthHz: Double(rb * 12) * band.subcarrierSpacingHz,
                                    downlinkFraction: tdd ? a.tddDownlinkFraction : 1, uplinkFraction: tdd ? a.tddUplinkFraction : 1,
                                    subcarrierSpacingHz: band.subcarrierSpacingHz,
                                    downlink: LayeredThroughput(layers: dl.layers, modulationOrder: dl.modulationOrder,
                                                                overhead: Self.downlinkOverhead(band), alpha: ShannonMapping.downlink.alpha,
                                                                minSINRDB: ShannonMapping.downlink.minSINRDB),
                                    uplink: LayeredThroughput(layers: ul.layers, modulationOrder: ul.modulationOrder,
                                                              overhead: PeakRate38306.overhead(frequencyRange2: false, downlink: false),
                                                              alpha: ShannonMapping.uplink.alpha, minSINRDB: ShannonMapping.uplink.minSINRDB))
            sectors.append(PlannedSector(
                sector: sector, transmitter: transmitter, radio: radio,
                layer: layerIndex, operatorIndex: operatorIndex, indexInOperator: operators[operatorIndex].sectors.count))
            operators[operatorIndex].sectors.append(index)
            layers[layerIndex].sectors.append(index)
        }
        // Co-located sectors that differ only in EIRP (two operators on one mast) share one kernel run
        // (`TransmitterGroups`) with the largest power budget among them: a larger budget changes no value at or above a
        // sector's own floor (docs/KERNEL.md §2, "The power budget"), so each sector's map is the one its own budget
        // gives, whatever else the run holds.
        let unbudgeted = sectors.map { planned -> Transmitter in
            var t = planned.transmitter
            t.pathLossBudgetDB = .infinity
            return t
        }
        for members in TransmitterGroups(unbudgeted).members where members.count > 1 {
            let budget = members.map { sectors[$0].transmitter.pathLossBudgetDB }.max()!
            for m in members { sectors[m].transmitter.pathLossBudgetDB = budget }
        }
        self.sectors = sectors
        self.layers = layers
        self.operators = operators
    }

    /// Downlink overhead OH of the peak-rate formula: TS 38.306 §4.1.2 FR1 downlink 0.14 for NR; for
    /// LTE 0.19, the value with which the same formula gives the TS 36.306 Table 4.1-1 category 4 peak
    /// (150.752 Mbit/s for 20 MHz, 2 layers, 64QAM: 2 · 6 · 948/1024 · 1200 · 14 000 · (1 − 0.19) = 151.2 Mbit/s).
    public static func downlinkOverhead(_ band: Band) -> Double {
        band.technology == .lte ? 0.19 : PeakRate38306.overhead(frequencyRange2: false, downlink: true)
    }

    /// The power budget of a sector's corner paths [dB] (`Transmitter.pathLossBudgetDB`): the loss relative to the
    /// pattern maximum at which the power per resource element falls to the RSRP floor, EIRP per RE − floor (the same
    /// budget as `rangeMeters`). A corner path beyond it reaches the floor before it reaches a receiver.
    public static func pathLossBudgetDB(eirpPerResourceElementDBm: Double, floorDBm: Double) -> Double {
        eirpPerResourceElementDBm - floorDBm
    }

    /// The range limit of a sector [m]: the free-space distance (ITU-R P.525) at which the power
    /// per resource element at the pattern maximum falls to the floor, capped at the distance to the
    /// farthest grid corner (the kernel computes nothing beyond the grid anyway) and at `limitMeters` when given.
    /// - Parameters:
    ///   - eirpPerResourceElementDBm: EIRP at the pattern maximum per resource element [dBm].
    ///   - floorDBm: RSRP floor [dBm per RE].
    ///   - frequencyHz: carrier frequency [Hz].
    public static func rangeMeters(eirpPerResourceElementDBm: Double, floorDBm: Double, frequencyHz: Double,
                                   from position: MapPoint, grid: RasterGrid, limitMeters: Double? = nil) -> Double {
        let allowedLoss = pathLossBudgetDB(eirpPerResourceElementDBm: eirpPerResourceElementDBm, floorDBm: floorDBm)
        let oneMeter = FreeSpace.pathLossDB(distanceMeters: 1, frequencyHz: frequencyHz)
        let freeSpace = pow(10, (allowedLoss - oneMeter) / 20)
        let corners = [MapPoint(x: grid.minX, y: grid.minY), MapPoint(x: grid.maxX, y: grid.minY),
                       MapPoint(x: grid.minX, y: grid.maxY), MapPoint(x: grid.maxX, y: grid.maxY)]
        let farthest = corners.map { $0.distance(to: position) }.max()! + grid.cellSizeMeters
        return max(0, min(freeSpace, farthest, limitMeters ?? .infinity))
    }

    /// The antenna pattern of a sector: "omni", "macro-panel" (TR 36.814 Table A.2.1.1-2, 70°/10°, 17 dBi),
    /// "3gpp-sector" (the TR 38.901 Table 7.3-1 single element, 65°/65°, 8 dBi) or an .msi file.
    /// - Throws: `CoverageError.pattern` naming the sector and the file's problem.
    public static func pattern(named name: String, sector: String) throws -> AntennaPattern {
        switch name.lowercased() {
        case "omni": return .omni
        case "macro-panel", "36814-panel": return .macroPanel36814()
        case "3gpp-sector", "3gpp", "sector": return .sector3GPP()
        default:
            guard name.lowercased().hasSuffix(".msi") || name.lowercased().hasSuffix(".pln") || name.lowercased().hasSuffix(".txt") else {
                throw CoverageError.pattern(sector: sector, message: "'\(name)' is neither omni, macro-panel, 3gpp-sector nor an .msi file")
            }
            do { return try AntennaPattern.loadMSI(path: name).pattern } catch {
                throw CoverageError.pattern(sector: sector, message: "\(error)")
            }
        }
    }
}

/// "3600" for 3.6e9 Hz, "1842.5" for 1.8425e9 Hz.
func formatMHz(_ hz: Double) -> String {
    let mhz = hz / 1e6
    return mhz == mhz.rounded() ? String(Int(mhz)) : String(format: "%g", mhz)
}
