import Foundation

/// A value with where it comes from. `isAssumption` is true when no public source states it and
/// Litfass assumes it; every output that depends on such a value says so.
public struct Sourced<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var value: Value
    /// The source: a document, a regulator's decision, a measurement; or why the value was assumed.
    public var source: String
    public var isAssumption: Bool

    public init(_ value: Value, source: String, isAssumption: Bool) {
        self.value = value
        self.source = source
        self.isAssumption = isAssumption
    }

    enum CodingKeys: String, CodingKey { case value, source, isAssumption = "assumption" }
}

/// Everything Litfass assumes about a city that public data does not say: operators and their
/// spectrum, antenna configurations, building-height rules, fibre and costs. Read from a JSON file
/// (`Data/assumptions.json` for the default scenario) in which every value has a source or is
/// marked as an assumption.
public struct Assumptions: Codable, Sendable, Hashable {
    public var title: String
    /// Building heights from OSM tags.
    public var buildingHeights: BuildingHeights
    public var operators: [Operator]
    public var macroSites: MacroSites
    public var smallCells: SmallCells
    public var fibre: Fibre
    public var costs: Costs
    /// Radio assumptions of the coverage maps (load, MIMO, uplink power control); nil in files
    /// written before they existed (the coverage defaults apply).
    public var radio: Radio?
    /// How far the building data is taken to reach; nil: no data area is computed.
    public var dataArea: DataArea?

    /// The area the building data covers: `buffer(buffer(∪ footprints, closing + margin), −closing)` — gaps
    /// narrower than twice `closingMeters` (streets, squares, courtyards) are filled, and the area reaches
    /// `marginMeters` beyond the outermost buildings. Every place inside lies within closing + margin of a building.
    public struct DataArea: Codable, Sendable, Hashable {
        public var closingMeters: Sourced<Double>
        public var marginMeters: Sourced<Double>
    }

    /// Load, MIMO layers and uplink power control.
    public struct Radio: Codable, Sendable, Hashable {
        /// Share of resource elements co-channel neighbours occupy (scales their interference).
        public var cellLoad: Sourced<Double>
        /// Per band: peak-beam EIRP minus the average power a beamforming neighbour sends towards cells it does not serve [dB].
        public var beamformingInterferenceDiscountDB: [String: Sourced<Double>]?
        /// Share of its carrier's resource blocks the served user gets.
        public var servedUserShare: Sourced<Double>
        /// Downlink MIMO layers per band name.
        public var downlinkLayers: [String: Sourced<Int>]
        /// Highest downlink modulation order Q_m per band name (6 = 64QAM, 8 = 256QAM).
        public var downlinkModulationOrder: [String: Sourced<Int>]
        /// UE maximum power in total [dBm].
        public var ueMaxPowerDBm: Sourced<Double>
        /// P_O,PUSCH per 15 kHz resource block [dBm] (TS 38.213 §7.1.1).
        public var uplinkNominalPowerDBm: Sourced<Double>
        /// α of TS 38.213 §7.1.1.
        public var uplinkPathLossCompensation: Sourced<Double>
    }

    /// How heights are derived from OSM tags when there is no `height` tag.
    public struct BuildingHeights: Codable, Sendable, Hashable {
        /// Height of one storey [m].
        public var storeyHeightMeters: Sourced<Double>
        /// Added to levels × storey height for the roof when no `roof:levels` is given [m].
        public var roofAllowanceMeters: Sourced<Double>
        /// File (relative to the assumptions file) with default heights per building type.
        public var defaultsFile: String
    }

    /// A mobile network operator and the carriers it runs on the macro sites.
    public struct Operator: Codable, Sendable, Hashable {
        public var name: String
        public var carriers: [Carrier]
    }

    /// One carrier: band, frequency, bandwidth and power per sector.
    public struct Carrier: Codable, Sendable, Hashable {
        /// Band name: "n78", "B3", "B20", …
        public var band: String
        public var centreFrequencyMHz: Sourced<Double>
        public var bandwidthMHz: Sourced<Double>
        /// EIRP per sector over the whole carrier at the antenna maximum [dBm].
        public var eirpDBm: Sourced<Double>
    }

    /// How antennas sit on rooftop masts.
    public struct MacroSites: Codable, Sendable, Hashable {
        /// Operators (by name) that use every rooftop mast.
        public var operatorsPerMast: Sourced<[String]>
        /// Antenna centre above the roof [m].
        public var antennaHeightAboveRoofMeters: Sourced<Double>
        /// Roof height used when no building contains the mast, and the least roof height of a mast's building whose height is only its type's default [m].
        public var fallbackRoofHeightMeters: Sourced<Double>
        public var sectorAzimuthsDegrees: Sourced<[Double]>
        /// Total downtilt [degrees, positive down].
        public var downtiltDegrees: Sourced<Double>
        /// Electrical and mechanical parts of the downtilt [degrees]; when given they add up to `downtiltDegrees`.
        public var electricalDowntiltDegrees: Sourced<Double>?
        public var mechanicalDowntiltDegrees: Sourced<Double>?
        /// "macro-panel", "3gpp-sector", "omni" or an .msi file.
        public var pattern: Sourced<String>
        /// OSM mast nodes closer than this on the same building form one site [m]; nil: every node is a site.
        public var mastMergeDistanceMeters: Sourced<Double>?
    }

