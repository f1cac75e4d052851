import Foundation

/// Groups of building types shared by OSM's `building=*` values and the ALKIS building functions
/// (`bldg:function`) of NRW's LoD2 models, so that measured heights can give defaults to OSM types.
public enum BuildingTypeGroup: String, Codable, Sendable, CaseIterable {
    case residential, commercial, industrial, warehouse, garage, shed, agricultural, roof, publicBuilding = "public", other

    /// The group of an OSM `building=*` value; `.other` for "yes" and unknown values.
    public init(osmType: String) {
        switch osmType.lowercased() {
        case "residential", "house", "apartments", "detached", "semidetached_house", "terrace", "dormitory", "bungalow", "semi":
            self = .residential
        case "commercial", "retail", "office", "hotel", "supermarket", "kiosk", "shop":
            self = .commercial
        case "industrial", "manufacture", "factory":
            self = .industrial
        case "warehouse", "storage":
            self = .warehouse
        case "garage", "garages", "carport":
            self = .garage
        case "shed", "hut":
            self = .shed
        case "farm_auxiliary", "barn", "greenhouse", "farm", "stable", "cowshed":
            self = .agricultural
        case "roof":
            self = .roof
        case "school", "public", "civic", "government", "hospital", "church", "university", "kindergarten",
             "fire_station", "train_station", "college", "chapel", "cathedral", "townhall":
            self = .publicBuilding
        default:
            self = .other
        }
    }

    /// The group of an ALKIS building function code as used in NRW LoD2 (`31001_1010`, …);
    /// nil for structures that are not buildings in OSM's sense (towers, chimneys, silos).
    /// Code meanings: AdV ALKIS object type catalogue, AX_Gebaeude (31001) attribute Gebaeudefunktion,
    /// and AX_SonstigesBauwerkOderSonstigeEinrichtung (51009) with 1610 = Überdachung (roof).
    public init?(alkisFunction: String) {
        let parts = alkisFunction.split(separator: "_")
        guard parts.count == 2, let code = Int(parts[1]) else { return nil }
        switch (parts[0], code) {
        case ("51009", 1610...1611): self = .roof
        case ("31001", 1313): self = .shed                 // Gartenhaus
        case ("31001", 1000...1999): self = .residential   // Wohngebäude, gemischt genutzt mit Wohnen
        case ("31001", 2000...2099): self = .commercial    // Handel, Büro, Gaststätten, Hotels
        case ("31001", 2100...2139): self = .industrial    // Gewerbe und Industrie, Produktion
        case ("31001", 2140...2149): self = .warehouse     // Lagerhallen, Lagerschuppen
        case ("31001", 2460...2469): self = .garage        // Garagen
        case ("31001", 2723): self = .shed                 // Schuppen
        case ("31001", 2700...2799): self = .agricultural  // land- und forstwirtschaftliche Gebäude
        case ("31001", 3000...3999): self = .publicBuilding // öffentliche Zwecke
        case ("31001", _): self = .other
        default: return nil
        }
    }
}

/// Default building heights per type group, derived from measured heights (`Data/building-height-defaults.json`).
public struct BuildingHeightDefaults: Codable, Sendable, Hashable {
    /// How the defaults were derived and from which files.
    public var method: String
    public var sources: [Provenance.SourceFile]
    /// Median measured height per group.
    public var groups: [String: GroupDefault]
    /// Median over all buildings: for groups with too few samples.
    public var allBuildings: GroupDefault

    public struct GroupDefault: Codable, Sendable, Hashable {
        public var heightMeters: Double
        public var samples: Int
        public var quartile1Meters: Double
        public var quartile3Meters: Double
    }

    /// Groups with fewer samples than this fall back to `allBuildings`.
    public static let minimumSamples = 3

    /// The default height for an OSM building type [m].
    public func heightMeters(osmType: String) -> Double {
        let group = BuildingTypeGroup(osmType: osmType)
        if let value = groups[group.rawValue], value.samples >= Self.minimumSamples { return value.heightMeters }
        return allBuildings.heightMeters
    }

    /// Reads the defaults file.
    /// - Throws: `ScenarioError.assumptions` naming the file.
    public static func load(path: String) throws -> BuildingHeightDefaults {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError.assumptions(file: path, message: "cannot read the building height defaults")
        }
        do { return try JSONDecoder().decode(BuildingHeightDefaults.self, from: data) } catch let error as DecodingError {
            throw ScenarioError.assumptions(file: path, message: describe(error))
        }
    }
}

/// Turns OSM tags into a height: `height` tag, else levels × storey height + roof, else the type default.
struct BuildingHeightModel {
    var storeyHeightMeters: Double
    var roofAllowanceMeters: Double
    var defaults: BuildingHeightDefaults

    /// Parses an OSM length such as "12", "12.5 m", "12,5" [m]; nil when unreadable or not positive.
    static func parseMeters(_ text: String?) -> Double? {
        guard var text = text?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return nil }
        if text.hasSuffix("m") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
        text = text.replacingOccurrences(of: ",", with: ".")
        guard let value = Double(text), value.isFinite, value > 0, value < 1000 else { return nil }
        return value
    }

    static func parseLevels(_ text: String?) -> Double? {
        guard let text = text?.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "."),
              let value = Double(text), value.isFinite, value >= 0, value < 200 else { return nil }
        return value
    }

    func height(tags: [String: String], type: String) -> (meters: Double, source: HeightSource, levels: Int?) {
        let levels = Self.parseLevels(tags["building:levels"])
        let levelCount = levels.map { Int($0.rounded()) }
        if let meters = Self.parseMeters(tags["height"]) {
            return (meters, .osmHeight, levelCount)
        }
        if let levels, levels > 0 {
            let roof = Self.parseLevels(tags["roof:levels"]).map { $0 * storeyHeightMeters } ?? roofAllowanceMeters
            return (levels * storeyHeightMeters + roof, .osmLevels, levelCount)
        }
        return (defaults.heightMeters(osmType: type), .typeDefault, levelCount)
    }
}
