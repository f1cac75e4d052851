import Foundation
import LitfassGeo
import LitfassKernel
import LitfassScenario

/// Builds the kernel's scene from a scenario: the grid, the rasterised buildings and the ground.
public enum SceneBuilder {
    /// Version of the rules by which `scene` and `CoverageRun.dataAreaMask` rasterise: raise it with any change to them,
    /// so that scenes cached by an earlier build are not read (`SceneCache`).
    static let rulesVersion = 1

    /// The grid of a run in EPSG:25832: the scenario's extent, or `area` (WGS84) transformed, at the
    /// given cell size [m], edges on multiples of the cell size.
    /// - Throws: `CoverageError.area` for an empty area, one PROJ cannot transform, or too many cells.
    public static func grid(for scenario: Scenario, area: GeographicBox?, resolutionMeters: Double, maxCells: Int) throws -> RasterGrid {
        guard resolutionMeters > 0, resolutionMeters.isFinite else { throw CoverageError.area("the resolution must be a positive number of metres") }
        var box: BoundingBox
        if let area {
            // The box's outline, densified, so the UTM box holds the whole geographic box.
            var corners: [LonLat] = []
            for i in 0...8 {
                let t = Double(i) / 8
                let lon = area.minLon + t * (area.maxLon - area.minLon), lat = area.minLat + t * (area.maxLat - area.minLat)
                corners += [LonLat(lon: lon, lat: area.minLat), LonLat(lon: lon, lat: area.maxLat),
                            LonLat(lon: area.minLon, lat: lat), LonLat(lon: area.maxLon, lat: lat)]
            }
            let points: [MapPoint]
            do { points = try Projection(from: .wgs84, to: .utm32N).forward(corners) } catch {
                throw CoverageError.area("--bbox cannot be transformed to EPSG:25832: \(error)")
            }
            box = BoundingBox(points: points)!
            let scenarioBox = scenario.boundingBox
            if scenarioBox.width > 0 || scenarioBox.height > 0, !box.intersects(scenarioBox) {
                throw CoverageError.areaOutsideScenario(String(
                    format: "--bbox %.5f,%.5f,%.5f,%.5f does not overlap the scenario (its extent is EPSG:25832 %.0f,%.0f – %.0f,%.0f): the maps would be empty",
                    area.minLon, area.minLat, area.maxLon, area.maxLat, scenarioBox.minX, scenarioBox.minY, scenarioBox.maxX, scenarioBox.maxY))
            }
        } else {
            box = scenario.boundingBox
            guard box.width > 0 || box.height > 0 else {
                throw CoverageError.area("the scenario is empty (no buildings, streets or sites); give --bbox")
            }
        }
        if box.width <= 0 { box = box.expanded(by: resolutionMeters) }
        let columns = (box.width / resolutionMeters).rounded(.up) + 1, rows = (box.height / resolutionMeters).rounded(.up) + 1
        guard columns * rows <= Double(maxCells) else {
            throw CoverageError.area(String(format: "the grid would have %.0f × %.0f = %.1f M cells (limit %.1f M); use a coarser --resolution or a smaller --bbox",
                                            columns, rows, columns * rows / 1e6, Double(maxCells) / 1e6))
        }
        return RasterGrid(covering: box, cellSizeMeters: resolutionMeters, crs: .utm32N)
    }

    /// The scene: buildings rasterised onto the grid (height above ground and index into
    /// `scenario.buildings`, cell centres inside the footprint), ground from a terrain model
    /// (bilinear onto the grid) or flat (0 m).
    /// - Returns: the scene and warnings (e.g. cells the terrain model does not cover).
    /// - Throws: `CoverageError.terrain` naming the file, `CoverageError.area` when rasterising fails.
    /// Ground heights a terrain model may hold [m]: below the Dead Sea shore to above Everest.
    public static let groundHeightRange: ClosedRange<Float> = -500...9_000

    public static func scene(for scenario: Scenario, grid: RasterGrid, demPath: String?) throws -> (Scene, [String]) {
        var polygons: [Polygon] = []
        var heights: [Double] = []
        var indices: [Double] = []
        let gridBox = grid.boundingBox
        for (index, building) in scenario.buildings.enumerated() where !building.footprint.isEmpty && building.boundingBox.intersects(gridBox) {
            for polygon in building.footprint {
                polygons.append(polygon)
                heights.append(building.heightMeters)
                indices.append(Double(index))
            }
        }
        let height: [Float], index: [Int32]
        do {
            let burnt = try RasterIO.rasterize(polygons, values: [heights, indices], onto: grid, backgrounds: [0, -1])
            height = burnt[0]
            index = burnt[1].map { Int32($0) }
        } catch {
            throw CoverageError.area("cannot rasterise the buildings: \(error)")
        }
        var warnings: [String] = []
        var ground = [Float](repeating: 0, count: grid.cellCount)
        if let demPath {
            let missing: Float = -32768.5
            do { ground = try RasterIO.read(path: demPath, onto: grid, fill: missing) } catch {
                throw CoverageError.terrain(file: demPath, message: "\(error)")
            }
            // Every height is range-checked here, at the boundary: the kernel turns heights into
            // cell indices (Double -> Int), which traps on NaN, infinity or values beyond Int.
            if let bad = ground.firstIndex(where: { $0 != missing && !(Self.groundHeightRange ~= $0) }) {
                let value = ground[bad]
                throw CoverageError.terrain(file: demPath, message: String(
                    format: "cell (column %d, row %d of the computed grid) holds %@; ground heights must be finite and within %.0f–%.0f m (declare the file's nodata value if it marks missing cells)",
                    bad % grid.columns, bad / grid.columns, value.isNaN ? "NaN" : "\(value)",
                    Double(Self.groundHeightRange.lowerBound), Double(Self.groundHeightRange.upperBound)))
            }
            let valid = ground.filter { $0 != missing }
            guard !valid.isEmpty else { throw CoverageError.terrain(file: demPath, message: "it does not cover the computed area") }
            if valid.count < ground.count {
                let mean = Float(valid.reduce(0.0) { $0 + Double($1) } / Double(valid.count))
                for i in ground.indices where ground[i] == missing { ground[i] = mean }
                warnings.append(String(format: "%@ covers %.1f %% of the grid; the mean ground height %.1f m is used elsewhere",
                                       demPath, 100 * Double(valid.count) / Double(ground.count), mean))
            }
        }
        return (Scene(grid: grid, groundHeightMeters: ground, buildingHeightMeters: height, buildingIndex: index), warnings)
    }
}
