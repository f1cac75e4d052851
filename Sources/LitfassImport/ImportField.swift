import Foundation

/// A piece of information an import looks for in a site list. The raw value is the `FIELD` of
/// `--map FIELD=COLUMN`.
public enum ImportField: String, CaseIterable, Sendable, Hashable {
    /// The carrier's site id (required).
    case site
    /// Sector, cell or antenna id within the site (optional; else azimuth and band name the sector).
    case sector
    /// Site name (optional).
    case name
    /// Operator (required unless `--operator` is given).
    case `operator`
    /// LTE / NR / 4G / 5G (optional; picks the band for an ambiguous frequency).
    case technology
    /// Longitude [°] (with `lat`).
    case lon
    /// Latitude [°] (with `lon`).
    case lat
    /// Easting in `--crs` (with `y`).
    case x
    /// Northing in `--crs` (with `x`).
    case y
    /// A WKT point (CSV).
    case wkt
    /// Antenna height above ground [m] (required).
    case height
    /// Height of the structure's top [m] (optional; else the highest antenna).
    case structureHeight = "structure_height"
    /// Boresight azimuth [° from north] (optional; missing means omnidirectional).
    case azimuth
    /// Total downtilt [°, positive down] (optional).
    case tilt
    /// Mechanical downtilt [°] (added to `electrical_tilt` when no total tilt is given).
    case mechanicalTilt = "mechanical_tilt"
    /// Electrical downtilt [°].
    case electricalTilt = "electrical_tilt"
    /// Band name ("n78", "B20", "LTE 800") — or a frequency.
    case band
    /// Carrier centre frequency [MHz unless the header says Hz, kHz or GHz].
    case frequency
    /// Carrier bandwidth [MHz unless the header says otherwise].
    case bandwidth
    /// EIRP [dBm unless the header says W or dBW; ERP is converted].
    case eirp
    /// Transmit power [dBm unless the header says W or dBW]; EIRP = power + gain.
    case power
    /// Antenna gain [dBi].
    case gain

    /// Position in `allCases`.
    var ordinal: Int {
        switch self {
        case .site: return 0
        case .sector: return 1
        case .name: return 2
        case .operator: return 3
        case .technology: return 4
        case .lon: return 5
        case .lat: return 6
        case .x: return 7
        case .y: return 8
        case .wkt: return 9
        case .height: return 10
        case .structureHeight: return 11
        case .azimuth: return 12
        case .tilt: return 13
        case .mechanicalTilt: return 14
        case .electricalTilt: return 15
        case .band: return 16
        case .frequency: return 17
        case .bandwidth: return 18
        case .eirp: return 19
        case .power: return 20
        case .gain: return 21
        }
    }

