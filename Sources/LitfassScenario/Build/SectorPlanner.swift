/// Places sectors on sites as the assumptions say: every operator of `macroSites.operatorsPerMast`
/// once on every rooftop site (mast nodes on one roof are merged into one site first, see
/// `ScenarioBuilder`), with all its carriers, so no operator is stacked co-channel on one roof, and the small-cell carrier on every equipped column.
public struct SectorPlanner: Sendable {
    public var assumptions: Assumptions

    public init(assumptions: Assumptions) { self.assumptions = assumptions }

    /// Sectors for the given sites, in site order.
    public func sectors(for sites: [Site]) -> [Sector] {
        var sectors: [Sector] = []
        let macro = assumptions.macroSites
        // Electrical plus mechanical tilt when both are stated (validated to equal downtiltDegrees).
        let totalTilt = macro.electricalDowntiltDegrees.flatMap { e in macro.mechanicalDowntiltDegrees.map { e.value + $0.value } }
            ?? macro.downtiltDegrees.value
        for site in sites {
            switch site.kind {
            case .rooftopMast:
                for operatorName in macro.operatorsPerMast.value {
                    guard let op = assumptions.operators.first(where: { $0.name == operatorName }) else { continue }
                    for carrier in op.carriers {
                        for azimuth in macro.sectorAzimuthsDegrees.value {
                            sectors.append(Sector(
                                id: "\(site.id)/\(op.name)/\(carrier.band)/\(Int(azimuth))", siteID: site.id, operatorName: op.name,
                                band: carrier.band, centreFrequencyHz: carrier.centreFrequencyMHz.value * 1e6,
                                bandwidthHz: carrier.bandwidthMHz.value * 1e6, eirpDBm: carrier.eirpDBm.value,
                                antennaHeightMeters: site.structureHeightMeters + macro.antennaHeightAboveRoofMeters.value,
                                azimuthDegrees: azimuth, downtiltDegrees: totalTilt,
                                pattern: macro.pattern.value, isAssumption: true))
                        }
                    }
                }
            case .advertisingColumn:
                sectors.append(smallCellSector(on: site))
            case .imported:
                break
            }
        }
        return sectors
    }

    /// The sector a small cell on this column would have once equipped.
    public func smallCellSector(on site: Site) -> Sector {
        let small = assumptions.smallCells
        return Sector(id: "\(site.id)/\(small.operatorName.value)/\(small.band)/omni", siteID: site.id, operatorName: small.operatorName.value,
                      band: small.band, centreFrequencyHz: small.centreFrequencyMHz.value * 1e6, bandwidthHz: small.bandwidthMHz.value * 1e6,
                      eirpDBm: small.eirpDBm.value, antennaHeightMeters: small.antennaHeightMeters.value, azimuthDegrees: 0,
                      downtiltDegrees: small.downtiltDegrees.value, pattern: small.pattern.value, isAssumption: true)
    }
}
