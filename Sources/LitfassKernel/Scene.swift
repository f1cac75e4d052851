import LitfassGeo

/// The scene the kernel propagates through: a north-up raster in map coordinates with, per cell,
/// the ground height, the height of the building standing on it, and which building that is.
/// Flat arrays, row-major, row 0 north (as `RasterGrid`).
///
/// The kernel reads it without copying; it never writes it. Memory: 12 bytes per cell.
public struct Scene: Sendable {
    /// The raster (cell size, extent, CRS).
    public let grid: RasterGrid
    /// Ground height [m] above the common reference (0 everywhere on flat ground).
    public var groundHeightMeters: [Float]
    /// Height of the building on the cell above the ground [m]; 0 outdoors.
    public var buildingHeightMeters: [Float]
    /// Index of the building covering the cell (into the caller's building list); -1 outdoors.
    public var buildingIndex: [Int32]

    /// Creates a scene; the three arrays must each hold `grid.cellCount` values (precondition).
    public init(grid: RasterGrid, groundHeightMeters: [Float], buildingHeightMeters: [Float], buildingIndex: [Int32]) {
        precondition(groundHeightMeters.count == grid.cellCount && buildingHeightMeters.count == grid.cellCount
                     && buildingIndex.count == grid.cellCount, "scene arrays must match the grid")
        self.grid = grid
        self.groundHeightMeters = groundHeightMeters
        self.buildingHeightMeters = buildingHeightMeters
        self.buildingIndex = buildingIndex
    }
}
