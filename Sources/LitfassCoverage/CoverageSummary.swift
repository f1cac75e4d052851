import Foundation
import LitfassGeo
import LitfassScenario

/// Coverage statistics of a set of cells or buildings.
public struct CoverageStatistics: Codable, Sendable, Equatable {
    /// Cells (outdoor statistics) or buildings (building statistics) counted.
    public var count: Int
    /// Outdoor area [m²] (cells × cell area); nil for building statistics.
    public var areaSquareMeters: Double?
    /// Share (0…1) with RSRP ≥ the threshold, keyed by the threshold in dBm ("-100", "-110", "-120").
    public var rsrpShare: [String: Double]
    /// Share (0…1) with downlink SINR ≥ 0 dB.
    public var sinrAtLeast0dBShare: Double
    /// Median downlink throughput [Mbit/s], summed over the operator's carriers; no service counts as 0.
    public var medianDownlinkMbps: Double
}

/// The statistics of the area one site serves (best server of the combined map on one of its sectors).
public struct SiteStatistics: Codable, Sendable, Equatable {
    /// The site id.
    public var siteID: String
    /// Outdoor cells served by the site.
    public var outdoor: CoverageStatistics
    public var buildings: CoverageStatistics
}

/// The statistics of one operator.
public struct OperatorStatistics: Codable, Sendable, Equatable {
    /// Operator name.
    public var name: String
    /// Over the whole grid.
    public var outdoor: CoverageStatistics
    public var buildings: CoverageStatistics
    /// Per site, in the order of the operator's sectors.
    public var sites: [SiteStatistics]
}

/// `summary.json`: per operator and per site, shares of outdoor area and of buildings with RSRP
/// ≥ −100/−110/−120 dBm and SINR ≥ 0 dB, and median downlink throughput, with what they rest on.
///
/// Outdoor: every grid cell not covered by a building. Buildings: each building with at least one
/// cell on the grid, represented by its median cell (the footprint cell of lower-median RSRP, the
/// kernel's indoor value); a building belongs to the site serving that cell.
public struct CoverageSummary: Codable, Sendable {
    /// RSRP thresholds [dBm per RE].
    public static let rsrpThresholdsDBm: [Double] = [-100, -110, -120]

    /// Litfass version that computed the maps.
    public var litfassVersion: String
    /// Propagation model (`PropagationModel.rawValue`).
    public var model: String
    /// Most corner turns of a street-canyon path in the ray-cast kernel.
    public var cornerTurns: Int
    /// Cell size [m].
    public var resolutionMeters: Double
    /// Grid size [cells] and extent [m, EPSG:25832].
    public var columns: Int
    /// Rows of the grid.
    public var rows: Int
    /// minX, minY, maxX, maxY [m].
    public var extent: [Double]
    /// "EPSG:25832".
    public var crs: String
    /// True when assumed antenna configurations drive the maps.
    public var illustrative: Bool
    /// How carriers are combined per operator.
    public var combination: String
    /// The radio assumptions, one line each.
    public var assumptions: [String]
    /// Input files with their SHA-256.
    public var inputs: [String]
    /// Data attribution to show with the maps.
    public var attribution: String
    /// Warnings of the run.
    public var warnings: [String]
    /// Per operator.
    public var operators: [OperatorStatistics]

    /// Computes the summary of a result.
    public init(_ result: CoverageResult) {
        let grid = result.grid
        litfassVersion = LitfassVersion.string
        model = result.options.model.rawValue
        cornerTurns = result.options.cornerTurns
        resolutionMeters = grid.cellSizeMeters
        columns = grid.columns
        rows = grid.rows
        extent = [grid.minX, grid.minY, grid.maxX, grid.maxY]
        crs = grid.crs.description
        illustrative = result.isIllustrative
        combination = "RSRP, SINR and best server of the strongest carrier per cell; downlink throughput summed over the operator's carriers, uplink of the best single carrier; statistics count only cells inside the building data's area"
        assumptions = result.options.assumptions.lines
        inputs = result.provenance.sources.map { "\($0.role): \($0.fileName) sha256=\($0.sha256)" }
        attribution = result.provenance.attribution
        warnings = result.warnings
        operators = result.operators.map { Self.statistics(of: $0, result: result) }
    }

