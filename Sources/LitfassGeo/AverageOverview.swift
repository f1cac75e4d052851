import Foundation

/// Nodata-aware AVERAGE overviews of a Float32 band, value for value those GDAL computes for a MEM dataset
/// (`GDALBuildOverviews(ds, "AVERAGE", …)`), but without per-cell work where a whole source window holds nodata.
///
/// What GDAL does there (GDAL 3.6, gcore/overview.cpp and frmts/mem/memdataset.cpp), and this type reproduces:
/// - each level is computed on its own from the full-resolution band (MEM forces one level per call for AVERAGE);
/// - an overview of factor f has ⌈W/f⌉ × ⌈H/f⌉ cells; the source window of overview cell (i, j) spans the
///   fractional source columns [i·W/w, (i+1)·W/w) and rows [j·H/h, (j+1)·H/h), partial edge cells weighted by
///   the covered fraction (`GDALResampleChunk32R_AverageT`);
/// - a source cell is nodata when it equals the nodata value within 2 float ulps (`GDALNoDataMaskBand`,
///   `ARE_REAL_EQUAL`); the mean runs over the other cells, accumulated in double row by row; a window with no
///   data gives nodata, and a mean that happens to equal the nodata value is moved off it (`GetReplacementValueIfNoData`);
/// - the source is read in chunks of rows (block height 1, at least twice the factor, doubled while the chunk
///   stays under 10 MiB, `GDAL_OVR_CHUNK_MAX_SIZE`); a window is clipped to its chunk. (A MEM band is one block
///   wide, so GDAL never takes its block-based multi-band path for it.)
///
/// `CoverageRasterValueTests` and `AverageOverviewTests` compare every overview cell with GDAL's own on the
/// installed GDAL, so a GDAL that computes them differently is noticed.
enum AverageOverview {
    /// GDAL's default chunk limit (`GDAL_OVR_CHUNK_MAX_SIZE`, 10485760 bytes).
    static let chunkMaxBytes = 10_485_760

    /// Columns and rows of the overview of factor `factor`.
    static func size(columns: Int, rows: Int, factor: Int) -> (columns: Int, rows: Int) {
        ((columns + factor - 1) / factor, (rows + factor - 1) / factor)
    }

    /// The overview of factor `factor` of `source` (`columns` × `rows`, row-major, row 0 north).
    /// - Precondition: `noData` is not NaN.
    static func level(_ source: UnsafeBufferPointer<Float>, columns: Int, rows: Int, factor: Int, noData: Float,
                      spans: RowSpans) -> [Float] {
        precondition(!noData.isNaN)
        let (w, h) = size(columns: columns, rows: rows, factor: factor)
        let xRatio = Double(columns) / Double(w), yRatio = Double(rows) / Double(h)
        let replacement = noData == 0 ? Float.leastNormalMagnitude : Float(Double(noData) + 1e-7 * Double(noData))

        let windows = ColumnWindows(columns: columns, w: w, xRatio: xRatio)
        var out = [Float](repeating: noData, count: w * h)
        forEachLine(columns: columns, rows: rows, w: w, h: h, yRatio: yRatio) { line, y0, y1, bottomWeight, topWeight in
            // The columns holding data in these rows; windows outside them stay nodata without a look.
            var lo = Int.max, hi = -1
            for y in y0..<y1 where spans.last[y] >= 0 { lo = min(lo, Int(spans.first[y])); hi = max(hi, Int(spans.last[y])) }
            guard hi >= 0 else { return }
            let outRow = line * w
            for i in 0..<w where windows.x1[i] > lo && windows.x0[i] <= hi {
                let a = windows.x0[i], b = windows.x1[i]
                let leftWeight = windows.leftWeight[i], rightWeight = windows.rightWeight[i]
                var count = 0
                var total = 0.0, totalWeight = 0.0
                for y in y0..<y1 {
                    let row = y * columns
                    var sum = 0.0, weight = 0.0
                    let left = source[row + a]
                    if isData(left, noData) { count += 1; weight = leftWeight; sum = Double(left) * leftWeight }
                    if a + 1 < b {
                        var x = a + 1
                        while x + 1 < b {
                            let v = source[row + x]
                            if isData(v, noData) { count += 1; weight += 1; sum += Double(v) }
                            x += 1
                        }
                        let right = source[row + b - 1]
                        if isData(right, noData) { count += 1; weight += rightWeight; sum += Double(right) * rightWeight }
                    }
                    let yWeight = y == y0 ? bottomWeight : (y + 1 == y1 ? topWeight : 1.0)
                    total += sum * yWeight
                    totalWeight += weight * yWeight
                }
                guard count > 0 else { continue }
                let mean = Float(total / totalWeight)
                out[outRow + i] = mean == noData ? replacement : mean
            }
        }
        return out
    }

