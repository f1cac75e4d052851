import LitfassCoverage

/// `litfass coverage`: coverage maps of a scenario. (Being written with the coverage module.)
enum CoverageCommand: Command {
    static let name = "coverage"
    static let summary = "coverage maps: RSRP, best server, SINR, throughput (GeoTIFF, PNG, summary)"
    static let help = "Usage: litfass coverage [--scenario FILE] --out DIR"
    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        throw UsageError("coverage is not available yet")
    }
}
