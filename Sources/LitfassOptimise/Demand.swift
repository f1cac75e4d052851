import Foundation
import LitfassGeo
import LitfassScenario

/// One unit of demand: a place and how much it counts.
public struct DemandUnit: Sendable, Hashable {
    /// The building id, or "<layer>/<row>" for a demand layer.
    public var id: String
    /// Where coverage is evaluated [m, EPSG:25832]: a point inside the building (so the kernel treats it
    /// as indoor and adds the building entry loss), or the demand feature's point / interior point.
    public var location: MapPoint
    /// How much the unit counts (≥ 0).
    public var weight: Double
    /// Index into the scenario's buildings for building demand.
    public var buildingIndex: Int?

    /// A demand unit.
    public init(id: String, location: MapPoint, weight: Double, buildingIndex: Int? = nil) {
        self.id = id
        self.location = location
        self.weight = weight
        self.buildingIndex = buildingIndex
    }
}

/// What the optimiser maximises.
public enum DemandObjective: String, Sendable, CaseIterable {
    /// Number of buildings covered (weight 1 each).
    case buildings
    /// Floor area covered [m²]: footprint × storeys (the default for building demand).
    case area
    /// The weights of a demand layer (`--demand`).
    case demand

    /// The unit of the weights, for reports.
    public var unit: String {
        switch self {
        case .buildings: return "buildings"
        case .area: return "m² floor area"
        case .demand: return "demand"
        }
    }
}

/// Where demand comes from: the scenario's buildings or a layer.
public enum DemandSource {
    /// Storeys of a building: its levels, or its height / storey height (rounded, at least 1).
    public static func storeys(of building: Building, storeyHeightMeters: Double) -> Int {
        if let levels = building.levels, levels > 0 { return levels }
        return max(1, Int((building.heightMeters / storeyHeightMeters).rounded()))
    }

    /// One unit per building at a point inside it, weighted by floor area (footprint × storeys) or 1.
    /// - Throws: `OptimiseError.noDemand` when the scenario has no buildings.
    public static func buildings(of scenario: Scenario, objective: DemandObjective) throws -> [DemandUnit] {
        let engine = GeometryEngine()
        let storey = scenario.assumptions.buildingHeights.storeyHeightMeters.value
        var units: [DemandUnit] = []
        for (index, building) in scenario.buildings.enumerated() where !building.footprint.isEmpty {
            let inside = (try? engine.interiorPoint(.multiPolygon(building.footprint))) ?? building.boundingBox.center
            let weight = objective == .buildings ? 1 : building.footprintAreaSquareMeters * Double(storeys(of: building, storeyHeightMeters: storey))
            guard weight > 0 else { continue }
            units.append(DemandUnit(id: building.id, location: inside, weight: weight, buildingIndex: index))
        }
        guard !units.isEmpty else { throw OptimiseError.noDemand("the scenario has no buildings to count as demand; give --demand FILE") }
        return units
    }

    /// Demand from any OGR layer of points or polygons (first layer). The weight comes from
    /// `weightAttribute`, or a field named `weight` when there is one; with `unweighted` every
    /// feature counts 1. Polygons count at an interior point. Features outside the scenario's extent
    /// are dropped (reported as a warning).
    /// - Throws: `OptimiseError.demandWithoutWeights` when no weight is found and `unweighted` is
    ///   false; `.file` naming the row and column of a bad weight or geometry; `.noDemand`.
    /// The largest weight of one demand feature (1e12) and of all together (1e15): reports print
    /// weights as 64-bit integers, and sums stay exact to well below one unit.
    public static let maxWeight = 1e12
    public static let maxTotalWeight = 1e15

    /// A cell as an error shows it: at most 40 characters, control characters escaped, so the
    /// message stays one line.
    static func shown(_ text: String) -> String {
        String(text.prefix(40).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined())
    }

    public static func layer(path: String, weightAttribute: String?, unweighted: Bool, scenario: Scenario) throws -> (units: [DemandUnit], warnings: [String]) {
        let layer = try LayerReader.read(path: path, what: "demand")
        var field: String?
        if let weightAttribute {
            guard layer.fields.contains(weightAttribute) else {
                throw OptimiseError.file(file: path, row: nil, column: weightAttribute,
                                         message: "no such field in layer '\(layer.name)' (fields: \(layer.fields.joined(separator: ", ")))")
            }
            field = weightAttribute
        } else if !unweighted {
            field = layer.fields.first { $0.lowercased() == "weight" }
            guard field != nil else { throw OptimiseError.demandWithoutWeights(file: path, layer: layer.name, fields: layer.fields) }
        }
        let engine = GeometryEngine()
        let box = scenario.boundingBox
        var units: [DemandUnit] = []
        var outside = 0
        for row in layer.rows {
            var weight = 1.0
            if let field {
                guard let text = row.values[field]?.text else {
                    throw OptimiseError.file(file: path, row: row.row, column: field, message: "the weight is empty")
                }
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                // Decimal digits only: Swift's Double(_:) also takes hex floats ("0x1p6"), "nan" and "inf".
                guard trimmed.unicodeScalars.allSatisfy({ "0123456789.eE+-".unicodeScalars.contains($0) }),
                      let w = Double(trimmed), w.isFinite, w >= 0 else {
                    throw OptimiseError.file(file: path, row: row.row, column: field, message: "expected a decimal number ≥ 0, got '\(Self.shown(text))'")
                }
                guard w <= Self.maxWeight else {
                    throw OptimiseError.file(file: path, row: row.row, column: field,
                                             message: "the weight \(w) is above the largest accepted, \(Int64(Self.maxWeight)) (1e12)")
                }
                weight = w
            }
            guard let geometry = row.geometry else {
                throw OptimiseError.file(file: path, row: row.row, column: nil, message: "no geometry")
            }
            let point: MapPoint
            switch geometry {
            case .point(let p): point = p
            case .multiPoint(let ps) where !ps.isEmpty: point = ps[0]
            case .polygon, .multiPolygon:
                do { point = try engine.interiorPoint(geometry) } catch {
                    throw OptimiseError.file(file: path, row: row.row, column: nil, message: "cannot find a point inside the polygon: \(error)")
                }
            default:
                throw OptimiseError.file(file: path, row: row.row, column: nil, message: "demand must be points or polygons")
            }
            guard box.contains(point) else { outside += 1; continue }
            guard weight > 0 else { continue }
            units.append(DemandUnit(id: "\(layer.name)/\(row.row)", location: point, weight: weight))
        }
        var warnings: [String] = []
        if outside > 0 { warnings.append("\(path): \(outside) demand feature(s) outside the scenario's extent were left out") }
        let total = units.reduce(0.0) { $0 + $1.weight }
        guard total <= Self.maxTotalWeight else {
            throw OptimiseError.file(file: path, row: nil, column: field,
                                     message: "the weights sum to \(total), above the largest accepted total, \(Int64(Self.maxTotalWeight)) (1e15)")
        }
        guard !units.isEmpty else { throw OptimiseError.noDemand("\(path): no demand left (empty layer, all weights 0, or everything outside the scenario)") }
        return (units, warnings)
    }
}

extension BoundingBox {
    /// The centre of the box.
    var center: MapPoint { MapPoint(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }
}
