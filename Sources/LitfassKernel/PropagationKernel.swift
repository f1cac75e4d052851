import Foundation
import LitfassGeo
import LitfassRadio

/// The propagation kernel: received power from a transmitter over the scene raster.
///
/// PLACEHOLDER (free space only) until the ray-cast kernel lands; the public API stays.
public final class PropagationKernel: Sendable {
    public let scene: Scene
    public let settings: KernelSettings

    public init(scene: Scene, settings: KernelSettings = KernelSettings()) {
        self.scene = scene
        self.settings = settings
    }

    /// Received power over every cell within the transmitter's range.
    public func compute(_ transmitter: Transmitter) -> CoverageWindow {
        let grid = scene.grid
        let r = transmitter.maxRangeMeters
        let c0 = max(0, Int(((transmitter.position.x - r - grid.minX) / grid.cellSizeMeters).rounded(.down)))
        let c1 = min(grid.columns - 1, Int(((transmitter.position.x + r - grid.minX) / grid.cellSizeMeters).rounded(.down)))
        let r0 = max(0, Int(((grid.maxY - transmitter.position.y - r) / grid.cellSizeMeters).rounded(.down)))
        let r1 = min(grid.rows - 1, Int(((grid.maxY - transmitter.position.y + r) / grid.cellSizeMeters).rounded(.down)))
        let columns = max(0, c1 - c0 + 1), rows = max(0, r1 - r0 + 1)
        var power = [Float](repeating: -.infinity, count: columns * rows)
        var loss = [Float](repeating: .infinity, count: columns * rows)
        var type = [UInt8](repeating: 0, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let p = grid.center(column: c0 + column, row: r0 + row)
                let d2 = p.distance(to: transmitter.position)
                guard d2 <= r else { continue }
                let dz = transmitter.antennaHeightMeters - settings.receiverHeightMeters
                let d3 = max(1, (d2 * d2 + dz * dz).squareRoot())
                let l = FreeSpace.pathLossDB(distanceMeters: d3, frequencyHz: transmitter.frequencyHz)
                loss[row * columns + column] = Float(l)
                power[row * columns + column] = Float(transmitter.eirpDBm - l)
                type[row * columns + column] = PathType.lineOfSight.rawValue
            }
        }
        return CoverageWindow(columnOffset: c0, rowOffset: r0, columns: columns, rows: rows,
                              receivedPowerDBm: power, pathLossDB: loss, pathType: type)
    }

    /// One link to a point (same physics as `compute`).
    public func link(_ transmitter: Transmitter, to point: MapPoint, receiverHeightMeters: Double? = nil, indoor: Bool = false) -> LinkResult {
        let d2 = point.distance(to: transmitter.position)
        let dz = transmitter.antennaHeightMeters - (receiverHeightMeters ?? settings.receiverHeightMeters)
        let d3 = max(1, (d2 * d2 + dz * dz).squareRoot())
        let l = FreeSpace.pathLossDB(distanceMeters: d3, frequencyHz: transmitter.frequencyHz)
        return LinkResult(receivedPowerDBm: transmitter.eirpDBm - l, pathLossDB: l, antennaGainDB: 0, pathType: .lineOfSight,
                          distanceMeters: d3, blockingBuildings: [], buildingEntryLossDB: 0)
    }
}
