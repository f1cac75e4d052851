import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// One sector's link to a point.
public struct SectorLink: Sendable {
    /// The sector id.
    public var sectorID: String
    /// The sector's site.
    public var siteID: String
    /// RSRP [dBm per resource element].
    public var rsrpDBm: Double
    /// Path loss [dB] without antenna gain, as the kernel reports it.
    public var pathLossDB: Double
    /// How the path reaches the point.
    public var pathType: PathType
    /// 3-D distance [m].
    public var distanceMeters: Double
    /// Building entry loss included [dB] (0 outdoors).
    public var buildingEntryLossDB: Double
}

/// One carrier of an operator at a point.
public struct CarrierAtPoint: Sendable {
    /// Band name ("n78").
    public var band: String
    /// Centre frequency [Hz].
    public var centreFrequencyHz: Double
    /// The strongest sector and the second strongest; nil when none is above the RSRP floor.
    public var serving: SectorLink?
    public var runnerUp: SectorLink?
    /// Downlink SINR [dB] of the serving sector; nil without service.
    public var sinrDB: Double?
    /// Throughput [Mbit/s]; 0 without service.
    public var downlinkMbps: Double
    public var uplinkMbps: Double
}

/// One operator at a point, combined as in the maps.
public struct OperatorAtPoint: Sendable {
    /// Operator name.
    public var name: String
    /// Per carrier layer of the operator.
    public var carriers: [CarrierAtPoint]
    /// Index into `carriers` of the strongest carrier (highest serving RSRP); nil without service.
    public var strongestCarrier: Int?
    /// Serving and runner-up sector of the strongest carrier.
    public var serving: SectorLink? { strongestCarrier.flatMap { carriers[$0].serving } }
    public var runnerUp: SectorLink? { strongestCarrier.flatMap { carriers[$0].runnerUp } }
    /// RSRP [dBm per RE] and SINR [dB] of the strongest carrier.
    public var rsrpDBm: Double? { serving?.rsrpDBm }
    public var sinrDB: Double? { strongestCarrier.flatMap { carriers[$0].sinrDB } }
    /// Downlink throughput summed over the carriers (carrier aggregation) [Mbit/s].
    public var downlinkMbps: Double { carriers.reduce(0) { $0 + $1.downlinkMbps } }
    /// Uplink throughput of the best single carrier [Mbit/s]: the UE's power (23 dBm in total) goes to one
    /// uplink carrier at a time, as in the maps.
    public var uplinkMbps: Double { carriers.reduce(0) { max($0, $1.uplinkMbps) } }
    /// Index into `carriers` of the carrier the uplink uses (most uplink throughput); nil without service.
    public var uplinkCarrier: Int? {
        carriers.indices.filter { carriers[$0].serving != nil }.max { carriers[$0].uplinkMbps < carriers[$1].uplinkMbps }
    }
}

extension CoverageRun {
    /// Height of one storey [m] for `floor` in `linksAt` (the scenario's storey height).
    public var storeyHeightMeters: Double { scenario.assumptions.buildingHeights.storeyHeightMeters.value }

    /// Serving and runner-up sector, RSRP, SINR and throughput per operator at one point, with the
    /// same physics as the maps (`PropagationKernel.link`, the RSRP floor and range limits, the
    /// same SINR and throughput mapping).
    /// - Parameters:
    ///   - point: position [m, EPSG:25832].
    ///   - indoor: whether the receiver is inside a building (the kernel adds building entry loss).
    ///   - floor: storey above ground (0 = ground floor); the receiver is at
    ///     `receiverHeightMeters + floor × storeyHeightMeters`.
    public func linksAt(point: MapPoint, indoor: Bool = false, floor: Int = 0) -> [OperatorAtPoint] {
        links(at: point, plan: plan, indoor: indoor, floor: floor)
    }

    /// As `linksAt`, for another radio plan over the same scene — e.g. the plan with one more
    /// candidate site equipped, to see what it would change.
    public func links(at point: MapPoint, plan: RadioPlan, indoor: Bool = false, floor: Int = 0) -> [OperatorAtPoint] {
        operators(from: sectorLinks(at: point, plan: plan, indoor: indoor, floor: floor), plan: plan)
    }

