import LitfassGeo

/// A rectangle of cells of a grid: first column and row, width and height [cells]. Row 0 north.
public struct CellBox: Sendable, Hashable, Codable {
    public var column: Int
    public var row: Int
    public var columns: Int
    public var rows: Int

    public init(column: Int, row: Int, columns: Int, rows: Int) {
        self.column = column
        self.row = row
        self.columns = columns
        self.rows = rows
    }

    /// One past the last column.
    public var endColumn: Int { column + columns }
    /// One past the last row.
    public var endRow: Int { row + rows }
    public var cellCount: Int { columns * rows }
    public var isEmpty: Bool { columns <= 0 || rows <= 0 }

    /// Whether the two boxes share a cell.
    public func intersects(_ other: CellBox) -> Bool {
        !isEmpty && !other.isEmpty && column < other.endColumn && other.column < endColumn && row < other.endRow && other.row < endRow
    }

    /// The smallest box holding both.
    public func union(_ other: CellBox) -> CellBox {
        if isEmpty { return other }
        if other.isEmpty { return self }
        let c0 = min(column, other.column), r0 = min(row, other.row)
        return CellBox(column: c0, row: r0, columns: max(endColumn, other.endColumn) - c0, rows: max(endRow, other.endRow) - r0)
    }

    /// The shared cells (possibly empty).
    public func intersection(_ other: CellBox) -> CellBox {
        let c0 = max(column, other.column), r0 = max(row, other.row)
        return CellBox(column: c0, row: r0, columns: max(0, min(endColumn, other.endColumn) - c0), rows: max(0, min(endRow, other.endRow) - r0))
    }

    /// The box grown by `cells` on every side.
    public func expanded(by cells: Int) -> CellBox {
        CellBox(column: column - cells, row: row - cells, columns: columns + 2 * cells, rows: rows + 2 * cells)
    }
}

extension Transmitter {
    /// Cells the kernel may read beyond a window's edge: the corner-node test (`CornerSearch.isNode`) looks at the
    /// 5 × 5 neighbourhood of a window cell. A scene holding the window grown by this margin gives the same window
    /// as any larger scene on the same lattice.
    public static let sceneMarginCells = 2

    /// Half the side of the kernel's window [cells]: the range in cells, rounded up, plus one.
    public func reachCells(cellSizeMeters: Double) -> Int {
        max(1, Int((maxRangeMeters / cellSizeMeters).rounded(.up)) + 1)
    }

    /// The window `PropagationKernel.compute` fills for this transmitter on a scene over `grid`: the cells within
    /// `reachCells` (Chebyshev) of the transmitter's cell, clipped to the grid; nil when the transmitter lies
    /// outside the grid or has no range (the kernel then computes nothing).
    public func window(in grid: RasterGrid) -> CellBox? {
        guard let (tc, tr) = grid.cell(containing: position), maxRangeMeters > 0 else { return nil }
        let reach = reachCells(cellSizeMeters: grid.cellSizeMeters)
        let c0 = max(0, tc - reach), r0 = max(0, tr - reach)
        return CellBox(column: c0, row: r0, columns: min(grid.columns - 1, tc + reach) - c0 + 1, rows: min(grid.rows - 1, tr + reach) - r0 + 1)
    }
}
