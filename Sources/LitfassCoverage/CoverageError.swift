import LitfassGeo

/// An error of a coverage run, naming the input and what is wrong with it.
public enum CoverageError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A sector names a band that has no preset (`Band.named`), so its numerology is unknown.
    case unknownBand(sector: String, band: String)
    /// A sector's antenna pattern cannot be loaded ("omni", "3gpp-sector" or an .msi file).
    case pattern(sector: String, message: String)
    /// The requested area or grid is impossible (empty, too large, outside the projection).
    case area(String)
    /// `--bbox` does not overlap the scenario: a usage error (exit 2), not silently empty maps.
    case areaOutsideScenario(String)
    /// An operator was asked for that has no sectors.
    case unknownOperator(name: String, available: [String])
    /// The scenario has no sectors to compute.
    case noSectors
    /// A site list file is wrong: the file, the data row (1-based, header not counted) and column when known.
    case siteList(file: String, row: Int?, column: String?, message: String)
    /// A terrain model cannot be read onto the grid.
    case terrain(file: String, message: String)
    /// An output cannot be written.
    case output(file: String, message: String)
    /// A tile index outside the plan (a usage error, exit 2).
    case tileIndex(index: Int, tileCount: Int)
    /// A tiled plan cannot be used as it is: a missing or unreadable plan.json, inputs that changed since
    /// planning, tiles not computed yet.
    case plan(file: String, message: String)

    public var description: String {
        switch self {
        case .unknownBand(let sector, let band):
            return "sector \(sector): unknown band '\(band)' (known: n78, n1, n3, n7, n28, B20, B3, B7)"
        case .pattern(let sector, let message):
            return "sector \(sector): antenna pattern: \(message)"
        case .area(let message), .areaOutsideScenario(let message):
            return message
        case .unknownOperator(let name, let available):
            return "no operator '\(name)' in the scenario (operators: \(available.joined(separator: ", ")))"
        case .noSectors:
            return "the scenario has no sectors: nothing radiates (give --sites FILE or a scenario with sites)"
        case .siteList(let file, let row, let column, let message):
            var location = file
            if let row { location += ", row \(row) (line \(row + 1))" }
            if let column { location += ", column '\(column)'" }
            return "\(location): \(message)"
        case .terrain(let file, let message):
            return "\(file): terrain model: \(message)"
        case .output(let file, let message), .plan(let file, let message):
            return "\(file): \(message)"
        case .tileIndex(let index, let count):
            return "--index \(index) is not a tile of the plan: it has \(count) tiles, 0…\(count - 1)"
        }
    }
}
