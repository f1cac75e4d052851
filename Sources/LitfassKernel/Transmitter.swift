import LitfassGeo
import LitfassRadio

/// One radiating antenna (a sector carrier) as the kernel sees it.
///
/// The kernel snaps the antenna to the centre of the scene cell holding `position`; its height above the
/// common datum is that cell's ground height plus `antennaHeightMeters`.
public struct Transmitter: Sendable {
    /// Identifier (e.g. the sector's id), carried through unchanged.
    public var id: String
    /// Position [m, scene CRS].
    public var position: MapPoint
    /// Antenna centre above ground [m].
    public var antennaHeightMeters: Double
    /// Carrier frequency [Hz].
    public var frequencyHz: Double
    /// EIRP at the pattern's maximum [dBm] (total over the carrier).
    public var eirpDBm: Double
    /// Antenna pattern (gain towards the departure direction of the dominant path).
    public var pattern: AntennaPattern
    /// Boresight [degrees clockwise from north].
    public var azimuthDegrees: Double
    /// Total downtilt [degrees, positive down].
    public var downtiltDegrees: Double
    /// Cells farther than this are not computed [m] (from the link budget).
    public var maxRangeMeters: Double
    /// The power budget of corner paths [dB]: the largest loss relative to the pattern maximum (free space + turn
    /// losses − antenna gain relative to the maximum) with which a building corner still becomes a source of further
    /// legs. A node the search reaches only beyond it is not reached (docs/KERNEL.md §2), so the number of turns ends
    /// where the budget does. From the sector's link budget: EIRP per resource element − RSRP floor (`RadioPlan`; the
    /// largest among co-located sectors that share a kernel run); +∞ (the default) sets no budget.
    public var pathLossBudgetDB: Double

    /// Creates a transmitter; see the properties for units.
    public init(id: String, position: MapPoint, antennaHeightMeters: Double, frequencyHz: Double, eirpDBm: Double,
                pattern: AntennaPattern, azimuthDegrees: Double, downtiltDegrees: Double, maxRangeMeters: Double,
                pathLossBudgetDB: Double = .infinity) {
        self.id = id
        self.position = position
        self.antennaHeightMeters = antennaHeightMeters
        self.frequencyHz = frequencyHz
        self.eirpDBm = eirpDBm
        self.pattern = pattern
        self.azimuthDegrees = azimuthDegrees
        self.downtiltDegrees = downtiltDegrees
        self.maxRangeMeters = maxRangeMeters
        self.pathLossBudgetDB = pathLossBudgetDB
    }
}

/// Everything of a transmitter the kernel's geometry, losses and path choice depend on: all properties but `id`
/// and `eirpDBm` (the power budget is a loss, not a power, and is part of the key).
///
/// The EIRP only shifts every received power (the kernel's pruning compares powers relative to the EIRP), so
/// transmitters with equal keys — the same band of several operators on a shared mast with the same antennas —
/// have the same path loss, path type and distance everywhere, and received powers that differ by their EIRP
/// difference. `TransmitterGroups` uses this to compute each key once.
public struct PropagationKey: Hashable, Sendable {
    let x: Double, y: Double, antennaHeight: Double, frequency: Double
    let pattern: AntennaPattern
    let azimuth: Double, downtilt: Double, range: Double, budget: Double

    /// Hashes the numbers and the pattern's maximum gain, not the pattern's name (hashing a non-ASCII `String`
    /// normalises it, which cost more than the rest of the grouping); equality still compares every property.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(x); hasher.combine(y); hasher.combine(antennaHeight); hasher.combine(frequency)
        hasher.combine(pattern.maxGainDBi); hasher.combine(azimuth); hasher.combine(downtilt); hasher.combine(range)
        hasher.combine(budget)
    }
}

extension Transmitter {
    /// The transmitter without its id and EIRP (see `PropagationKey`).
    public var propagationKey: PropagationKey {
        PropagationKey(x: position.x, y: position.y, antennaHeight: antennaHeightMeters, frequency: frequencyHz, pattern: pattern,
                       azimuth: azimuthDegrees, downtilt: downtiltDegrees, range: maxRangeMeters,
                       budget: pathLossBudgetDB)
    }
}