    /// The overview of factor `factor` of a band without nodata value: GDAL's path without a mask (the same windows
    /// and weights, the total weight the product of the full row's and column's; for an exact halving in both
    /// directions its SSE2 kernel, ((a + c) + (b + d)) · 0.25 in float per group of four cells, 0.25 · (a + b + c + d)
    /// for the rest of the row).
    static func levelWithoutNoData(_ source: UnsafeBufferPointer<Float>, columns: Int, rows: Int, factor: Int) -> [Float] {
        let (w, h) = size(columns: columns, rows: rows, factor: factor)
        let xRatio = Double(columns) / Double(w), yRatio = Double(rows) / Double(h)
        let windows = ColumnWindows(columns: columns, w: w, xRatio: xRatio)
        var out = [Float](repeating: 0, count: w * h)
        forEachLine(columns: columns, rows: rows, w: w, h: h, yRatio: yRatio) { line, y0, y1, bottomWeight, topWeight in
            let outRow = line * w
            if windows.spacingIsTwo && y1 == y0 + 2 {
                let top = y0 * columns + windows.x0[0], bottom = top + columns
                var i = 0
                while i < w - 3 {        // GDAL's SSE2 groups: vertical sums, then pairs of them
                    for k in 0..<4 {
                        let s = top + 2 * (i + k), t = bottom + 2 * (i + k)
                        out[outRow + i + k] = ((source[s] + source[t]) + (source[s + 1] + source[t + 1])) * 0.25
                    }
                    i += 4
                }
                while i < w {
                    let s = top + 2 * i, t = bottom + 2 * i
                    out[outRow + i] = 0.25 * (source[s] + source[s + 1] + source[t] + source[t + 1])
                    i += 1
                }
                return
            }
            var fullColumn = bottomWeight
            if y0 + 1 < y1 { fullColumn += Double(y1 - y0 - 2); fullColumn += topWeight }
            for i in 0..<w {
                let a = windows.x0[i], b = windows.x1[i]
                var total = 0.0
                for y in y0..<y1 {
                    let row = y * columns
                    var sum = Double(source[row + a]) * windows.leftWeight[i]
                    if a + 1 < b {
                        var x = a + 1
                        while x + 1 < b { sum += Double(source[row + x]); x += 1 }
                        sum += Double(source[row + b - 1]) * windows.rightWeight[i]
                    }
                    total += sum * (y == y0 ? bottomWeight : (y + 1 == y1 ? topWeight : 1.0))
                }
                out[outRow + i] = Float(total / (windows.fullLine[i] * fullColumn))
            }
        }
        return out
    }

    /// Source columns and edge weights per overview column (`GDALResampleChunk32R_AverageT`'s precomputation).
    struct ColumnWindows {
        var x0: [Int], x1: [Int]
        var leftWeight: [Double], rightWeight: [Double], fullLine: [Double]
        /// Every window two columns wide, each starting where the last ended.
        var spacingIsTwo = true

