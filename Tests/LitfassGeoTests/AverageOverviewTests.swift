import Foundation
import Testing
@testable import LitfassGeo
import _LitfassTestSupport

/// `AverageOverview` gives GDAL's own AVERAGE overview values, bit for bit, on the installed GDAL: odd sizes
/// (fractional source windows), several chunks of rows, sparse and dense nodata, values next to the nodata value and
/// means that land on it.
struct AverageOverviewTests {
    /// A deterministic pseudo-random sequence (64-bit LCG, Knuth's MMIX constants).
    struct Sequence {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    enum Pattern { case corridor, scattered, none, all, nearNoData, meansOnNoData }

    static func band(columns: Int, rows: Int, pattern: Pattern, noData: Float, seed: UInt64) -> [Float] {
        var random = Sequence(state: seed)
        var values = [Float](repeating: noData, count: columns * rows)
        for y in 0..<rows {
            for x in 0..<columns {
                let v = Float(-140 + 90 * random.next())
                let i = y * columns + x
                switch pattern {
                case .corridor:      // a diagonal band of data, like the Neuss corridor
                    let d = Double(x) / Double(columns) - Double(y) / Double(rows)
                    if abs(d) < 0.12 { values[i] = v }
                case .scattered: if random.next() > 0.4 { values[i] = v }
                case .none: values[i] = v
                case .all: break
                case .nearNoData: values[i] = random.next() < 0.5 ? v : noData.nextUp.nextUp   // within 2 ulps: nodata to GDAL
                case .meansOnNoData: values[i] = (x + y) % 2 == 0 ? 1 : -1                   // 2 × 2 means of 0 = the nodata value
                }
            }
        }
        return values
    }

    /// Compares with GDAL; `withoutNoData`: the band has no nodata value (every cell averaged).
    func expectSame(columns: Int, rows: Int, pattern: Pattern, noData: Float = -9999, factors: [Int] = [2, 4, 8], withoutNoData: Bool = false) throws {
        let grid = RasterGrid(minX: 0, maxY: Double(rows) * 2, cellSizeMeters: 2, columns: columns, rows: rows)
        let values = Self.band(columns: columns, rows: rows, pattern: pattern, noData: noData, seed: UInt64(columns * 7919 + rows))
        let reference = try RasterIO.gdalAverageOverviews(RasterBand(values: values, noDataValue: withoutNoData ? nil : noData, description: "x"),
                                                          grid: grid, factors: factors)
        values.withUnsafeBufferPointer { source in
            let spans = AverageOverview.RowSpans(source, columns: columns, rows: rows, noData: noData)
            for (k, factor) in factors.enumerated() {
                let ours = withoutNoData ? AverageOverview.levelWithoutNoData(source, columns: columns, rows: rows, factor: factor)
                    : AverageOverview.level(source, columns: columns, rows: rows, factor: factor, noData: noData, spans: spans)
                let differing = zip(ours, reference[k]).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(ours.count == reference[k].count && differing == 0,
                        "\(columns) × \(rows) \(pattern) factor \(factor): \(differing) of \(ours.count) cells differ from GDAL's")
            }
        }
    }

    @Test func theOneSiteGridLikeNeuss() throws {
        try expectSame(columns: 1242, rows: 2304, pattern: .corridor)
    }

    @Test func oddSizesAndPatterns() throws {
        for (columns, rows) in [(37, 53), (300, 517), (1001, 7), (5, 999), (257, 129)] {
            for pattern in [Pattern.corridor, .scattered, .none, .all] {
                try expectSame(columns: columns, rows: rows, pattern: pattern, factors: [2, 4, 8, 16])
            }
        }
    }

    @Test func bandsWithoutNodataValue() throws {
        // Exact halvings take GDAL's SSE2 kernel (groups of four cells, then the rest of the row), the others its weights.
        for (columns, rows) in [(1242, 2304), (37, 53), (301, 518), (1001, 7), (6, 998)] {
            try expectSame(columns: columns, rows: rows, pattern: .none, factors: [2, 4, 8], withoutNoData: true)
            try expectSame(columns: columns, rows: rows, pattern: .corridor, factors: [2, 4, 8], withoutNoData: true)
        }
    }

    @Test func wideRowsInSeveralChunks() throws {
        // 3000 columns: a chunk of rows holds 2 × factor rows doubled while under 10 MiB, so 4000 rows span several chunks.
        try expectSame(columns: 3000, rows: 4001, pattern: .scattered, factors: [2, 4, 8])
    }

    @Test func valuesNextToNodataAndMeansOnIt() throws {
        try expectSame(columns: 211, rows: 97, pattern: .nearNoData)
        try expectSame(columns: 64, rows: 64, pattern: .meansOnNoData, noData: 0, factors: [2])
        // The replacement really happened: GDAL moves a mean of exactly 0 off the nodata value 0.
        let values = Self.band(columns: 64, rows: 64, pattern: .meansOnNoData, noData: 0, seed: 1)
        let level = values.withUnsafeBufferPointer {
            AverageOverview.level($0, columns: 64, rows: 64, factor: 2, noData: 0,
                                  spans: AverageOverview.RowSpans($0, columns: 64, rows: 64, noData: 0))
        }
        #expect(level.allSatisfy { $0 == .leastNormalMagnitude })
    }

    @Test func theWrittenFileHoldsGDALsOverviews() throws {
        // Three bands with nodata, the second equal to the first (its levels are reused), the third different; and a file
        // of bands without nodata value, two of them equal.
        let columns = 700, rows = 1300
        let grid = RasterGrid(minX: 0, maxY: Double(rows) * 2, cellSizeMeters: 2, columns: columns, rows: rows)
        let a = Self.band(columns: columns, rows: rows, pattern: .corridor, noData: -9999, seed: 3)
        let b = Self.band(columns: columns, rows: rows, pattern: .scattered, noData: -9999, seed: 4)
        let bands = [a, a, b].map { RasterBand(values: $0, noDataValue: -9999, description: "x") }
        let heights = [a, a, b].map { RasterBand(values: $0.map { $0 == -9999 ? 0 : $0 + 140 }, noDataValue: nil, description: "h") }
        let folder = TemporaryFolder("average-overview")
        for (name, written, threads) in [("x.tif", bands, 2), ("h.tif", heights, 1)] {
            let file = folder.file(name).path
            try RasterIO.writeGeoTIFF(path: file, grid: grid, bands: written, overviews: .average, threads: threads)
            for (k, band) in written.enumerated() {
                let reference = try RasterIO.gdalAverageOverviews(band, grid: grid, factors: [2, 4])
                for level in 0..<2 {
                    let read = try RasterIO.readOverview(path: file, band: k + 1, level: level)
                    #expect(read.map(\.bitPattern) == reference[level].map(\.bitPattern), "\(name) band \(k + 1) level \(level + 1)")
                }
            }
        }
    }
}