/// Transmitters grouped by `PropagationKey`, in order of first appearance: the kernel runs once per group (for
/// its first member, the representative) and every member's powers are the representative's shifted by
/// `eirpShiftDB`. Deterministic: the grouping depends only on the list.
public struct TransmitterGroups: Sendable {
    /// Per group, the indices of its members in the list, ascending; the first is the representative.
    public let members: [[Int]]
    /// Per transmitter of the list: its EIRP minus its representative's EIRP [dB].
    public let eirpShiftDB: [Double]

    /// Groups a list of transmitters.
    /// - Complexity: O(n) hashing.
    public init(_ transmitters: [Transmitter]) {
        var groupOf: [PropagationKey: Int] = [:]
        var members: [[Int]] = []
        var shift = [Double](repeating: 0, count: transmitters.count)
        for (i, t) in transmitters.enumerated() {
            let key = t.propagationKey
            if let g = groupOf[key] {
                members[g].append(i)
                shift[i] = t.eirpDBm - transmitters[members[g][0]].eirpDBm
            } else {
                groupOf[key] = members.count
                members.append([i])
            }
        }
        self.members = members
        eirpShiftDB = shift
    }
}

/// How a path reaches a receiver.
public enum PathType: UInt8, Sendable, CaseIterable {
    /// Not computed (out of range) or no path found.
    case none = 0
    /// Direct line of sight.
    case lineOfSight = 1
    /// The direct path, diffracted over rooftops (ITU-R P.526 multiple edges).
    case overRooftops = 2
    /// Around building corners in the horizontal plane (dominant path).
    case aroundCorners = 3
}

/// The path-loss model the kernel applies.
public enum PropagationModel: String, Sendable, CaseIterable {
    /// Ray casting over the height raster: LOS, rooftop diffraction, corner paths (the default).
    case rayCast = "raycast"
    /// Free space (ITU-R P.525) everywhere, geometry ignored.
    case freeSpace = "fspl"
    /// 3GPP TR 38.901 UMa with the LOS state from the ray cast.
    case uma = "38901-uma"
    /// 3GPP TR 38.901 UMi-Street Canyon with the LOS state from the ray cast.
    case umi = "38901-umi"
    /// ITU-R P.1411 site-general below-rooftop with the LOS state from the ray cast.
    case p1411 = "p1411"
}

/// Settings of one kernel run.
///
/// The first four properties are the contract used by the coverage layer; `threads`, `maxCornerTurns`,
/// `cornerSearchRadiusMeters` and `cornerLoss` tune the ray-cast kernel and default to the documented values.
public struct KernelSettings: Sendable {
    /// Receiver height above ground outdoors [m].
    public var receiverHeightMeters: Double
    /// Path-loss model (`.rayCast` by default; the empirical models take the LOS state from the ray cast).
    public var model: PropagationModel
    /// Building entry loss for indoor cells: ITU-R P.2109 class and probability (50 % = median).
    public var buildingClass: P2109.BuildingClass
    public var buildingEntryProbabilityPercent: Double
    /// Worker threads for `compute` (0 = one per active processor). The result does not depend on it:
    /// every output cell is written by exactly one deterministic computation (bit-identical on 1 and N threads).
    public var threads: Int = 0
    /// Most building corners a horizontal (street-canyon) path may turn around (0 disables corner paths;
    /// 0…`cornerTurnsLimit`, see `validateCornerTurns`). The search is label-correcting by turns (docs/KERNEL.md §2).
    public var maxCornerTurns: Int = 2
    /// The largest `maxCornerTurns` the kernel accepts (each further turn costs at least 20 dB at a right angle,
    /// so eight turns are far beyond any power budget; the bound keeps a node level in one byte and the work finite).
    public static let cornerTurnsLimit = 8
    /// The allowed values of `maxCornerTurns`.
    public static let cornerTurnsRange = 0...cornerTurnsLimit

    /// Checks a number of corner turns given by a user; `argument` names it in the error (e.g. "--corner-turns").
    /// - Throws: `KernelSettingsError.cornerTurnsOutOfRange` outside `cornerTurnsRange` (never clamped silently).
    public static func validateCornerTurns(_ turns: Int, argument: String) throws(KernelSettingsError) -> Int {
        guard cornerTurnsRange.contains(turns) else {
            throw .cornerTurnsOutOfRange(argument: argument, value: turns, allowed: cornerTurnsRange)
        }
        return turns
    }
    /// Radius [m] searched from each building corner for the legs after a turn (bounds the corner work).
    public var cornerSearchRadiusMeters: Double = 300
    /// Loss per turn of a corner path.
    public var cornerLoss: CornerLossModel = CornerLossModel()

