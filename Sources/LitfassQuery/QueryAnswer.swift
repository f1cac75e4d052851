import Foundation
import LitfassGeo
import LitfassKernel
import LitfassScenario

/// Radio figures at one place: median (the model's value) and cautious (90 % of locations do at
/// least this well: the median less the location variability, see `QueryEngine`).
public struct LinkFigures: Sendable, Hashable, Codable {
    /// RSRP [dBm per resource element].
    public var rsrpDBm: Double
    /// Downlink SINR [dB].
    public var sinrDB: Double
    /// Downlink throughput summed over the operator's carriers [Mbit/s]: median and cautious.
    public var downlinkMbps: Double
    public var downlinkMbpsCautious: Double
    /// Uplink throughput [Mbit/s]: median and cautious.
    public var uplinkMbps: Double
    public var uplinkMbpsCautious: Double
    /// Building entry loss included [dB] (0 outdoors).
    public var buildingEntryLossDB: Double
}

/// Why the best link is what it is.
public struct LinkReason: Sendable, Hashable, Codable {
    /// "line of sight", "over the roofs", "around corners".
    public var pathType: String
    /// 3-D distance to the serving antenna [m].
    public var distanceMeters: Double
    /// Buildings blocking the direct path (ids), nearest first.
    public var blockingBuildings: [String]
}

/// One carrier's share of an operator's throughput at a place.
public struct CarrierShare: Sendable, Hashable, Codable {
    /// Band name ("n78").
    public var band: String
    /// Downlink and uplink throughput on this carrier [Mbit/s] (median).
    public var downlinkMbps: Double
    public var uplinkMbps: Double
}

/// One operator's answer.
public struct OperatorAnswer: Sendable, Hashable, Codable {
    public var operatorName: String
    /// Site serving the outdoor point (strongest carrier); differs from `site` when the indoor and
    /// outdoor answers come from different masts.
    public var outdoorSite: String?
    /// Per carrier throughput indoors and outdoors (nil when not computed).
    public var indoorCarriers: [CarrierShare]?
    public var outdoorCarriers: [CarrierShare]?
    /// Serving site and sector (of the strongest carrier); nil without service.
    public var site: String?
    public var sector: String?
    public var band: String?
    public var outdoor: LinkFigures?
    public var indoor: LinkFigures?
    public var runnerUpSite: String?
    public var reason: LinkReason?
}

/// The candidate Litfaßsäule that would improve the answer most.
public struct Improvement: Sendable, Hashable, Codable {
    public var candidateSite: String
    public var operatorName: String
    public var distanceMeters: Double
    /// Indoor downlink (median) now and with the candidate equipped [Mbit/s].
    public var indoorDownlinkMbpsBefore: Double
    public var indoorDownlinkMbpsAfter: Double
    public var indoorRSRPDBmAfter: Double
}

/// The whole answer for one building.
public struct QueryAnswer: Sendable {
    /// What was asked, as given.
    public var question: String
    /// The matched address, or nil for a lon/lat question.
    public var address: Address?
    public var building: Building?
    /// Where the answer is computed [m] and in WGS84.
    public var location: MapPoint
    public var locationWGS84: LonLat
    /// The outdoor receiver point in front of the building [m].
    public var facade: MapPoint
    public var floor: Int
    public var fibre: FibreAnswer?
    public var mobile: [OperatorAnswer]
    public var improvement: Improvement?
    /// Statements the answer rests on that are assumptions (illustrative fibre, assumed sites, …).
    public var assumptions: [String]
    public var attribution: String
    /// True when the place lies outside the area the scenario's building data covers: no radio answer.
    public var noBuildingData: Bool = false
}

/// The outcome of an address question.
public enum QueryOutcome: Sendable {
    case answer(QueryAnswer)
    /// Several buildings match.
    case ambiguous([Address])
    /// No match; suggestions to try.
    case notFound(suggestions: [String])
}

/// Errors of the query use case, naming what was wrong.
public enum QueryError: Error, Sendable, CustomStringConvertible {
    /// The text is not "<street> <house number>[, <postcode> <city>]".
    case unreadableAddress(String)
    /// A lon/lat outside the scenario.
    case outsideScenario(LonLat)

    public var description: String {
        switch self {
        case .unreadableAddress(let text):
            return "'\(text)' is not an address: expected \"<street> <house number>[, <postcode> <city>]\", e.g. \"Krefelder Straße 15, 41460 Neuss\""
        case .outsideScenario(let p):
            return "\(String(format: "%.5f,%.5f", p.lon, p.lat)) lies outside the scenario"
        }
    }
}

extension PathType {
    /// Plain words for a person.
    public var words: String {
        switch self {
        case .none: return "no path"
        case .lineOfSight: return "line of sight"
        case .overRooftops: return "over the roofs"
        case .aroundCorners: return "around corners"
        }
    }
}
