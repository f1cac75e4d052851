/// A position in WGS84 geographic coordinates [degrees]. Used only at the edges (input from users,
/// OSM data, JSON output); inside Litfass everything is metric (`MapPoint`).
public struct LonLat: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Longitude [degrees east].
    public var lon: Double
    /// Latitude [degrees north].
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    public var description: String { "\(lon),\(lat)" }
}

/// A position in a metric map projection [m] — in Litfass ETRS89 / UTM zone 32N (EPSG:25832),
/// the system of North Rhine-Westphalia's own geodata.
public struct MapPoint: Hashable, Sendable, Codable {
    /// Easting [m].
    public var x: Double
    /// Northing [m].
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Euclidean distance to another point [m].
    @inlinable public func distance(to other: MapPoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

/// An axis-aligned rectangle in map coordinates [m].
public struct BoundingBox: Hashable, Sendable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The smallest box around the points; nil for no points.
    public init?<S: Sequence>(points: S) where S.Element == MapPoint {
        var box: BoundingBox?
        for point in points {
            if box == nil { box = BoundingBox(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y) }
            else { box!.include(point) }
        }
        guard let box else { return nil }
        self = box
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }

    /// Grows the box to contain `point`.
    public mutating func include(_ point: MapPoint) {
        minX = Swift.min(minX, point.x); maxX = Swift.max(maxX, point.x)
        minY = Swift.min(minY, point.y); maxY = Swift.max(maxY, point.y)
    }

    /// Grows the box to contain `other`.
    public mutating func include(_ other: BoundingBox) {
        minX = Swift.min(minX, other.minX); maxX = Swift.max(maxX, other.maxX)
        minY = Swift.min(minY, other.minY); maxY = Swift.max(maxY, other.maxY)
    }

    /// Whether the point lies inside or on the border.
    public func contains(_ point: MapPoint) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }

    /// Whether the two boxes share any point.
    public func intersects(_ other: BoundingBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// The box grown by `meters` on every side.
    public func expanded(by meters: Double) -> BoundingBox {
        BoundingBox(minX: minX - meters, minY: minY - meters, maxX: maxX + meters, maxY: maxY + meters)
    }
}

/// A coordinate reference system named by its EPSG code.
public struct CRS: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The EPSG code, e.g. 25832.
    public var epsg: Int

    public init(epsg: Int) { self.epsg = epsg }

    /// WGS84 geographic (EPSG:4326), always in lon/lat order in Litfass.
    public static let wgs84 = CRS(epsg: 4326)
    /// ETRS89 / UTM zone 32N (EPSG:25832): the metric system Litfass computes in.
    public static let utm32N = CRS(epsg: 25832)

    /// "EPSG:25832".
    public var description: String { "EPSG:\(epsg)" }

    /// Parses "EPSG:25832" (case-insensitive) or a bare code "25832".
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.uppercased().hasPrefix("EPSG:") ? String(trimmed.dropFirst(5)) : trimmed
        guard let code = Int(digits), code > 0 else { return nil }
        epsg = code
    }
}

import Foundation
