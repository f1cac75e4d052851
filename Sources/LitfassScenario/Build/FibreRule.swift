import LitfassGeo

/// The illustrative fibre trunk network. Real operators' routes are not public, so Litfass lays
/// trunks by a stated rule: every street whose OSM class is among `trunkStreetClasses` carries a
/// trunk along its centre line, and access points (splice points / street cabinets) sit along
/// each trunk every `accessPointSpacingMeters`, starting at its first node, plus its last node.
/// Points closer than 1 m to one already placed are merged. The output is deterministic for the
/// same streets and assumptions. Any real fibre layer can replace it.
public struct FibreRule: Sendable {
    public var fibre: Assumptions.Fibre

    public init(_ fibre: Assumptions.Fibre) { self.fibre = fibre }

    /// Trunk segments and access points for streets (sorted by id for determinism).
    public func generate(streets: [Street]) -> (segments: [FibreSegment], accessPoints: [FibreAccessPoint]) {
        let classes = Set(fibre.trunkStreetClasses)
        let spacing = fibre.accessPointSpacingMeters.value
        var segments: [FibreSegment] = []
        var points: [MapPoint] = []
        var seen = Set<Int64>()
        func place(_ p: MapPoint) {
            // Merge points within ~1 m: key on the rounded metre (and its neighbours).
            let kx = Int64(p.x.rounded()), ky = Int64(p.y.rounded())
            for dx in -1...1 { for dy in -1...1 where seen.contains((kx + Int64(dx)) << 32 | ((ky + Int64(dy)) & 0xffff_ffff)) { return } }
            seen.insert(kx << 32 | (ky & 0xffff_ffff))
            points.append(p)
        }
        for street in streets where classes.contains(street.streetClass) {
            segments.append(FibreSegment(id: "fibre/\(street.id)", line: street.line, isIllustrative: fibre.illustrative))
            var along = 0.0, next = 0.0
            for (a, b) in zip(street.line.points, street.line.points.dropFirst()) {
                let length = a.distance(to: b)
                while next <= along + length, length > 0 {
                    let t = (next - along) / length
                    place(MapPoint(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
                    next += spacing
                }
                along += length
            }
            if let last = street.line.points.last { place(last) }
        }
        let accessPoints = points.enumerated().map {
            FibreAccessPoint(id: "fibre-ap/\($0.offset + 1)", location: $0.element, isIllustrative: fibre.illustrative)
        }
        return (segments, accessPoints)
    }
}