        init(columns: Int, w: Int, xRatio: Double) {
            x0 = [Int](repeating: 0, count: w); x1 = x0
            leftWeight = [Double](repeating: 0, count: w); rightWeight = leftWeight; fullLine = leftWeight
            var lastEnd = -1
            for i in 0..<w {
                let from = Double(i) * xRatio, to = Double(i + 1) * xRatio
                var a = Int(from + 1e-8), b = Int((to - 1e-8).rounded(.up))
                if a < 0 { a = 0 }
                if b == a { b += 1 }
                if b > columns { b = columns }
                x0[i] = a; x1[i] = b
                leftWeight[i] = b == a + 1 ? 1.0 : 1 - (from - Double(a))
                rightWeight[i] = 1 - (Double(b) - to)
                fullLine[i] = leftWeight[i]
                if a + 1 < b { fullLine[i] += Double(b - a - 2); fullLine[i] += rightWeight[i] }
                if b - a != 2 || (lastEnd >= 0 && lastEnd != a) { spacingIsTwo = false }
                lastEnd = b
            }
        }
    }

    /// Calls `body` for every overview row with its source rows [y0, y1) and edge weights, chunk by chunk as GDAL reads
    /// them (`GDALRegenerateOverviewsEx`; a MEM band is one row high, so a chunk is 2 × the factor rows, doubled while it
    /// stays under 10 MiB).
    static func forEachLine(columns: Int, rows: Int, w: Int, h: Int, yRatio: Double,
                            _ body: (_ line: Int, _ y0: Int, _ y1: Int, _ bottomWeight: Double, _ topWeight: Double) -> Void) {
        let maxFactor = max(Int(Double(columns) / Double(w) + 0.5), Int(Double(rows) / Double(h) + 0.5))
        var chunkRows = max(1, 2 * maxFactor)
        while 4 * chunkRows * columns * 2 < chunkMaxBytes { chunkRows *= 2 }
        var chunkStart = 0
        while chunkStart < rows {
            if chunkStart + chunkRows > rows { chunkRows = rows - chunkStart }
            let chunkEnd = chunkStart + chunkRows
            defer { chunkStart += chunkRows }
            let firstLine = Int(0.5 + Double(chunkStart) / yRatio)
            if firstLine == h { continue }
            let endLine = chunkEnd == rows ? h : Int(0.5 + Double(chunkEnd) / yRatio)
            guard firstLine < endLine else { continue }
            for line in firstLine..<endLine {
                let from = Double(line) * yRatio, to = Double(line + 1) * yRatio
                var y0 = Int(from + 1e-8)
                if y0 < chunkStart { y0 = chunkStart }
                var y1 = Int((to - 1e-8).rounded(.up))
                if y1 == y0 { y1 += 1 }
                if y1 > chunkEnd { y1 = chunkEnd }
                body(line, y0, y1, y0 + 1 == y1 ? 1.0 : 1.0 - (from - Double(y0)), 1.0 - (Double(y1) - to))
            }
        }
    }

    /// Whether a cell holds data: not equal to the nodata value within 2 float ulps (GDAL's `ARE_REAL_EQUAL`).
    @inline(__always) static func isData(_ v: Float, _ noData: Float) -> Bool {
        !(v == noData || abs(v - noData) < Float.ulpOfOne * abs(v + noData) * 2)
    }

    /// Per source row, the first and last column holding data (−1 for a row without data).
    struct RowSpans {
        var first: [Int32]
        var last: [Int32]

        init(_ source: UnsafeBufferPointer<Float>, columns: Int, rows: Int, noData: Float) {
            first = [Int32](repeating: -1, count: rows)
            last = [Int32](repeating: -1, count: rows)
            for y in 0..<rows {
                let row = y * columns
                var a = 0
                while a < columns && !isData(source[row + a], noData) { a += 1 }
                guard a < columns else { continue }
                var b = columns - 1
                while !isData(source[row + b], noData) { b -= 1 }
                first[y] = Int32(a); last[y] = Int32(b)
            }
        }
    }
}
