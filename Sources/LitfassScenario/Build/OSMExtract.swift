import Foundation
import LitfassGeo

/// What Litfass takes from an OpenStreetMap extract, already in map coordinates (EPSG:25832).
struct OSMExtract {
    struct RawBuilding { var id: String; var type: String; var tags: [String: String]; var footprint: [Polygon] }
    struct RawAddress {
        var street: String; var houseNumber: String; var postcode: String?; var city: String?
        var location: MapPoint
        /// The building the address tags sit on, when they are on a building.
        var ownBuildingID: String?
    }
    struct RawPoint { var id: String; var location: MapPoint; var name: String? }

    var buildings: [RawBuilding] = []
    var addresses: [RawAddress] = []
    var streets: [Street] = []
    var columns: [RawPoint] = []
    var masts: [RawPoint] = []
    /// Areas whose outline has fewer than 4 points (an extract cut through a way, a way of 2 nodes): they enclose no
    /// area, so they are left out; the ids go into the build's warnings.
    var degenerateAreas: [String] = []
    /// Areas whose outline crosses itself, repaired (GEOS MakeValid); the ids go into the build's warnings.
    var repairedAreas: [String] = []

    /// Reads an .osm or .osm.pbf file through GDAL's OSM driver.
    /// - Throws: `ScenarioError.input` when the file is missing, not OSM, truncated or holds nothing.
    static func read(path: String) throws -> OSMExtract {
        let dataset: VectorDataset
        do {
            dataset = try VectorDataset(path: path, drivers: ["OSM"])
        } catch GeoError.vector(_, let message) {
            throw ScenarioError.input(file: path, message: message.hasPrefix("no such file") ? "no such file"
                                      : "not an OpenStreetMap file (.osm or .osm.pbf): \(message)")
        }
        let projection = try Projection(from: .wgs84, to: .utm32N)
        let engine = GeometryEngine()
        var extract = OSMExtract()
        var features = 0
        do {
            try dataset.forEachFeature(layers: ["points", "lines", "multipolygons"]) { layer, feature in
                features += 1
                let tags = OSMTags.parse(feature["other_tags"]?.text ?? "")
                switch layer {
                case "multipolygons":
                    try extract.addArea(feature, tags: tags, projection: projection, engine: engine)
                case "points":
                    try extract.addPoint(feature, tags: tags, projection: projection)
                case "lines":
                    try extract.addLine(feature, tags: tags, projection: projection)
                default: break
                }
            }
        } catch GeoError.vector(_, let message) {
            throw ScenarioError.input(file: path, message: message)
        }
        guard features > 0 else {
            throw ScenarioError.input(file: path, message: "the extract holds no OSM features (empty or truncated file)")
        }
        return extract
    }

    /// "node/…", "way/…" or "relation/…": the OSM object a feature of a GDAL OSM layer came from.
    private static func osmID(_ feature: VectorFeature, kind: String) -> String? {
        if let way = feature["osm_way_id"]?.text { return "way/\(way)" }
        if let id = feature["osm_id"]?.text { return "\(kind)/\(id)" }
        return nil
    }

    private mutating func addArea(_ feature: VectorFeature, tags: [String: String], projection: Projection, engine: GeometryEngine) throws {
        guard let geometry = feature.geometry, let id = Self.osmID(feature, kind: "relation") else { return }
        let type = feature["building"]?.text
        let isBuilding = type != nil && type != "no"
        let address = Self.address(tags)
        guard isBuilding || address != nil else { return }
        // A ring needs 4 points (3 corners and the closing one); drop holes that do not, and outlines that do not.
        let transformed = try projection.transform(geometry).polygons
        let rings = transformed.filter { $0.exterior.count >= 4 }.map { Polygon(exterior: $0.exterior, holes: $0.holes.filter { $0.count >= 4 }) }
        if rings != transformed { degenerateAreas.append(id) }
        guard !rings.isEmpty else { return }
        // Self-intersecting outlines (mapping errors) are repaired by GEOS's MakeValid; valid ones stay as they are.
        let footprint = try engine.makeValid(.multiPolygon(rings)).polygons
        if footprint != rings { repairedAreas.append(id) }
        guard !footprint.isEmpty else { return }
        if isBuilding {
            var allTags = tags
            if let name = feature["name"]?.text { allTags["name"] = name }
            buildings.append(RawBuilding(id: id, type: type!, tags: allTags, footprint: footprint))
        }
        if let (street, number, postcode, city) = address {
            let location = try engine.interiorPoint(.multiPolygon(footprint))
            addresses.append(RawAddress(street: street, houseNumber: number, postcode: postcode, city: city,
                                        location: location, ownBuildingID: isBuilding ? id : nil))
        }
    }

    private mutating func addPoint(_ feature: VectorFeature, tags: [String: String], projection: Projection) throws {
        guard case .point(let lonLat)? = feature.geometry, let id = Self.osmID(feature, kind: "node") else { return }
        let isColumn = tags["advertising"] == "column"
        let isMast = feature["man_made"]?.text == "mast" && tags["communication:mobile_phone"] == "yes"
        let address = Self.address(tags)
        guard isColumn || isMast || address != nil else { return }
        let location = try projection.forward([LonLat(lon: lonLat.x, lat: lonLat.y)])[0]
        let name = feature["name"]?.text
        if isColumn { columns.append(RawPoint(id: id, location: location, name: name)) }
        if isMast { masts.append(RawPoint(id: id, location: location, name: name)) }
        if let (street, number, postcode, city) = address {
            addresses.append(RawAddress(street: street, houseNumber: number, postcode: postcode, city: city, location: location, ownBuildingID: nil))
        }
    }

    private mutating func addLine(_ feature: VectorFeature, tags: [String: String], projection: Projection) throws {
        guard let geometry = feature.geometry, let id = Self.osmID(feature, kind: "way") else { return }
        let highway = feature["highway"]?.text
        let address = Self.address(tags)
        guard highway != nil || address != nil else { return }
        let lines = try projection.transform(geometry).lineStrings.filter { $0.points.count >= 2 }
        if let highway {
            for (part, line) in lines.enumerated() {
                streets.append(Street(id: part == 0 ? id : "\(id)#\(part)", streetClass: highway, name: feature["name"]?.text, line: line))
            }
        }
        // An address on an open way (a fence, a building part drawn as a line): kept at the way's middle vertex.
        if let (street, number, postcode, city) = address, let line = lines.first {
            addresses.append(RawAddress(street: street, houseNumber: number, postcode: postcode, city: city,
                                        location: line.points[line.points.count / 2], ownBuildingID: nil))
        }
    }

    private static func address(_ tags: [String: String]) -> (String, String, String?, String?)? {
        guard let street = tags["addr:street"], let number = tags["addr:housenumber"] else { return nil }
        return (street, number, tags["addr:postcode"], tags["addr:city"])
    }
}
