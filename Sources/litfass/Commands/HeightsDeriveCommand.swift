import Foundation
import LitfassScenario

/// `litfass heights derive`: default building heights per type from measured LoD2 heights.
enum HeightsDeriveCommand: Command {
    static let name = "heights derive"
    static let summary = "derive default building heights per type from measured LoD2 heights"
    static let help = """
    Usage: litfass heights derive --lod2 FILE [--lod2 FILE ...] --out FILE.json [--compare-osm FILE]

    Reads NRW LoD2 CityGML files (bldg:function, bldg:measuredHeight), takes the median measured
    height per building type group and writes the defaults file the scenario builder uses for
    OSM buildings without height or levels. With --compare-osm, also prints how heights derived
    from OSM levels compare, per type group, with the measured ones.

    Options:
      --lod2 FILE          an LoD2 CityGML file (repeat for several)
      --out FILE.json      the defaults file to write
      --compare-osm FILE   an OSM extract whose level-derived heights to compare
      --assumptions FILE   storey height and roof allowance for --compare-osm (default: Data/assumptions.json)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let files = try arguments.options("--lod2")
        guard let out = try arguments.option("--out") else { throw UsageError("--out FILE.json is required") }
        let compare = try arguments.option("--compare-osm")
        let assumptionsOption = try arguments.option("--assumptions")
        try arguments.finish()
        guard !files.isEmpty else { throw UsageError("give at least one --lod2 FILE") }
        let defaults = try HeightCalibration.derive(lod2Paths: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try (encoder.encode(defaults) + Data("\n".utf8)).write(to: URL(fileURLWithPath: out)) } catch {
            throw ScenarioError.store(file: out, message: "cannot write: \(error.localizedDescription)")
        }
        output.print("Wrote \(out): median measured height per type group (LoD2, \(files.count) files)")
        var table = ["group           measured median [m] (n, IQR)" + (compare == nil ? "" : "     OSM levels-derived median [m] (n)")]
        var osmHeights: [BuildingTypeGroup: [Double]] = [:]
        if let compare {
            let assumptionsPath = try assumptionsOption ?? DefaultScenario.dataDirectory().appendingPathComponent(DefaultScenario.assumptionsFileName).path
            osmHeights = try HeightCalibration.levelDerivedHeights(osmPath: compare, assumptionsPath: assumptionsPath)
        }
        for group in BuildingTypeGroup.allCases {
            let measured = defaults.groups[group.rawValue]
            let measuredText = measured.map { String(format: "%5.1f (%d, %.1f–%.1f)", $0.heightMeters, $0.samples, $0.quartile1Meters, $0.quartile3Meters) } ?? "    –"
            var line = group.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0) + measuredText.padding(toLength: 29, withPad: " ", startingAt: 0)
            if compare != nil {
                let values = osmHeights[group] ?? []
                line += values.isEmpty ? "    –" : String(format: "%5.1f (%d)", HeightCalibration.median(values), values.count)
            }
            table.append(line)
        }
        output.print(table.joined(separator: "\n"))
        return ExitCode.success
    }
}
