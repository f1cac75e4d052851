import Foundation
import LitfassGeo
import LitfassQuery
import LitfassScenario

/// A place a small cell could be mounted: a Litfaßsäule or a rooftop.
public struct Candidate: Sendable, Hashable {
    /// What carries the antenna.
    public enum Kind: String, Sendable, Hashable {
        case column, rooftop
    }

    /// Stable id ("node/…" for the scenario's columns, the file's `id` column otherwise).
    public var id: String
    /// Column or rooftop.
    public var kind: Kind
    /// Location [m, EPSG:25832].
    public var location: MapPoint
    /// Antenna centre above ground [m].
    public var antennaHeightMeters: Double
    /// A display name when known.
    public var name: String?
    /// Row in the candidate file (1-based, header not counted); nil for the scenario's columns.
    public var row: Int?

    /// A candidate.
    public init(id: String, kind: Kind, location: MapPoint, antennaHeightMeters: Double, name: String? = nil, row: Int? = nil) {
        self.id = id
        self.kind = kind
        self.location = location
        self.antennaHeightMeters = antennaHeightMeters
        self.name = name
        self.row = row
    }
}

/// What equipping one candidate costs.
public struct CandidateCost: Sendable, Hashable {
    /// Small-cell equipment [EUR] (assumption).
    public var equipmentEUR: Double
    /// Mounting (column conversion or rooftop installation) [EUR] (assumption).
    public var mountingEUR: Double
    /// Fibre backhaul: civil works along the street route to the nearest access point [EUR].
    public var backhaulEUR: Double
    /// The route [m] and the access point.
    public var backhaulRouteMeters: Double
    /// The access point reached.
    public var accessPointID: String?
    /// The route line [m].
    public var route: LineString

    /// Equipment + mounting + backhaul [EUR].
    public var totalEUR: Double { equipmentEUR + mountingEUR + backhaulEUR }
}

/// Where candidates come from: the scenario's advertising columns, or a file.
public enum CandidateSource {
    /// The scenario's candidate columns (not yet equipped), antenna at the small-cell height.
    public static func columns(of scenario: Scenario) -> [Candidate] {
        let height = scenario.assumptions.smallCells.antennaHeightMeters.value
        return scenario.candidateSites.map {
            Candidate(id: $0.id, kind: .column, location: $0.location, antennaHeightMeters: height, name: $0.name)
        }
    }

    /// Candidates from any OGR point layer (GeoPackage, GeoJSON, Shapefile, CSV with lon/lat
    /// columns, …), its first layer. Columns (all optional): `id`, `name`, `kind` (column or
    /// rooftop; default column), `antenna_height` [m above ground] (default: the small-cell height
    /// for columns; roof height + `macroSites.antennaHeightAboveRoofMeters` for rooftops).
    /// A layer without a CRS is read as WGS84 when its coordinates look like degrees, else EPSG:25832.
    /// - Parameter skipOutside: drop candidates outside the scenario's extent (returned as warnings)
    ///   instead of failing.
    /// - Throws: `OptimiseError.file` naming the file, row and column; `.candidateOutsideScenario`.
    public static func load(path: String, scenario: Scenario, skipOutside: Bool = false) throws -> (candidates: [Candidate], warnings: [String]) {
        let features = try LayerReader.read(path: path, what: "candidate")
        let box = scenario.boundingBox
        let engine = GeometryEngine()
        let smallHeight = scenario.assumptions.smallCells.antennaHeightMeters.value
        var candidates: [Candidate] = []
        var warnings: [String] = []
        var seen = Set<String>()
        for feature in features.rows {
            let row = feature.row
            guard let geometry = feature.geometry else {
                throw OptimiseError.file(file: path, row: row, column: nil, message: "no geometry (give lon/lat columns or a point layer)")
            }
            let point: MapPoint
            switch geometry {
            case .point(let p): point = p
            case .multiPoint(let ps) where ps.count == 1: point = ps[0]
            default: throw OptimiseError.file(file: path, row: row, column: nil, message: "candidates must be points")
            }
            let id = feature.text("id") ?? feature.text("name") ?? "row \(row)"
            guard seen.insert(id).inserted else {
                throw OptimiseError.file(file: path, row: row, column: "id", message: "id '\(id)' appears twice")
            }
            var kind = Candidate.Kind.column
            if let k = feature.text("kind")?.lowercased() {
                guard let parsed = Candidate.Kind(rawValue: k) else {
                    throw OptimiseError.file(file: path, row: row, column: "kind", message: "expected column or rooftop, got '\(k)'")
                }
                kind = parsed
            }
            var height: Double
            if let text = feature.text("antenna_height") {
                guard let h = Double(text), h > 0, h < 500 else {
                    throw OptimiseError.file(file: path, row: row, column: "antenna_height", message: "expected metres above ground (0 < h < 500), got '\(text)'")
                }
                height = h
            } else if kind == .rooftop {
                height = try roofHeight(at: point, scenario: scenario, engine: engine) + scenario.assumptions.macroSites.antennaHeightAboveRoofMeters.value
            } else {
                height = smallHeight
            }
            guard box.contains(point) else {
                let lonLat = (try? Projection(from: .utm32N, to: .wgs84).toLonLat([point]).first) ?? LonLat(lon: .nan, lat: .nan)
                let error = OptimiseError.candidateOutsideScenario(file: path, row: row, id: id, lon: lonLat.lon, lat: lonLat.lat)
                if skipOutside { warnings.append(error.description + " — skipped"); continue }
                throw error
            }
            candidates.append(Candidate(id: id, kind: kind, location: point, antennaHeightMeters: height, name: feature.text("name"), row: row))
        }
        guard !candidates.isEmpty else {
            throw OptimiseError.noCandidates("\(path): no candidate left (the layer is empty\(skipOutside ? " or every candidate lies outside the scenario" : ""))")
        }
        return (candidates, warnings)
    }

