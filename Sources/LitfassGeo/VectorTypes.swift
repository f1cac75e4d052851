/// The value of one attribute of a vector feature.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case real(Double)
    case null

    /// The value as text ("" for null), as a user would read it in a table.
    public var description: String {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .null: return ""
        }
    }

    /// The value as text, nil for null or empty.
    public var text: String? {
        switch self {
        case .null: return nil
        case .string(let s): return s.isEmpty ? nil : s
        default: return description
        }
    }

    /// The value as a number when it is one or is text that reads as one.
    public var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces))
        case .null: return nil
        }
    }
}

/// The kind of values a field holds.
public enum FieldType: String, Sendable, Codable {
    case string, integer, real
}

/// The name and kind of one attribute column.
public struct FieldDefinition: Hashable, Sendable {
    public var name: String
    public var type: FieldType
    public init(_ name: String, _ type: FieldType) {
        self.name = name
        self.type = type
    }
}

/// The kind of geometry a layer holds.
public enum GeometryKind: String, Sendable {
    case none, point, lineString, polygon, multiPoint, multiLineString, multiPolygon, unknown
}

/// What a vector layer is: its name, geometry kind, CRS and fields.
public struct VectorLayerInfo: Sendable {
    public var name: String
    public var geometryKind: GeometryKind
    /// The layer's CRS when it has an EPSG code; nil when none is declared or recognised.
    public var crs: CRS?
    public var fields: [FieldDefinition]
    /// The feature count when the driver knows it cheaply; nil otherwise.
    public var featureCount: Int?
}

/// One feature of a vector layer: its id, attribute values in the order of the layer's fields,
/// and its geometry in the layer's coordinates.
public struct VectorFeature: Sendable {
    public var id: Int64
    public var values: [FieldValue]
    public var geometry: Geometry?
    let schema: FieldSchema

    /// The value of the named field; nil when the layer has no such field.
    public subscript(field: String) -> FieldValue? {
        guard let index = schema.index[field] else { return nil }
        return values[index]
    }
}

/// Field names of a layer with a lookup from name to position, shared by its features.
final class FieldSchema: Sendable {
    let names: [String]
    let index: [String: Int]
    init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.index = index
    }
}
