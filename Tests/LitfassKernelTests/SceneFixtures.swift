import Foundation
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// Builds small test scenes cell by cell.
struct SceneBuilder {
    let grid: RasterGrid
    var ground: [Float]
    var height: [Float]
    var index: [Int32]

    init(columns: Int, rows: Int, cellSize: Double = 2) {
        grid = RasterGrid(minX: 0, maxY: Double(rows) * cellSize, cellSizeMeters: cellSize, columns: columns, rows: rows)
        ground = .init(repeating: 0, count: columns * rows)
        height = .init(repeating: 0, count: columns * rows)
        index = .init(repeating: -1, count: columns * rows)
    }

    /// Fills the rectangle of cells [c0, c1] × [r0, r1] (inclusive) with building `id` of height `h`.
    mutating func building(columns c: ClosedRange<Int>, rows r: ClosedRange<Int>, height h: Float, id: Int32) {
        for row in r where row >= 0 && row < grid.rows {
            for col in c where col >= 0 && col < grid.columns {
                height[row * grid.columns + col] = h
                index[row * grid.columns + col] = id
            }
        }
    }

    /// Random axis-aligned buildings (seeded).
    mutating func randomBuildings(count: Int, seed: UInt64, maxSize: Int = 10, heights: ClosedRange<Float> = 6...25) {
        var rng = SeededGenerator(seed: seed)
        for id in 0..<count {
            let w = Int.random(in: 2...maxSize, using: &rng), h = Int.random(in: 2...maxSize, using: &rng)
            let c = Int.random(in: 0..<grid.columns, using: &rng), r = Int.random(in: 0..<grid.rows, using: &rng)
            building(columns: c...(c + w - 1), rows: r...(r + h - 1), height: Float.random(in: heights, using: &rng), id: Int32(id))
        }
    }

    var scene: Scene { Scene(grid: grid, groundHeightMeters: ground, buildingHeightMeters: height, buildingIndex: index) }

    /// The centre of a cell.
    func point(_ column: Int, _ row: Int) -> MapPoint { grid.center(column: column, row: row) }
}

func transmitter(at p: MapPoint, height: Double = 5, range: Double = 1000, pattern: AntennaPattern = .omni,
                 azimuth: Double = 0, downtilt: Double = 0, frequencyHz: Double = 3.6e9) -> Transmitter {
    Transmitter(id: "tx", position: p, antennaHeightMeters: height, frequencyHz: frequencyHz, eirpDBm: 40,
                pattern: pattern, azimuthDegrees: azimuth, downtiltDegrees: downtilt, maxRangeMeters: range)
}

/// Value of a window at a scene cell.
func value(_ w: CoverageWindow, _ array: [Float], _ column: Int, _ row: Int) -> Float {
    array[(row - w.rowOffset) * w.columns + (column - w.columnOffset)]
}

func typeAt(_ w: CoverageWindow, _ column: Int, _ row: Int) -> PathType {
    guard column >= w.columnOffset, column < w.columnOffset + w.columns, row >= w.rowOffset, row < w.rowOffset + w.rows
    else { return .none }
    return PathType(rawValue: w.pathType[(row - w.rowOffset) * w.columns + (column - w.columnOffset)])!
}

extension SceneBuilder {
    /// A city-like scene (seeded): a street grid (streets 5–9 cells wide) with blocks 15–30 cells on a side,
    /// each block split into buildings 5–12 cells wide and half a block deep, heights 8–25 m.
    mutating func cityBlocks(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var xs: [(Int, Int)] = [], ys: [(Int, Int)] = []
        var x = Int.random(in: 0...6, using: &rng)
        while x < grid.columns { let w = Int.random(in: 15...30, using: &rng); xs.append((x, x + w - 1)); x += w + Int.random(in: 5...9, using: &rng) }
        var y = Int.random(in: 0...6, using: &rng)
        while y < grid.rows { let h = Int.random(in: 15...30, using: &rng); ys.append((y, y + h - 1)); y += h + Int.random(in: 5...9, using: &rng) }
        var id: Int32 = 0
        for (y0, y1) in ys {
            for (x0, x1) in xs {
                let mid = (y0 + y1) / 2
                for (r0, r1) in [(y0, mid), (mid + 1, y1)] {
                    var c = x0
                    while c <= x1 {
                        let w = min(Int.random(in: 5...12, using: &rng), x1 - c + 1)
                        building(columns: c...(c + w - 1), rows: r0...r1, height: Float.random(in: 8...25, using: &rng), id: id)
                        id += 1; c += w
                    }
                }
            }
        }
    }
}
