import Foundation
import LitfassGeo

/// Derives default building heights per type group from measured heights — NRW LoD2 CityGML
/// (`bldg:function`, `bldg:measuredHeight`) — as medians per group.
public enum HeightCalibration {
    /// Measured heights per group from LoD2 CityGML files.
    /// - Throws: `ScenarioError.input` naming a file GDAL cannot read or one without the attributes.
    public static func measuredHeights(lod2Paths: [String]) throws -> [BuildingTypeGroup: [Double]] {
        var heights: [BuildingTypeGroup: [Double]] = [:]
        for path in lod2Paths {
            let dataset: VectorDataset
            do { dataset = try VectorDataset(path: path) } catch let error as GeoError {
                throw ScenarioError.input(file: path, message: error.description)
            }
            guard let layer = dataset.layerNames.first(where: { $0 == "Building" }) ?? dataset.layerNames.first else {
                throw ScenarioError.input(file: path, message: "has no layers")
            }
            let fields = Set(try dataset.info(layer: layer).fields.map(\.name))
            guard fields.contains("function"), fields.contains("measuredHeight") else {
                throw ScenarioError.input(file: path, message: "layer '\(layer)' lacks 'function' and 'measuredHeight' (not an LoD2 CityGML building file)")
            }
            for feature in try dataset.features(layer: layer) {
                guard let function = feature["function"]?.text, let group = BuildingTypeGroup(alkisFunction: function),
                      let height = feature["measuredHeight"]?.number, height > 0 else { continue }
                heights[group, default: []].append(height)
            }
        }
        return heights
    }

    /// The defaults file content: medians and quartiles per group and over all buildings.
    /// - Throws: `ScenarioError.input` as `measuredHeights`, or when no heights were found.
    public static func derive(lod2Paths: [String]) throws -> BuildingHeightDefaults {
        let heights = try measuredHeights(lod2Paths: lod2Paths)
        let all = heights.filter { $0.key != .roof }.values.flatMap { $0 }
        guard !all.isEmpty else { throw ScenarioError.input(file: lod2Paths.joined(separator: ", "), message: "no measured building heights found") }
        var groups: [String: BuildingHeightDefaults.GroupDefault] = [:]
        for (group, values) in heights { groups[group.rawValue] = summary(values) }
        let sources = try lod2Paths.sorted().map {
            Provenance.SourceFile(role: "lod2", fileName: URL(fileURLWithPath: $0).lastPathComponent, sha256: try Checksum.sha256(fileAt: $0))
        }
        return BuildingHeightDefaults(
            method: "Median of bldg:measuredHeight per type group (ALKIS bldg:function mapped to OSM building types as in BuildingTypeGroup); "
                + "allBuildings = median over every group except roofs. Groups with fewer than \(BuildingHeightDefaults.minimumSamples) samples use allBuildings. "
                + "Source: Geobasis NRW, 3D-Gebäudemodelle LoD2, dl-de/zero-2.0.",
            sources: sources, groups: groups, allBuildings: summary(all))
    }

    /// Median and quartiles (linear interpolation between order statistics).
    static func summary(_ values: [Double]) -> BuildingHeightDefaults.GroupDefault {
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
            let value = sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
            return (value * 100).rounded() / 100
        }
        return .init(heightMeters: quantile(0.5), samples: sorted.count, quartile1Meters: quantile(0.25), quartile3Meters: quantile(0.75))
    }
}

extension HeightCalibration {
    /// Heights of the OSM buildings that have `building:levels` (and no `height`), derived as the
    /// scenario builder derives them, per type group — to compare with measured heights.
    /// - Throws: `ScenarioError` for unreadable inputs.
    public static func levelDerivedHeights(osmPath: String, assumptionsPath: String) throws -> [BuildingTypeGroup: [Double]] {
        let (scenario, _) = try ScenarioBuilder(osmPath: osmPath, assumptionsPath: assumptionsPath).build()
        var result: [BuildingTypeGroup: [Double]] = [:]
        for building in scenario.buildings where building.heightSource == .osmLevels {
            result[BuildingTypeGroup(osmType: building.type), default: []].append(building.heightMeters)
        }
        return result
    }

    /// The median of values (mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