    /// Creates settings; the corner-path and threading knobs keep their defaults (set them afterwards).
    public init(receiverHeightMeters: Double = 1.5, model: PropagationModel = .rayCast,
                buildingClass: P2109.BuildingClass = .traditional, buildingEntryProbabilityPercent: Double = 50) {
        self.receiverHeightMeters = receiverHeightMeters
        self.model = model
        self.buildingClass = buildingClass
        self.buildingEntryProbabilityPercent = buildingEntryProbabilityPercent
    }
}

/// A kernel setting given out of its range.
public enum KernelSettingsError: Error, Equatable, CustomStringConvertible {
    case cornerTurnsOutOfRange(argument: String, value: Int, allowed: ClosedRange<Int>)

    public var description: String {
        switch self {
        case let .cornerTurnsOutOfRange(argument, value, allowed):
            return "\(argument) must be between \(allowed.lowerBound) and \(allowed.upperBound) corner turns, got \(value)"
        }
    }
}

/// Received power from one transmitter over a window of the scene grid (the cells within range).
public struct CoverageWindow: Sendable {
    /// Column of the window's first cell in the scene grid.
    public var columnOffset: Int
    /// Row of the window's first cell in the scene grid (row 0 north).
    public var rowOffset: Int
    /// Window width [cells].
    public var columns: Int
    /// Window height [cells].
    public var rows: Int
    /// Received power [dBm] per window cell, row-major; -infinity where not computed.
    public var receivedPowerDBm: [Float]
    /// Path loss [dB] (without antenna gain), +infinity where not computed.
    public var pathLossDB: [Float]
    /// `PathType` raw values.
    public var pathType: [UInt8]
    /// Wall time of the kernel's phases for this window [s]: "direct sweep", "corner set-up" (reach bounds, nodes, skip
    /// distances, the updates between levels, the final choice) and "corner level 1" … "corner level N"; empty for a window
    /// made otherwise. For benchmarks (docs/KERNEL.md §8); no result depends on it.
    public var phaseSeconds: [String: Double] = [:]

    /// Creates a window from its arrays (each `columns × rows` long, row-major).
    public init(columnOffset: Int, rowOffset: Int, columns: Int, rows: Int, receivedPowerDBm: [Float], pathLossDB: [Float], pathType: [UInt8]) {
        self.columnOffset = columnOffset
        self.rowOffset = rowOffset
        self.columns = columns
        self.rows = rows
        self.receivedPowerDBm = receivedPowerDBm
        self.pathLossDB = pathLossDB
        self.pathType = pathType
    }
}

/// One link from a transmitter to a point, with the reasons (for address queries).
public struct LinkResult: Sendable {
    /// Received power [dBm] = EIRP + `antennaGainDB` − `pathLossDB`; −∞ when not computed.
    public var receivedPowerDBm: Double
    /// Path loss of the dominant path [dB], including the building entry loss, without antenna gain.
    public var pathLossDB: Double
    /// Antenna gain towards the dominant path's first leg relative to the pattern maximum [dB] (≤ 0).
    public var antennaGainDB: Double
    /// Which path dominates.
    public var pathType: PathType
    /// 3-D length of the dominant path [m] (the whole path for corner paths).
    public var distanceMeters: Double
    /// Buildings (indices) that block the direct path.
    public var blockingBuildings: [Int32]
    /// Building entry loss included [dB] (0 outdoors).
    public var buildingEntryLossDB: Double

    /// Creates a link result; see the properties for units.
    public init(receivedPowerDBm: Double, pathLossDB: Double, antennaGainDB: Double, pathType: PathType, distanceMeters: Double,
                blockingBuildings: [Int32], buildingEntryLossDB: Double) {
        self.receivedPowerDBm = receivedPowerDBm
        self.pathLossDB = pathLossDB
        self.antennaGainDB = antennaGainDB
        self.pathType = pathType
        self.distanceMeters = distanceMeters
        self.blockingBuildings = blockingBuildings
        self.buildingEntryLossDB = buildingEntryLossDB
    }
}
