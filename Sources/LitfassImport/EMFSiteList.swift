import Foundation
import LitfassRadio
import LitfassScenario

/// The shape of the Bundesnetzagentur's public EMF site data (EMF-Datenportal / EMF-Karte):
/// one row per transmitting antenna of a site certificate (Standortbescheinigung), with the
/// certificate number, the position (WGS84), the kind of radio service, the safety distances,
/// the main beam direction and the mounting height — but no operator, band, frequency or power.
///
/// Columns as published by scrapers of the portal (e.g. `fid, standortbescheinigung_nr, lon, lat,
/// type, hdistance, vdistance, direction, height`), with the meaning the portal's site page gives
/// them (docs/IMPORT.md cites both):
/// - `standortbescheinigung_nr`: the certificate number, taken as the site id;
/// - `type`: "Mobilfunk" (a mobile network's antenna) or another service such as "Sonstige
///   Funkanlage"; only mobile rows are imported, the others are rejected with that reason;
/// - `hdistance`, `vdistance`: the safety distances in the main beam direction and vertically [m]
///   (not used: they bound the exposure, not the coverage);
/// - `direction`: the main beam direction (Hauptstrahlrichtung) [° from north] → azimuth;
/// - `height`: the mounting height above ground (Montagehöhe über Grund) [m] → antenna height.
///
/// What the list does not state is assumed and stored as such (`Sector.isAssumption`): the
/// operator (`operatorLabel`, or `--operator`), the band (`assumedBandName`), and — as for any
/// row without them — frequency, bandwidth and EIRP from the scenario's assumptions for that band
/// and the scenario's assumed macro downtilt.
struct EMFProfile: Sendable {
    /// Normalised header names of the certificate number.
    static let certificateKeys: Set<String> = ["standortbescheinigung_nr", "standortbescheinigungs_nr", "standortbescheinigungsnummer",
                                               "standortbescheinigungs_nummer", "stob_nr", "stob_nummer"]
    /// Normalised header names of the radio service column.
    static let serviceKeys = ["type", "sendeantenne", "funkanlage", "anlagentyp", "art"]
    /// The service value of a mobile network's antenna.
    static let mobileService = "mobilfunk"
    /// The operator of the rows when `--operator` is not given: the list does not name it.
    static let operatorLabel = "unknown"
    /// The band assumed for every row. Assumption: LTE band 20 (800 MHz), the coverage layer each of
    /// the three German network operators holds (Bundesnetzagentur frequency auction 2010: 2 × 10 MHz
    /// at 800 MHz for each of Telekom, Vodafone and Telefónica).
    static let assumedBandName = "B20"

    /// Column of the radio service ("Mobilfunk"), if the file has one.
    var serviceColumn: Int?
    var band: Band
    /// The operator written into every row.
    var operatorName: String
    /// Each row's number among the rows of its certificate, in file order (1 = the first), by row index.
    var antennaNumbers: [Int]

    /// The profile when the header has a certificate-number column as the site id and neither a
    /// band nor a frequency column; nil otherwise (an ordinary carrier list).
    static func detect(header: [String], mapping: ColumnMapping, rows: [SourceRow], operatorOverride: String?) -> EMFProfile? {
        guard let site = mapping[.site], certificateKeys.contains(ColumnMapping.normalise(site.name).key),
              mapping[.band] == nil, mapping[.frequency] == nil, let band = Band.named(assumedBandName) else { return nil }
        let keys = header.map { ColumnMapping.normalise($0).key }
        let service = serviceKeys.lazy.compactMap { key in keys.firstIndex(of: key) }.first
        var seen: [String: Int] = [:]
        let numbers = rows.map { row -> Int in
            let id = row.values[site.index].trimmedText ?? ""
            seen[id, default: 0] += 1
            return seen[id]!
        }
        return EMFProfile(serviceColumn: service, band: band, operatorName: mapping[.operator] == nil ? operatorOverride ?? operatorLabel : "",
                          antennaNumbers: numbers)
    }

    /// Whether a header could make an EMF list (decided by `detect` once every row is read).
    static func mayBe(header: [String], mapping: ColumnMapping) -> Bool {
        guard let site = mapping[.site] else { return false }
        return certificateKeys.contains(ColumnMapping.normalise(site.name).key) && mapping[.band] == nil && mapping[.frequency] == nil
    }

    /// The summary's note: what the list is and what is assumed.
    func note(header: [String]) -> String {
        let ignored = header.filter { ["hdistance", "vdistance", "fid"].contains(ColumnMapping.normalise($0).key) }
        return "Bundesnetzagentur EMF site list: one row per antenna, site id = certificate number (Standortbescheinigung); "
            + (serviceColumn.map { "only '\(header[$0])' = Mobilfunk rows are mobile antennas; " } ?? "")
            + "ASSUMED for every sector (stored as assumptions): operator '\(operatorName.isEmpty ? "from the file" : operatorName)', band \(band.name), "
            + "frequency, bandwidth, EIRP and downtilt from the scenario's assumptions"
            + (ignored.isEmpty ? "" : "; not used: \(ignored.joined(separator: ", ")) (safety distances and the portal's record id)")
    }

    /// The sector part of a row: its antenna number within the certificate ("a7").
    func sectorPart(rowIndex: Int) -> String { "a\(antennaNumbers[rowIndex])" }

    /// Why a row's service is not imported; nil for a mobile antenna (or when the list has no service column).
    func serviceFault(_ row: SourceRow) -> (value: String, reason: String)? {
        guard let serviceColumn else { return nil }
        guard let text = row.values[serviceColumn].trimmedText else {
            return ("", "missing radio service (the EMF list's type; only Mobilfunk rows are imported)")
        }
        guard text.lowercased() == Self.mobileService else {
            return (text, "not a mobile network antenna (the EMF list's type; only Mobilfunk rows are imported)")
        }
        return nil
    }
}

/// Says which values of imported sectors are assumptions: sectors of imported sites marked
/// `isAssumption` come from a list that states only position, height and direction (the EMF list).
public enum ImportedAssumptions {
    /// One line per operator with such sectors, naming the assumed values; empty when there are none.
    /// - Parameters:
    ///   - sectors: the sectors a run uses.
    ///   - sites: the scenario's sites (to tell imported ones).
    public static func lines(sectors: [Sector], sites: [Site]) -> [String] {
        let imported = Set(sites.filter { $0.kind == .imported }.map(\.id))
        let assumed = sectors.filter { $0.isAssumption && imported.contains($0.siteID) }
        var order: [String] = []
        var byOperator: [String: [Sector]] = [:]
        for sector in assumed {
            if byOperator[sector.operatorName] == nil { order.append(sector.operatorName) }
            byOperator[sector.operatorName, default: []].append(sector)
        }
        return order.map { name in
            let group = byOperator[name]!
            func values(_ f: (Sector) -> String) -> String { Array(Set(group.map(f))).sorted().joined(separator: "/") }
            let sites = Set(group.map(\.siteID)).count
            return "ASSUMED for \(group.count) sectors on \(sites) imported sites of operator '\(name)' (a list without operator or band): "
                + "the operator, band \(values(\.band)), centre frequency \(values { format($0.centreFrequencyHz / 1e6) }) MHz, "
                + "bandwidth \(values { format($0.bandwidthHz / 1e6) }) MHz, EIRP \(values { format($0.eirpDBm) }) dBm, "
                + "downtilt \(values { format($0.downtiltDegrees) })°; positions, antenna heights and directions are the list's"
        }
    }
}
