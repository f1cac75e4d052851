import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassImport
import LitfassKernel
import LitfassScenario

/// `litfass coverage`: coverage maps of a scenario (RSRP, best server, SINR, throughput) as
/// GeoTIFFs, PNG previews and a summary.
enum CoverageCommand: Command {
    static let name = "coverage"
    static let summary = "coverage maps: RSRP, best server, SINR, throughput (GeoTIFF, PNG, summary)"
    static let help = """
    Usage: litfass coverage [--scenario FILE] [--operator NAME] [--sites FILE] [--resolution M]
                            [--bbox minLon,minLat,maxLon,maxLat] [--height M] [--model NAME]
                            [--dem FILE.tif] [--max-range M] [--corner-turns N] [--threads N]
                            [--no-previews] --out DIR

    Computes, per operator and carrier, RSRP, best server, downlink SINR and downlink/uplink
    throughput on a grid in EPSG:25832, and writes per operator Cloud-Optimised GeoTIFFs
    (<operator>-rsrp.tif, -best-server.tif with -best-server-legend.csv, -sinr.tif,
    -dl-throughput.tif, -ul-throughput.tif), height.tif, PNG previews and summary.json into DIR.
    See docs/COVERAGE.md for every assumption.

    Options:
    \(ScenarioArgument.help)
      --operator NAME     only this operator (repeatable; default: all)
      --sites FILE        site list CSV replacing the scenario's sites (columns id, lon, lat,
                          height, azimuth, tilt, band, eirp, operator; optional pattern,
                          frequency_mhz, bandwidth_mhz)
      --resolution M      cell size in metres (default 2)
      --bbox BOX          area as minLon,minLat,maxLon,maxLat in WGS84 (default: the scenario)
      --height M          receiver height above ground in metres (default 1.5)
      --model NAME        \(PropagationModel.allCases.map(\.rawValue).joined(separator: ", ")) (default raycast)
      --dem FILE.tif      terrain model (any CRS GDAL reads); default flat ground
      --max-range M       no sector reaches farther than M metres (default: free space to the RSRP floor)
      --corner-turns N    most building corners a street-canyon path turns around, 0-8 (default 2;
                          more reach more shadowed streets and take longer); a path also
                          stops turning where its loss reaches the RSRP floor (power budget)
      --threads N         worker threads (default: all cores); results do not depend on it
      --no-previews       skip the PNG previews
      --out DIR           output folder (created when missing)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let (scenarioPath, sitesPath, parsed) = try CoverageArguments.parse(&arguments)
        var options = parsed
        options.threads = try CoverageArguments.threads(&arguments) ?? options.threads
        let previews = !arguments.flag("--no-previews")
        guard let out = try arguments.option("--out") else { throw UsageError("--out DIR is required") }
        try arguments.finish()

        var scenario = try ScenarioStore.load(path: scenarioPath)
        if let sitesPath { scenario = try SiteList.load(path: sitesPath, assumptions: scenario.assumptions).applied(to: scenario) }
        let run: CoverageRun
        do { run = try CoverageRun(scenario: scenario, options: options) } catch CoverageError.areaOutsideScenario(let message) {
            throw UsageError(message)
        }
        for warning in run.warnings { output.printError("warning: \(warning)") }
        let bar = ProgressBar()
        let result = try run.run { bar.update($0) }
        bar.finish()
        let (files, summary) = try CoverageWriter(previews: previews).writeReturningSummary(result, to: out)
        let grid = result.grid
        output.print(String(format: "Computed %d sectors of %d operator(s) on %d × %d cells (%g m) in %.1f s; wrote %d files to %@",
                            run.plan.sectors.count, result.operators.count, grid.columns, grid.rows, grid.cellSizeMeters,
                            result.elapsedSeconds, files.count, out))
        for op in summary.operators {
            let o = op.outdoor
            output.print(String(format: "  %@: outdoor RSRP ≥ -100/-110/-120 dBm %.1f/%.1f/%.1f %%, SINR ≥ 0 dB %.1f %%, median DL %.0f Mbit/s; %d buildings",
                                op.name, 100 * (o.rsrpShare["-100"] ?? 0), 100 * (o.rsrpShare["-110"] ?? 0), 100 * (o.rsrpShare["-120"] ?? 0),
                                100 * o.sinrAtLeast0dBShare, o.medianDownlinkMbps, op.buildings.count))
        }
        if result.isIllustrative {
            output.print("ILLUSTRATIVE: the antenna configurations are assumptions, not operator data.")
        }
        for line in ImportedAssumptions.lines(sectors: run.plan.sectors.map(\.sector), sites: scenario.sites) { output.print(line) }
        return ExitCode.success
    }
}

/// A progress bar on standard error, drawn only when standard error is a terminal and the run
/// has taken longer than a second.
final class ProgressBar {
    private let enabled = isatty(2) == 1
    private var drawn = false

    func update(_ progress: CoverageProgress) {
        guard enabled, progress.elapsedSeconds > 1 else { return }
        drawn = true
        let width = 30
        let filled = Int(progress.fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let eta = progress.fraction > 0 ? progress.elapsedSeconds * (1 / progress.fraction - 1) : 0
        let line = String(format: "\r[%@] %d/%d sectors, %.0f s, ~%.0f s left ", bar, progress.completedSectors, progress.totalSectors,
                          progress.elapsedSeconds, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// The options `coverage` and `coverage plan` share.
enum CoverageArguments {
    /// Removes the scenario, site list and map options from the arguments.
    static func parse(_ arguments: inout Arguments) throws -> (scenario: String, sites: String?, options: CoverageOptions) {
        var options = CoverageOptions()
        let scenarioPath = try ScenarioArgument.path(&arguments)
        let operators = try arguments.options("--operator")
        let sitesPath = try arguments.option("--sites")
        if let r = try arguments.doubleOption("--resolution") {
            guard r > 0, r <= 1000 else { throw UsageError("--resolution expects metres > 0 and ≤ 1000, got \(r)") }
            options.resolutionMeters = r
        }
        if let text = try arguments.option("--bbox") {
            guard let box = GeographicBox.parse(text) else {
                throw UsageError("--bbox expects minLon,minLat,maxLon,maxLat in degrees with min < max, got '\(text)'")
            }
            options.area = box
        }
        if let h = try arguments.doubleOption("--height") {
            guard h > 0, h <= 500 else { throw UsageError("--height expects metres > 0, got \(h)") }
            options.receiverHeightMeters = h
        }
        if let model = try arguments.choice("--model", among: PropagationModel.allCases.map(\.rawValue)) {
            options.model = PropagationModel(rawValue: model)!
        }
        options.demPath = try arguments.option("--dem")
        if let m = try arguments.doubleOption("--max-range") {
            guard m > 0, m.isFinite else { throw UsageError("--max-range expects metres > 0, got \(m)") }
            options.maxRangeMeters = m
        }
        options.maxCornerTurns = try cornerTurns(&arguments)
        if !operators.isEmpty { options.operators = operators }
        return (scenarioPath, sitesPath, options)
    }

    /// `--corner-turns N` (0…8, `KernelSettings.cornerTurnsRange`), nil when absent; a value outside is a usage error.
    static func cornerTurns(_ arguments: inout Arguments) throws -> Int? {
        guard let text = try arguments.option("--corner-turns") else { return nil }
        let range = KernelSettings.cornerTurnsRange
        guard let n = Int(text) else {
            throw UsageError("--corner-turns expects a whole number \(range.lowerBound)…\(range.upperBound), got '\(text)'")
        }
        do { return try KernelSettings.validateCornerTurns(n, argument: "--corner-turns") } catch { throw UsageError(error.description) }
    }

    /// `--threads N`, nil when absent.
    static func threads(_ arguments: inout Arguments) throws -> Int? {
        guard let text = try arguments.option("--threads") else { return nil }
        guard let n = Int(text), n >= 1, n <= 256 else { throw UsageError("--threads expects a whole number 1…256, got '\(text)'") }
        return n
    }
}