    /// A small cell on a Litfaßsäule, once equipped.
    public struct SmallCells: Codable, Sendable, Hashable {
        /// Height of an advertising column [m].
        public var columnHeightMeters: Sourced<Double>
        /// Antenna centre height above ground [m].
        public var antennaHeightMeters: Sourced<Double>
        public var band: String
        public var centreFrequencyMHz: Sourced<Double>
        public var bandwidthMHz: Sourced<Double>
        public var eirpDBm: Sourced<Double>
        public var pattern: Sourced<String>
        public var downtiltDegrees: Sourced<Double>
        /// OSM ids ("node/…") of the columns already equipped; the others are candidates.
        public var equippedColumns: Sourced<[String]>
        /// Operator running the small cells (a neutral host serving all operators, by assumption).
        public var operatorName: Sourced<String>
    }

    /// The fibre layer.
    public struct Fibre: Codable, Sendable, Hashable {
        /// True: the trunk network is generated by `rule`, not an operator's real routes.
        public var illustrative: Bool
        public var rule: String
        /// Street classes (OSM `highway`) that carry a trunk under the rule.
        public var trunkStreetClasses: [String]
        /// Distance between access points along a trunk [m].
        public var accessPointSpacingMeters: Sourced<Double>
        /// A building within this distance of a trunk counts as passed by fibre [m].
        public var passedWithinMeters: Sourced<Double>
    }

    /// Costs for connections and sites [EUR].
    public struct Costs: Codable, Sendable, Hashable {
        /// Civil works per metre of trench by street class; "default" for classes not listed.
        public var civilWorksEURPerMeter: [String: Sourced<Double>]
        /// Connecting one building from the street (lead-in, termination).
        public var houseLeadInEUR: Sourced<Double>
        public var smallCellEquipmentEUR: Sourced<Double>
        public var smallCellMountingEUR: Sourced<Double>
    }

