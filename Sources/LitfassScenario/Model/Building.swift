import LitfassGeo

/// Where a building's height came from.
public enum HeightSource: String, Sendable, Codable, CaseIterable {
    /// The OSM `height` tag (metres).
    case osmHeight = "osm:height"
    /// OSM `building:levels` (+ `roof:levels`) × storey height + roof allowance.
    case osmLevels = "osm:levels"
    /// The default height of the building's type, derived from measured NRW LoD2 heights.
    case typeDefault = "default:type"
    /// An attribute of a building layer the user supplied (e.g. LoD2 `measuredHeight`).
    case layerAttribute = "layer:attribute"
}

/// A building: footprint in map coordinates and height above ground.
public struct Building: Sendable, Hashable {
    /// Stable id within the scenario, e.g. "way/123456" for OSM or "feature/17" for another layer.
    public var id: String
    /// Building type as OSM names it ("residential", "commercial", "warehouse", "yes", …).
    public var type: String
    /// Height above ground [m].
    public var heightMeters: Double
    public var heightSource: HeightSource
    /// Storeys above ground when known.
    public var levels: Int?
    /// Footprint [m, EPSG:25832].
    public var footprint: [Polygon]
    /// Footprint area [m²].
    public var footprintAreaSquareMeters: Double
    public var name: String?

    public init(id: String, type: String, heightMeters: Double, heightSource: HeightSource, levels: Int?,
                footprint: [Polygon], footprintAreaSquareMeters: Double, name: String? = nil) {
        self.id = id
        self.type = type
        self.heightMeters = heightMeters
        self.heightSource = heightSource
        self.levels = levels
        self.footprint = footprint
        self.footprintAreaSquareMeters = footprintAreaSquareMeters
        self.name = name
    }

    /// The bounding box of the footprint.
    public var boundingBox: BoundingBox {
        var box = footprint[0].boundingBox
        for polygon in footprint.dropFirst() { box.include(polygon.boundingBox) }
        return box
    }
}

/// A postal address and the building it belongs to.
public struct Address: Sendable, Hashable {
    public var street: String
    public var houseNumber: String
    public var postcode: String?
    public var city: String?
    /// Where the address is [m] (the address node, or a point inside the addressed building).
    public var location: MapPoint
    /// The building the address belongs to; nil when no building contains it.
    public var buildingID: String?

    public init(street: String, houseNumber: String, postcode: String?, city: String?, location: MapPoint, buildingID: String?) {
        self.street = street
        self.houseNumber = houseNumber
        self.postcode = postcode
        self.city = city
        self.location = location
        self.buildingID = buildingID
    }
}

/// A street centre line.
public struct Street: Sendable, Hashable {
    public var id: String
    /// OSM `highway` class: "primary", "residential", "footway", …
    public var streetClass: String
    public var name: String?
    public var line: LineString

    public init(id: String, streetClass: String, name: String?, line: LineString) {
        self.id = id
        self.streetClass = streetClass
        self.name = name
        self.line = line
    }
}
