import LitfassGeo

/// One city's data: everything coverage, queries and optimisation work on. Coordinates are
/// ETRS89 / UTM 32N [m].
public struct Scenario: Sendable {
    public var buildings: [Building]
    public var addresses: [Address]
    public var streets: [Street]
    /// Candidate small-cell sites not yet equipped (Litfaßsäulen).
    public var candidateSites: [Site]
    /// Equipped sites (rooftop masts, imported sites).
    public var sites: [Site]
    public var sectors: [Sector]
    public var fibreSegments: [FibreSegment]
    public var fibreAccessPoints: [FibreAccessPoint]
    /// The assumptions the scenario was built with (operators, bands, powers, costs, fibre rule).
    public var assumptions: Assumptions
    public var provenance: Provenance
    /// The area the building data covers [m, EPSG:25832]: the buildings closed over gaps and widened by a
    /// margin (`Assumptions.DataArea`); nil when unknown (every place counts as covered).
    public var dataArea: [Polygon]?

    public init(buildings: [Building], addresses: [Address], streets: [Street], candidateSites: [Site], sites: [Site],
                sectors: [Sector], fibreSegments: [FibreSegment], fibreAccessPoints: [FibreAccessPoint],
                assumptions: Assumptions, provenance: Provenance, dataArea: [Polygon]? = nil) {
        self.dataArea = dataArea
        self.buildings = buildings
        self.addresses = addresses
        self.streets = streets
        self.candidateSites = candidateSites
        self.sites = sites
        self.sectors = sectors
        self.fibreSegments = fibreSegments
        self.fibreAccessPoints = fibreAccessPoints
        self.assumptions = assumptions
        self.provenance = provenance
    }

    /// The box around all buildings, streets and sites [m].
    public var boundingBox: BoundingBox {
        var box: BoundingBox?
        func add(_ b: BoundingBox) { if box == nil { box = b } else { box!.include(b) } }
        for building in buildings { add(building.boundingBox) }
        for street in streets { if let b = BoundingBox(points: street.line.points) { add(b) } }
        for site in sites + candidateSites { add(BoundingBox(minX: site.location.x, minY: site.location.y, maxX: site.location.x, maxY: site.location.y)) }
        return box ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
    }

    /// The sectors radio computations use: an operator's own (imported, not assumed) sectors replace
    /// the sectors Litfass assumed for it; operators without imported sectors keep the assumed ones.
    public var sectorsInEffect: [Sector] {
        let imported = Set(sectors.filter { !$0.isAssumption }.map(\.operatorName))
        return sectors.filter { !$0.isAssumption || !imported.contains($0.operatorName) }
    }

    /// The operators that have sectors in the scenario, sorted.
    public var operatorNames: [String] { Array(Set(sectors.map(\.operatorName))).sorted() }
}

/// Where a scenario's data came from, kept with it and copied into every output.
public struct Provenance: Sendable, Codable, Hashable {
    /// Source files with their SHA-256 checksums.
    public var sources: [SourceFile]
    /// Attribution that must be shown wherever the data is shown ("© OpenStreetMap contributors, ODbL 1.0, …").
    public var attribution: String
    /// True when the fibre layer is illustrative (generated), not an operator's real network.
    public var fibreIsIllustrative: Bool
    /// How the fibre layer was made.
    public var fibreRule: String
    /// Version of Litfass that built the scenario.
    public var builtBy: String

    public init(sources: [SourceFile], attribution: String, fibreIsIllustrative: Bool, fibreRule: String, builtBy: String) {
        self.sources = sources
        self.attribution = attribution
        self.fibreIsIllustrative = fibreIsIllustrative
        self.fibreRule = fibreRule
        self.builtBy = builtBy
    }

    /// One input file of a scenario.
    public struct SourceFile: Sendable, Codable, Hashable {
        public var role: String
        public var fileName: String
        public var sha256: String
        public init(role: String, fileName: String, sha256: String) {
            self.role = role
            self.fileName = fileName
            self.sha256 = sha256
        }
    }
}

/// The version of Litfass, written into every output's metadata.
public enum LitfassVersion {
    public static let string = "0.1.0"
}