    /// Roof height of the building containing `point`, or the fallback roof height.
    static func roofHeight(at point: MapPoint, scenario: Scenario, engine: GeometryEngine) throws -> Double {
        for building in scenario.buildings where building.boundingBox.contains(point) {
            if (try? engine.contains(.multiPolygon(building.footprint), point)) == true { return building.heightMeters }
        }
        return scenario.assumptions.macroSites.fallbackRoofHeightMeters.value
    }

    /// Costs of every candidate: equipment and mounting from the assumptions, fibre backhaul by
    /// street routing (`FibreRouter.backhaul`). Candidates without a route (no street within 500 m,
    /// no access point reachable) are left out, with a warning each.
    public static func costs(of candidates: [Candidate], scenario: Scenario) -> (costs: [CandidateCost?], warnings: [String]) {
        let router = FibreRouter(scenario: scenario)
        let c = scenario.assumptions.costs
        var warnings: [String] = []
        let costs = candidates.map { candidate -> CandidateCost? in
            guard let backhaul = router.backhaul(from: candidate.location) else {
                warnings.append("candidate '\(candidate.id)': no street within 500 m or no fibre access point reachable; left out")
                return nil
            }
            return CandidateCost(equipmentEUR: c.smallCellEquipmentEUR.value, mountingEUR: c.smallCellMountingEUR.value,
                                 backhaulEUR: backhaul.civilWorksEUR, backhaulRouteMeters: backhaul.routeMeters,
                                 accessPointID: backhaul.accessPointID, route: backhaul.route)
        }
        return (costs, warnings)
    }
}

/// Reads the first layer of a vector file into rows with geometries in EPSG:25832.
enum LayerReader {
    struct Row {
        var row: Int
        var geometry: Geometry?
        var values: [String: FieldValue]
        func text(_ name: String) -> String? {
            if let v = values[name] { return v.text }
            return values.first { $0.key.lowercased() == name }?.value.text
        }
    }

    struct Layer {
        var name: String
        var fields: [String]
        var rows: [Row]
    }

    static func read(path: String, what: String) throws -> Layer {
        let isCSV = URL(fileURLWithPath: path).pathExtension.lowercased() == "csv"
        if let reason = KMLLimit.refusal(path: path) {
            throw OptimiseError.file(file: path, row: nil, column: nil, message: "cannot read the \(what) file: " + reason)
        }
        let dataset: VectorDataset
        do {
            dataset = try VectorDataset(path: path, openOptions: isCSV
                ? ["X_POSSIBLE_NAMES=lon,longitude,lng,x", "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=NO"] : [])
        } catch {
            throw OptimiseError.file(file: path, row: nil, column: nil, message: "cannot read the \(what) file: \(error)")
        }
        guard let layerName = dataset.layerNames.first else {
            throw OptimiseError.file(file: path, row: nil, column: nil, message: "the file has no layer")
        }
        let info: VectorLayerInfo
        let features: [VectorFeature]
        do {
            info = try dataset.info(layer: layerName)
            features = try dataset.features(layer: layerName)
        } catch {
            throw OptimiseError.file(file: path, row: nil, column: nil, message: "cannot read layer '\(layerName)': \(error)")
        }
        var crs = info.crs
        if crs == nil {
            let points = features.compactMap(\.geometry).flatMap(\.allPoints)
            let degrees = !points.isEmpty && points.allSatisfy { abs($0.x) <= 180 && abs($0.y) <= 90 }
            crs = degrees ? .wgs84 : .utm32N
        }
        var projection: Projection?
        if crs != .utm32N {
            do { projection = try Projection(from: crs!, to: .utm32N) } catch {
                throw OptimiseError.file(file: path, row: nil, column: nil, message: "cannot transform from \(crs!) to EPSG:25832: \(error)")
            }
        }
        let names = info.fields.map(\.name)
        var rows: [Row] = []
        for (index, feature) in features.enumerated() {
            var geometry = feature.geometry
            if let g = geometry, let projection {
                do { geometry = try projection.transform(g) } catch {
                    throw OptimiseError.file(file: path, row: index + 1, column: nil, message: "cannot transform the geometry: \(error)")
                }
            }
            var values: [String: FieldValue] = [:]
            for (k, name) in names.enumerated() where k < feature.values.count { values[name] = feature.values[k] }
            rows.append(Row(row: index + 1, geometry: geometry, values: values))
        }
        return Layer(name: layerName, fields: names, rows: rows)
    }
}
