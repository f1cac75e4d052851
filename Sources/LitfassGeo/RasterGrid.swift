/// A north-up raster grid in map coordinates: cell (column, row) covers
/// [minX + column·cell, minX + (column+1)·cell] × [maxY − (row+1)·cell, maxY − row·cell].
/// Row 0 is the northern edge, as in GeoTIFF.
public struct RasterGrid: Hashable, Sendable, Codable {
    /// Western edge [m].
    public var minX: Double
    /// Northern edge [m].
    public var maxY: Double
    /// Cell size [m].
    public var cellSizeMeters: Double
    public var columns: Int
    public var rows: Int
    public var crs: CRS

    public init(minX: Double, maxY: Double, cellSizeMeters: Double, columns: Int, rows: Int, crs: CRS = .utm32N) {
        precondition(cellSizeMeters > 0 && columns > 0 && rows > 0, "empty raster grid")
        self.minX = minX
        self.maxY = maxY
        self.cellSizeMeters = cellSizeMeters
        self.columns = columns
        self.rows = rows
        self.crs = crs
    }

    /// The smallest grid of square cells covering `box`, with edges on multiples of the cell size.
    public init(covering box: BoundingBox, cellSizeMeters: Double, crs: CRS = .utm32N) {
        let minX = (box.minX / cellSizeMeters).rounded(.down) * cellSizeMeters
        let maxY = (box.maxY / cellSizeMeters).rounded(.up) * cellSizeMeters
        let maxX = (box.maxX / cellSizeMeters).rounded(.up) * cellSizeMeters
        let minY = (box.minY / cellSizeMeters).rounded(.down) * cellSizeMeters
        self.init(minX: minX, maxY: maxY, cellSizeMeters: cellSizeMeters,
                  columns: max(1, Int(((maxX - minX) / cellSizeMeters).rounded())),
                  rows: max(1, Int(((maxY - minY) / cellSizeMeters).rounded())), crs: crs)
    }

    public var cellCount: Int { columns * rows }
    public var maxX: Double { minX + Double(columns) * cellSizeMeters }
    public var minY: Double { maxY - Double(rows) * cellSizeMeters }
    public var boundingBox: BoundingBox { BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY) }

    /// The centre of a cell [m].
    @inlinable public func center(column: Int, row: Int) -> MapPoint {
        MapPoint(x: minX + (Double(column) + 0.5) * cellSizeMeters, y: maxY - (Double(row) + 0.5) * cellSizeMeters)
    }

    /// The cell holding a point, or nil outside the grid.
    @inlinable public func cell(containing point: MapPoint) -> (column: Int, row: Int)? {
        let column = Int(((point.x - minX) / cellSizeMeters).rounded(.down))
        let row = Int(((maxY - point.y) / cellSizeMeters).rounded(.down))
        guard column >= 0, column < columns, row >= 0, row < rows else { return nil }
        return (column, row)
    }

    /// GDAL's affine geotransform of the grid.
    public var geoTransform: [Double] { [minX, cellSizeMeters, 0, maxY, 0, -cellSizeMeters] }
}