    /// Every sector's link at one point (`PropagationKernel.links(from:to:)`, RSRP per RE); nil beyond the
    /// sector's range, below the RSRP floor, or not `included`. Indexed like `plan.sectors`.
    public func sectorLinks(at point: MapPoint, plan: RadioPlan, indoor: Bool = false, floor: Int = 0,
                            included: (Int) -> Bool = { _ in true }) -> [SectorLink?] {
        let height = options.receiverHeightMeters + Double(max(0, floor)) * storeyHeightMeters
        let floorDBm = options.assumptions.rsrpFloorDBm
        // Every sector's RSRP at the point (nil beyond its range or below the floor); the kernel evaluates the
        // sectors in range together and in parallel (same values as one `link` each).
        let inRange = plan.sectors.indices.filter {
            included($0) && point.distance(to: plan.sectors[$0].transmitter.position) <= plan.sectors[$0].transmitter.maxRangeMeters
        }
        let computed = kernel.links(from: inRange.map { plan.sectors[$0].transmitter }, to: point, receiverHeightMeters: height, indoor: indoor)
        var linkOf = [LinkResult?](repeating: nil, count: plan.sectors.count)
        for (k, i) in inRange.enumerated() { linkOf[i] = computed[k] }
        return plan.sectors.indices.map { index in
            let planned = plan.sectors[index]
            guard let link = linkOf[index] else { return nil }
            let rsrp = Double(Float(LinkPhysics.rsrpDBm(receivedPowerDBm: link.receivedPowerDBm, resourceElementOffsetDB: planned.resourceElementOffsetDB)))
            guard rsrp.isFinite, rsrp >= floorDBm else { return nil }
            return SectorLink(sectorID: planned.sector.id, siteID: planned.sector.siteID, rsrpDBm: rsrp, pathLossDB: link.pathLossDB,
                              pathType: link.pathType, distanceMeters: link.distanceMeters, buildingEntryLossDB: link.buildingEntryLossDB)
        }
    }

    /// Serving and runner-up sector, SINR and throughput per operator from per-sector links (indexed like
    /// `plan.sectors`; nil = the sector does not reach the point), with the maps' rules: sector order decides
    /// ties, every other co-channel sector interferes.
    public func operators(from links: [SectorLink?], plan: RadioPlan) -> [OperatorAtPoint] {
        return plan.operators.map { op in
            let carriers = op.layers.map { layerIndex -> CarrierAtPoint in
                let layer = plan.layers[layerIndex]
                // Sector order decides ties, as in the maps.
                let ranked = layer.sectors.compactMap { s in links[s].map { (s, $0) } }
                    .enumerated().sorted { ($1.element.1.rsrpDBm, $0.offset) < ($0.element.1.rsrpDBm, $1.offset) }.map(\.element)
                guard let (servingIndex, serving) = ranked.first else {
                    return CarrierAtPoint(band: layer.bandName, centreFrequencyHz: layer.centreFrequencyHz, serving: nil, runnerUp: nil,
                                          sinrDB: nil, downlinkMbps: 0, uplinkMbps: 0)
                }
                let interference = ranked.dropFirst().reduce(0.0) { $0 + Double(LinkPhysics.milliwatts(Float($1.1.rsrpDBm))) }
                let sinr = physics.sinrDB(servingDBm: serving.rsrpDBm, interferenceMilliwatts: interference, noiseDBm: layer.noisePerResourceElementDBm,
                                          interferenceFactor: layer.interferenceFactor)
                let sector = plan.sectors[servingIndex].radio
                return CarrierAtPoint(band: layer.bandName, centreFrequencyHz: layer.centreFrequencyHz, serving: serving,
                                      runnerUp: ranked.dropFirst().first?.1, sinrDB: sinr,
                                      downlinkMbps: physics.downlinkMbps(sinrDB: sinr, sector: sector),
                                      uplinkMbps: physics.uplinkMbps(rsrpDBm: serving.rsrpDBm, sector: sector))
            }
            var strongest: Int?
            for (k, c) in carriers.enumerated() {
                guard let s = c.serving else { continue }
                if strongest == nil || s.rsrpDBm > carriers[strongest!].serving!.rsrpDBm { strongest = k }
            }
            return OperatorAtPoint(name: op.name, carriers: carriers, strongestCarrier: strongest)
        }
    }
}