    /// Header spellings recognised for the field, best first, in normalised form (lower case,
    /// umlauts spelled out, words joined by `_`, unit words removed; see `ColumnMapping.normalise`).
    var synonyms: [String] {
        switch self {
        case .site: return ["site_id", "siteid", "standort_id", "standortid", "standort_nr", "standortnummer", "standort_nummer",
                            "site_no", "site_nr", "site_number", "site_code", "station_id", "stations_id", "stationsnummer",
                            "mast_id", "enodeb_id", "enb_id", "gnodeb_id", "gnb_id", "bts_id", "node_id",
                            // The Bundesnetzagentur's EMF site list: the site certificate's number (see `EMFProfile`).
                            "standortbescheinigung_nr", "standortbescheinigungs_nr", "standortbescheinigungsnummer",
                            "standortbescheinigungs_nummer", "stob_nr", "stob_nummer",
                            "site", "standort", "station", "mast", "enodeb", "enb", "gnodeb", "gnb", "bts", "node"]
        case .sector: return ["sector_id", "sektor_id", "sektor_nr", "cell_id", "cellid", "zellen_id", "zell_id", "zelle_id",
                              "antenna_id", "antennen_id", "antennen_nr", "sector", "sektor", "cell", "cell_name", "zelle", "antenna", "antenne"]
        case .name: return ["site_name", "standortname", "standort_name", "name", "bezeichnung", "standortbezeichnung"]
        case .operator: return ["operator", "operator_name", "betreiber", "netzbetreiber", "mobilfunkbetreiber", "carrier", "provider", "mno", "netz"]
        case .technology: return ["technology", "tech", "technologie", "technik", "rat", "mobilfunkstandard", "funkstandard", "standard", "system", "generation"]
        case .lon: return ["lon", "lng", "long", "longitude", "laenge", "geo_laenge", "geogr_laenge", "laengengrad", "wgs84_lon", "lon_wgs84", "longitude_wgs84"]
        case .lat: return ["lat", "latitude", "breite", "geo_breite", "geogr_breite", "breitengrad", "wgs84_lat", "lat_wgs84", "latitude_wgs84"]
        case .x: return ["x", "easting", "east", "rechtswert", "ostwert", "utm_x", "x_utm", "x_coord", "coord_x", "rw", "e"]
        case .y: return ["y", "northing", "north", "hochwert", "nordwert", "utm_y", "y_utm", "y_coord", "coord_y", "hw", "n"]
        case .wkt: return ["wkt", "wkt_geom", "geometry", "geom", "the_geom", "geometrie"]
        case .height: return ["antenna_height", "antennenhoehe", "antennen_hoehe", "height", "hoehe", "height_agl", "agl",
                              "hoehe_ueber_grund", "antennenhoehe_ueber_grund", "montagehoehe", "installation_height",
                              "ant_height", "antenna_height_agl", "hoehe_agl", "h"]
        case .structureHeight: return ["structure_height", "mast_height", "masthoehe", "bauwerkshoehe", "gebaeudehoehe", "tower_height", "building_height"]
        case .azimuth: return ["azimuth", "azimut", "az", "hauptstrahlrichtung", "hsr", "bearing", "direction", "ausrichtung", "richtung",
                               "orientation", "antenna_azimuth", "azimuth_angle"]
        case .tilt: return ["tilt", "downtilt", "total_tilt", "tilt_total", "total_downtilt", "gesamtneigung", "neigung", "down_tilt", "elevation_tilt"]
        case .mechanicalTilt: return ["mechanical_tilt", "mech_tilt", "m_tilt", "mtilt", "mechanische_neigung", "mechanical_downtilt"]
        case .electricalTilt: return ["electrical_tilt", "elec_tilt", "e_tilt", "etilt", "elektrische_neigung", "electrical_downtilt", "ret"]
        case .band: return ["band", "frequency_band", "frequenzband", "band_name", "lte_band", "nr_band", "freq_band", "frequenzbereich"]
        case .frequency: return ["frequency", "freq", "frequenz", "carrier_frequency", "centre_frequency", "center_frequency", "mittenfrequenz",
                                 "dl_frequency", "downlink_frequency", "dl_freq", "sendefrequenz", "traegerfrequenz"]
        case .bandwidth: return ["bandwidth", "bandbreite", "bw", "channel_bandwidth", "kanalbandbreite", "carrier_bandwidth"]
        case .eirp: return ["eirp", "eirp_max", "max_eirp", "leistung_eirp", "eirp_leistung", "sendeleistung_eirp", "strahlungsleistung", "erp"]
        case .power: return ["power", "tx_power", "txpower", "leistung", "sendeleistung", "output_power", "ausgangsleistung", "transmit_power", "pwr"]
        case .gain: return ["gain", "antenna_gain", "antennengewinn", "gewinn", "ant_gain"]
        }
    }
}

/// A unit named in a column header, e.g. "EIRP [W]", "Frequenz (MHz)", "eirp_dbw".
enum HeaderUnit: Sendable, Equatable {
    case watt, dBW, dBm, hertz, kilohertz, megahertz, gigahertz, metre, degree, dBi
}

/// One column of the input chosen for a field.
struct ResolvedColumn: Sendable {
    /// Position among the layer's fields.
    var index: Int
    /// The column's name as the file spells it.
    var name: String
    /// The unit the header names, if any.
    var unit: HeaderUnit?
    /// True for an ERP column (EIRP = ERP + 2.15 dB).
    var isERP: Bool
}

/// Which input column feeds which field: recognised from the header, overridden by `--map`.
struct ColumnMapping: Sendable {
    var columns: [ImportField: ResolvedColumn]

    subscript(field: ImportField) -> ResolvedColumn? { columns[field] }

    /// The normalised key of a header and the unit it names: lower case, ä/ö/ü/ß spelled out,
    /// accents dropped, words joined by `_`, unit words ("m", "deg", "dBm", "W", "MHz", ...) removed.
    static func normalise(_ header: String) -> (key: String, unit: HeaderUnit?) {
        normalise(header, wildcards: false)
    }

