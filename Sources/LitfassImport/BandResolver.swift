import Foundation
import LitfassRadio

/// Radio access technology as site lists write it.
enum TechnologyValue: Equatable {
    case lte, nr
    /// GSM, UMTS and the like: not modelled.
    case unsupported(String)
    case unknown(String)

    init(text: String) {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "lte", "4g", "eutra", "eutran", "lteadvanced", "ltea", "lteapro", "l": self = .lte
        case "nr", "5g", "5gnr", "nrsa", "nrnsa", "5gsa", "5gnsa", "n": self = .nr
        case "gsm", "2g", "umts", "3g", "wcdma", "hspa", "edge", "gprs", "tetra": self = .unsupported(text)
        default: self = .unknown(text)
        }
    }

    var radio: Band.Technology? {
        switch self {
        case .lte: return .lte
        case .nr: return .nr
        default: return nil
        }
    }
}

/// Finds the band preset for a band cell ("n78", "B20", "LTE 800", "L1800", "800") or a
/// frequency (a carrier centre within a band's downlink, or a band's nominal frequency).
enum BandResolver {
    /// Nominal frequencies [MHz] carriers use as band names, and the preset for each technology.
    private static let nominal: [Int: (lte: String?, nr: String?)] = [
        700: (nil, "n28"), 800: ("B20", nil), 1800: ("B3", "n3"), 2100: (nil, "n1"), 2600: ("B7", "n7"),
        3500: (nil, "n78"), 3600: (nil, "n78"), 3700: (nil, "n78"),
    ]

    static var knownNames: String { Band.all.map(\.name).joined(separator: ", ") }

    /// The preset a band cell names; nil when none. `technology` disambiguates nominal values.
    static func band(named text: String, technology: Band.Technology?) -> Band? {
        if let band = Band.named(text) { return band }
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "," }
        // "L800", "LTE1800", "NR3600", "5G3600", "B 20", "band20"
        var tech = technology
        var rest = Substring(key)
        for (prefix, t) in [("lte", Band.Technology.lte), ("4g", .lte), ("nr", .nr), ("5g", .nr), ("l", .lte), ("n", .nr), ("b", .lte)] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            if tech == nil { tech = t }
            if prefix == "b" || prefix == "n" {
                // "b20", "n78": a band number
                if let number = Int(rest), let band = Band.named((prefix == "b" ? "B" : "n") + String(number)) { return band }
            }
            break
        }
        if rest.hasSuffix("mhz") { rest = rest.dropLast(3) }
        guard let value = NumberReader.decimal(rest.replacingOccurrences(of: ",", with: ".")) else { return nil }
        if value >= 600 { return nominalBand(mhz: value, technology: tech) }
        if value < 10 && value > 0.4 { return nominalBand(mhz: value * 1000, technology: tech) }  // "3.6" GHz
        return Band.named((tech == .nr ? "n" : "B") + String(Int(value)))
    }

    /// The preset whose nominal frequency this is (e.g. 1800 → B3, or n3 for NR).
    static func nominalBand(mhz: Double, technology: Band.Technology?) -> Band? {
        guard let entry = nominal[Int(mhz.rounded())] else { return nil }
        let name: String?
        switch technology {
        case .lte?: name = entry.lte
        case .nr?: name = entry.nr
        case nil: name = entry.lte ?? entry.nr
        }
        return name.flatMap(Band.named)
    }

    /// Presets whose downlink holds the frequency, the given technology first, then LTE before NR.
    static func bands(containing hz: Double, technology: Band.Technology?) -> [Band] {
        let matching = Band.all.filter { hz >= $0.downlinkLowHz && hz <= $0.downlinkHighHz }
        return matching.sorted { a, b in
            let ra = a.technology == technology ? 0 : 1, rb = b.technology == technology ? 0 : 1
            if ra != rb { return ra < rb }
            return a.technology == .lte && b.technology == .nr
        }
    }
}