    static func statistics(of op: OperatorCoverage, result: CoverageResult) -> OperatorStatistics {
        let maps = op.combined
        let index = result.scene.buildingIndex
        let cellArea = result.grid.cellSizeMeters * result.grid.cellSizeMeters
        // Sites in the order of the operator's sectors; sector index -> site slot.
        var siteIDs: [String] = []
        var siteOfSector: [Int] = []
        for sector in op.sectors {
            if let i = siteIDs.firstIndex(of: sector.siteID) { siteOfSector.append(i) } else {
                siteIDs.append(sector.siteID)
                siteOfSector.append(siteIDs.count - 1)
            }
        }
        func site(ofCell c: Int) -> Int? { maps.bestServer[c] >= 0 ? siteOfSector[Int(maps.bestServer[c])] : nil }

        var outdoorAll: [Int] = []
        var outdoorBySite = [[Int]](repeating: [], count: siteIDs.count)
        // Cells per building, by building index (the scene's indices are positions in `result.buildings`).
        var cellsOfBuilding = [[Int]](repeating: [], count: result.buildings.count)
        let mask = result.dataAreaMask
        for c in 0..<maps.rsrpDBm.count where mask == nil || mask![c] != 0 {
            if index[c] < 0 {
                outdoorAll.append(c)
                if let s = site(ofCell: c) { outdoorBySite[s].append(c) }
            } else {
                let b = Int(index[c])
                if b >= cellsOfBuilding.count { cellsOfBuilding += [[Int]](repeating: [], count: b + 1 - cellsOfBuilding.count) }
                cellsOfBuilding[b].append(c)
            }
        }
        // One representative cell per building, in building order: the lower median by RSRP (ties by cell order).
        var buildingAll: [Int] = []
        var buildingBySite = [[Int]](repeating: [], count: siteIDs.count)
        for unsorted in cellsOfBuilding where !unsorted.isEmpty {
            let cells = unsorted.sorted { (maps.rsrpDBm[$0], $0) < (maps.rsrpDBm[$1], $1) }
            let median = cells[(cells.count - 1) / 2]
            buildingAll.append(median)
            if let s = site(ofCell: median) { buildingBySite[s].append(median) }
        }
        func stats(_ cells: [Int], area: Bool) -> CoverageStatistics {
            Self.statistics(cells: cells, maps: maps, areaPerCell: area ? cellArea : nil)
        }
        return OperatorStatistics(
            name: op.name, outdoor: stats(outdoorAll, area: true), buildings: stats(buildingAll, area: false),
            sites: siteIDs.indices.map { SiteStatistics(siteID: siteIDs[$0], outdoor: stats(outdoorBySite[$0], area: true),
                                                        buildings: stats(buildingBySite[$0], area: false)) })
    }

    /// The statistics of the given cells of the maps.
    /// - Parameter areaPerCell: cell area [m²] for outdoor statistics; nil for buildings.
    public static func statistics(cells: [Int], maps: CoverageMaps, areaPerCell: Double?) -> CoverageStatistics {
        var shares: [String: Double] = [:]
        let n = Double(max(1, cells.count))
        // One pass: cells at or above each RSRP threshold, with SINR ≥ 0 dB, and the downlink values (0 without service).
        var covered = [Int](repeating: 0, count: rsrpThresholdsDBm.count)
        var sinrOK = 0
        var throughput = [Double](repeating: 0, count: cells.count)
        maps.bestServer.withUnsafeBufferPointer { server in
        maps.rsrpDBm.withUnsafeBufferPointer { rsrp in
        maps.sinrDB.withUnsafeBufferPointer { sinr in
        maps.downlinkMbps.withUnsafeBufferPointer { downlink in
            for (k, c) in cells.enumerated() where server[c] >= 0 {
                let value = Double(rsrp[c])
                for t in rsrpThresholdsDBm.indices where value >= rsrpThresholdsDBm[t] { covered[t] += 1 }
                if sinr[c] >= 0 { sinrOK += 1 }
                throughput[k] = Double(downlink[c])
            }
        }}}}
        for (t, threshold) in rsrpThresholdsDBm.enumerated() {
            shares[String(Int(threshold))] = cells.isEmpty ? 0 : Double(covered[t]) / n
        }
        var median = 0.0
        if !throughput.isEmpty {
            // The same values as sorting the whole list: the element of rank m, and for an even count the largest below it.
            let m = throughput.count / 2
            let upper = Self.select(rank: m, in: &throughput)
            median = throughput.count % 2 == 1 ? upper : (throughput[0..<m].max()! + upper) / 2
        }
        return CoverageStatistics(count: cells.count, areaSquareMeters: areaPerCell.map { $0 * Double(cells.count) },
                                  rsrpShare: shares, sinrAtLeast0dBShare: cells.isEmpty ? 0 : Double(sinrOK) / n,
                                  medianDownlinkMbps: median)
    }

    /// The value of rank `rank` (0-based) of `values` in ascending order (Hoare's selection, median-of-three
    /// pivot); afterwards every value before `rank` is ≤ it and every value after ≥ it.
    /// - Complexity: O(n) expected, instead of sorting's O(n log n).
    static func select(rank: Int, in values: inout [Double]) -> Double {
        precondition(values.indices.contains(rank), "rank out of range")
        var low = 0, high = values.count - 1
        while low < high {
            let mid = low + (high - low) / 2
            // Median of three as pivot.
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if rank <= j { high = j } else if rank >= i { low = i } else { return values[rank] }
        }
        return values[rank]
    }

    /// The summary as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