    /// With `wildcards`, a "__" inside a word stands for one lost non-ASCII letter (see `mangled`).
    static func normalise(_ header: String, wildcards: Bool) -> (key: String, unit: HeaderUnit?) {
        var text = header.lowercased()
        for (umlaut, spelled) in [("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")] {
            text = text.replacingOccurrences(of: umlaut, with: spelled)
        }
        text = text.folding(options: [.diacriticInsensitive], locale: nil).replacingOccurrences(of: "°", with: " deg ")
        // GDAL's LIBKML driver writes each byte of a non-ASCII letter as "_" ("Höhe" → "H__he"):
        // keep such a pair as one wildcard letter that matches ae, oe, ue or ss.
        if wildcards { text = text.replacingOccurrences(of: "__", with: String(mangled)) }
        var words: [String] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber || character == mangled { current.append(character) } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        let units: [String: HeaderUnit] = [
            "m": .metre, "meter": .metre, "metre": .metre, "meters": .metre, "metres": .metre,
            "deg": .degree, "degree": .degree, "degrees": .degree, "grad": .degree,
            "dbm": .dBm, "w": .watt, "watt": .watt, "watts": .watt, "dbw": .dBW,
            "hz": .hertz, "khz": .kilohertz, "mhz": .megahertz, "ghz": .gigahertz, "dbi": .dBi, "db": .dBi,
            "in": .metre,  // "Höhe in m": the unit word follows; "in" alone carries nothing
        ]
        var unit: HeaderUnit?
        var kept: [String] = []
        for (position, word) in words.enumerated() {
            // A unit word follows what it measures: "height_m", "EIRP [W]"; "m_tilt" is no unit.
            if let u = units[word], position > 0 {
                if word != "in" { unit = u }
            } else {
                kept.append(word)
            }
        }
        return (kept.joined(separator: "_"), unit)
    }

    /// Stands for a letter GDAL could not keep (see `normalise`).
    static let mangled: Character = "\u{1}"

    /// Whether a normalised header key is the synonym, a wildcard matching ae, oe, ue or ss.
    static func matches(_ key: String, _ synonym: String) -> Bool {
        if !key.contains(mangled) { return key == synonym }
        func match(_ k: Substring, _ s: Substring) -> Bool {
            guard let first = k.first else { return s.isEmpty }
            if first == mangled {
                return ["ae", "oe", "ue", "ss"].contains { s.hasPrefix($0) && match(k.dropFirst(), s.dropFirst(2)) }
            }
            return s.first == first && match(k.dropFirst(), s.dropFirst())
        }
        return match(Substring(key), Substring(synonym))
    }

    /// Recognises the columns of a header.
    /// - Parameters:
    ///   - header: the layer's field names, in order.
    ///   - overrides: `--map FIELD=COLUMN`; the column is matched exactly, then ignoring case.
    /// - Throws: `ImportError.unknownColumn` when an override names a column that is not there.
    static func resolve(header: [String], overrides: [ImportField: String], file: String) throws -> ColumnMapping {
        let normalised = header.map(normalise)
        let wild = header.map { $0.contains("__") ? normalise($0, wildcards: true).key : nil }
        func matches(_ index: Int, _ synonym: String) -> Bool {
            normalised[index].key == synonym || wild[index].map { Self.matches($0, synonym) } == true
        }
        var used = Set<Int>()
        var columns: [ImportField: ResolvedColumn] = [:]
        func column(_ index: Int) -> ResolvedColumn {
            ResolvedColumn(index: index, name: header[index], unit: normalised[index].unit, isERP: normalised[index].key == "erp")
        }
        for (field, name) in overrides.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let index = header.firstIndex(of: name)
                ?? header.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw ImportError.unknownColumn(file: file, column: name, field: field.rawValue, columns: header)
            }
            columns[field] = column(index)
            used.insert(index)
        }
        for field in ImportField.allCases where columns[field] == nil {
            for synonym in field.synonyms {
                if let index = normalised.indices.first(where: { !used.contains($0) && matches($0, synonym) }) {
                    columns[field] = column(index)
                    used.insert(index)
                    break
                }
            }
        }
        // A bare "id" is the site id only when nothing else is; a "name" likewise (KML placemarks).
        if columns[.site] == nil {
            if let index = normalised.indices.first(where: { !used.contains($0) && ["id", "nr", "nummer", "number"].contains(normalised[$0].key) }) {
                columns[.site] = column(index)
            } else if let name = columns[.name] {
                columns[.site] = name
            }
        }
        return ColumnMapping(columns: columns)
    }

    /// "site ← Standort-ID, lon ← Länge, ..." in field order, for the summary.
    var summary: String {
        ImportField.allCases.compactMap { field in columns[field].map { "\(field.rawValue) ← \($0.name)" } }.joined(separator: ", ")
    }
}
