import LitfassGeo
import LitfassKernel
import LitfassScenario

/// Maps of one carrier (or the combination of an operator's carriers) over the grid, row-major,
/// row 0 north. Cells without service (no sector above the RSRP floor) hold `CoverageResult.noData`
/// in every map and −1 in `bestServer`.
public struct CoverageMaps: Sendable {
    /// RSRP [dBm per resource element].
    public var rsrpDBm: [Float]
    /// Best server: index into the operator's `sectors`; −1 without service.
    public var bestServer: [Int32]
    /// Downlink SINR [dB].
    public var sinrDB: [Float]
    /// Downlink throughput [Mbit/s].
    public var downlinkMbps: [Float]
    /// Uplink throughput [Mbit/s].
    public var uplinkMbps: [Float]

    /// Maps of `count` cells, all without service.
    public init(count: Int) {
        rsrpDBm = .init(repeating: CoverageResult.noData, count: count)
        bestServer = .init(repeating: -1, count: count)
        sinrDB = .init(repeating: CoverageResult.noData, count: count)
        downlinkMbps = .init(repeating: CoverageResult.noData, count: count)
        uplinkMbps = .init(repeating: CoverageResult.noData, count: count)
    }

    /// Maps of `count` cells whose values are not set yet: the caller writes every cell before anything reads one (the
    /// parallel loops of `CoverageRun`, which so touch each fresh page once and on every core).
    static func unfilled(count: Int) -> CoverageMaps {
        func unset<T: BitwiseCopyable>(_: T.Type) -> [T] { [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count } }
        var maps = CoverageMaps(count: 0)
        maps.rsrpDBm = unset(Float.self)
        maps.bestServer = unset(Int32.self)
        maps.sinrDB = unset(Float.self)
        maps.downlinkMbps = unset(Float.self)
        maps.uplinkMbps = unset(Float.self)
        return maps
    }
}

/// The maps of one carrier of an operator.
public struct CarrierCoverage: Sendable {
    /// Band name as the sectors give it ("n78").
    public var band: String
    /// Centre frequency [Hz].
    public var centreFrequencyHz: Double
    /// "n78 3600 MHz".
    public var label: String
    /// The carrier's maps (best server as index into the operator's sectors).
    public var maps: CoverageMaps
}

/// The maps of one operator.
public struct OperatorCoverage: Sendable {
    /// Operator name as the scenario gives it.
    public var name: String
    /// The operator's sectors; the best-server maps hold indices into this list.
    public var sectors: [Sector]
    /// Per carrier, in the order the operator's carriers first appear in the scenario.
    public var carriers: [CarrierCoverage]
    /// The combination: RSRP, SINR and best server of the strongest carrier at each cell (highest
    /// RSRP per RE; ties to the earlier carrier); downlink throughput summed over all carriers, uplink
    /// throughput of the best single carrier (the UE sends on one uplink carrier at a time).
    public var combined: CoverageMaps
    /// Index into `carriers` of the strongest carrier per cell; −1 without service.
    public var strongestCarrier: [Int8]
}

/// Everything a coverage run computed, plus what the writer needs to describe it.
public struct CoverageResult: Sendable {
    /// The value of cells without service in the float maps (and the GeoTIFFs' nodata).
    public static let noData: Float = -9999

    /// The grid [EPSG:25832].
    public var grid: RasterGrid
    /// The scene the kernel saw (ground, building heights, building indices).
    public var scene: Scene
    /// Per operator, in the order operators first appear among the sectors.
    public var operators: [OperatorCoverage]
    /// The scenario's buildings (indices of `scene.buildingIndex`), sites and provenance.
    public var buildings: [Building]
    /// The sites of the run.
    public var sites: [Site]
    /// Where the scenario's data came from (checksums, attribution).
    public var provenance: Provenance
    /// The options the run used.
    public var options: CoverageOptions
    /// True when the maps rest on assumed antenna configurations (any sector marked as an assumption).
    public var isIllustrative: Bool
    /// Things the user should know (terrain coverage, clipped areas).
    public var warnings: [String]
    /// Wall-clock time of the run [s].
    public var elapsedSeconds: Double
    /// Wall-clock time per phase [s]: "kernel" (sector windows), "merge", "carrier maps", "combination", and the kernel's
    /// own phases summed over its runs, "kernel: direct sweep", "kernel: corner set-up", "kernel: corner level 1" …
    /// (`CoverageWindow.phaseSeconds`; runs of one batch overlap, so their sum can exceed "kernel").
    public var phaseSeconds: [String: Double] = [:]
    /// Per cell, 1 inside the area the scenario's building data covers, 0 outside (where every map is
    /// nodata); nil when the scenario states no data area.
    public var dataAreaMask: [UInt8]? = nil
    /// The scene's key in the scene cache (`options.sceneCacheDirectory`) when the run's scene came from it or went into
    /// it; the writer then keeps `height.tif` there too (`SceneCache.heightRasterPath`). nil: `height.tif` is written.
    public var sceneCacheKey: String? = nil
}

/// How far a run is: sectors done of all sectors.
public struct CoverageProgress: Sendable {
    /// Sectors computed and merged so far.
    public var completedSectors: Int
    /// Sectors of the run.
    public var totalSectors: Int
    /// Since the run started [s].
    public var elapsedSeconds: Double
    /// 0…1.
    public var fraction: Double { totalSectors == 0 ? 1 : Double(completedSectors) / Double(totalSectors) }
}