    /// Reads an assumptions file.
    /// - Throws: `ScenarioError.assumptions` naming the file and the field that is wrong.
    public static func load(path: String) throws -> Assumptions {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ScenarioError.assumptions(file: path, message: "cannot read the file")
        }
        do {
            let decoded = try JSONDecoder().decode(Assumptions.self, from: data)
            try decoded.validate(file: path)
            return decoded
        } catch let error as DecodingError {
            throw ScenarioError.assumptions(file: path, message: describe(error))
        }
    }

    func validate(file: String) throws {
        let names = Set(operators.map(\.name))
        for name in macroSites.operatorsPerMast.value where !names.contains(name) {
            throw ScenarioError.assumptions(file: file, message: "macroSites.operatorsPerMast names '\(name)', which is not among operators (\(names.sorted().joined(separator: ", ")))")
        }
        for op in operators {
            for carrier in op.carriers {
                guard carrier.centreFrequencyMHz.value > 0, carrier.bandwidthMHz.value > 0 else {
                    throw ScenarioError.assumptions(file: file, message: "operator \(op.name) band \(carrier.band): frequency and bandwidth must be positive")
                }
            }
        }
        if let e = macroSites.electricalDowntiltDegrees?.value, let m = macroSites.mechanicalDowntiltDegrees?.value,
           abs(e + m - macroSites.downtiltDegrees.value) > 1e-6 {
            throw ScenarioError.assumptions(file: file, message: "macroSites: electricalDowntiltDegrees + mechanicalDowntiltDegrees (\(e + m)) must equal downtiltDegrees (\(macroSites.downtiltDegrees.value))")
        }
        if let d = macroSites.mastMergeDistanceMeters?.value, !(d >= 0) {
            throw ScenarioError.assumptions(file: file, message: "macroSites.mastMergeDistanceMeters must not be negative")
        }
        if let area = dataArea, !(area.closingMeters.value >= 0 && area.marginMeters.value >= 0) {
            throw ScenarioError.assumptions(file: file, message: "dataArea.closingMeters and dataArea.marginMeters must not be negative")
        }
        if let radio {
            guard (0...1).contains(radio.cellLoad.value), radio.servedUserShare.value > 0, radio.servedUserShare.value <= 1 else {
                throw ScenarioError.assumptions(file: file, message: "radio.cellLoad must lie in 0…1 and radio.servedUserShare in (0, 1]")
            }
            guard (0...1).contains(radio.uplinkPathLossCompensation.value) else {
                throw ScenarioError.assumptions(file: file, message: "radio.uplinkPathLossCompensation must lie in 0…1")
            }
            for (band, layers) in radio.downlinkLayers where !(1...8).contains(layers.value) {
                throw ScenarioError.assumptions(file: file, message: "radio.downlinkLayers.\(band) must lie in 1…8")
            }
            for (band, q) in radio.downlinkModulationOrder where ![2, 4, 6, 8, 10].contains(q.value) {
                throw ScenarioError.assumptions(file: file, message: "radio.downlinkModulationOrder.\(band) must be 2, 4, 6, 8 or 10")
            }
        }
        guard buildingHeights.storeyHeightMeters.value > 0 else {
            throw ScenarioError.assumptions(file: file, message: "buildingHeights.storeyHeightMeters must be positive")
        }
        guard costs.civilWorksEURPerMeter["default"] != nil else {
            throw ScenarioError.assumptions(file: file, message: "costs.civilWorksEURPerMeter needs a \"default\" entry")
        }
    }

    /// Every value marked as an assumption, as "path: value — source" lines, for reports.
    public var assumedValues: [String] {
        var lines: [String] = []
        func add<T>(_ path: String, _ s: Sourced<T>) { if s.isAssumption { lines.append("\(path) = \(s.value) — \(s.source)") } }
        add("buildingHeights.storeyHeightMeters", buildingHeights.storeyHeightMeters)
        add("buildingHeights.roofAllowanceMeters", buildingHeights.roofAllowanceMeters)
        for op in operators {
            for c in op.carriers {
                add("\(op.name).\(c.band).centreFrequencyMHz", c.centreFrequencyMHz)
                add("\(op.name).\(c.band).bandwidthMHz", c.bandwidthMHz)
                add("\(op.name).\(c.band).eirpDBm", c.eirpDBm)
            }
        }
        add("macroSites.operatorsPerMast", macroSites.operatorsPerMast)
        add("macroSites.antennaHeightAboveRoofMeters", macroSites.antennaHeightAboveRoofMeters)
        add("macroSites.fallbackRoofHeightMeters", macroSites.fallbackRoofHeightMeters)
        add("macroSites.sectorAzimuthsDegrees", macroSites.sectorAzimuthsDegrees)
        add("macroSites.downtiltDegrees", macroSites.downtiltDegrees)
        add("macroSites.pattern", macroSites.pattern)
        if let e = macroSites.electricalDowntiltDegrees { add("macroSites.electricalDowntiltDegrees", e) }
        if let m = macroSites.mechanicalDowntiltDegrees { add("macroSites.mechanicalDowntiltDegrees", m) }
        if let d = macroSites.mastMergeDistanceMeters { add("macroSites.mastMergeDistanceMeters", d) }
        add("smallCells.columnHeightMeters", smallCells.columnHeightMeters)
        add("smallCells.antennaHeightMeters", smallCells.antennaHeightMeters)
        add("smallCells.centreFrequencyMHz", smallCells.centreFrequencyMHz)
        add("smallCells.bandwidthMHz", smallCells.bandwidthMHz)
        add("smallCells.eirpDBm", smallCells.eirpDBm)
        add("smallCells.pattern", smallCells.pattern)
        add("smallCells.downtiltDegrees", smallCells.downtiltDegrees)
        add("smallCells.equippedColumns", smallCells.equippedColumns)
        add("smallCells.operatorName", smallCells.operatorName)
        if let radio {
            add("radio.cellLoad", radio.cellLoad)
            add("radio.servedUserShare", radio.servedUserShare)
            for (k, v) in (radio.beamformingInterferenceDiscountDB ?? [:]).sorted(by: { $0.key < $1.key }) { add("radio.beamformingInterferenceDiscountDB.\(k)", v) }
            for (k, v) in radio.downlinkLayers.sorted(by: { $0.key < $1.key }) { add("radio.downlinkLayers.\(k)", v) }
            for (k, v) in radio.downlinkModulationOrder.sorted(by: { $0.key < $1.key }) { add("radio.downlinkModulationOrder.\(k)", v) }
            add("radio.uplinkNominalPowerDBm", radio.uplinkNominalPowerDBm)
            add("radio.uplinkPathLossCompensation", radio.uplinkPathLossCompensation)
        }
        if let area = dataArea {
            add("dataArea.closingMeters", area.closingMeters)
            add("dataArea.marginMeters", area.marginMeters)
        }
        add("fibre.accessPointSpacingMeters", fibre.accessPointSpacingMeters)
        add("fibre.passedWithinMeters", fibre.passedWithinMeters)
        for (k, v) in costs.civilWorksEURPerMeter.sorted(by: { $0.key < $1.key }) { add("costs.civilWorksEURPerMeter.\(k)", v) }
        add("costs.houseLeadInEUR", costs.houseLeadInEUR)
        add("costs.smallCellEquipmentEUR", costs.smallCellEquipmentEUR)
        add("costs.smallCellMountingEUR", costs.smallCellMountingEUR)
        return lines
    }
}

/// A decoding error as one line naming the field path.
func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing field '\(path(context.codingPath + [key]))'"
    case .typeMismatch(let type, let context):
        return "field '\(path(context.codingPath))' should be \(type)"
    case .valueNotFound(let type, let context):
        return "field '\(path(context.codingPath))' is null, expected \(type)"
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty ? "not valid JSON: \(context.debugDescription)" : "field '\(path(context.codingPath))': \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
