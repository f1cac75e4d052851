import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassKernel

/// `litfass coverage plan`: cuts a coverage run into tiles that run alone (`coverage tile`) and join (`coverage mosaic`).
enum CoveragePlanCommand: Command {
    static let name = "coverage plan"
    static let summary = "plan a coverage run as tiles for job arrays (plan.json)"
    static let help = """
    Usage: litfass coverage plan --out DIR [--tile-size M] [--scenario FILE] [--operator NAME] [--sites FILE]
                                 [--resolution M] [--bbox minLon,minLat,maxLon,maxLat] [--height M]
                                 [--model NAME] [--dem FILE.tif] [--max-range M] [--corner-turns N]

    Writes DIR/plan.json: the grid 'litfass coverage' would compute with the same options, cut into
    square tiles on a fixed EPSG:25832 lattice (edges on multiples of the tile size), each with the
    sectors whose kernel window reaches it, the inputs' SHA-256 and the options. Prints the tile
    count; tiles are numbered 0…count-1 for 'litfass coverage tile --index I' (a Slurm array task,
    a Kubernetes Indexed Job completion index). Planning again into the same DIR keeps the computed
    tiles and the window cache and prints how many tiles and sectors changed.
    See docs/COVERAGE.md, "Tiled plans".

    Options:
      --out DIR           plan folder (created when missing)
      --tile-size M       tile side in metres, a whole multiple of the resolution (default 1000)
    \(ScenarioArgument.help)
      --operator NAME     only this operator (repeatable; default: all)
      --sites FILE        site list CSV replacing the scenario's sites (see 'litfass coverage --help')
      --resolution M      cell size in metres (default 2)
      --bbox BOX          area as minLon,minLat,maxLon,maxLat in WGS84 (default: the scenario)
      --height M          receiver height above ground in metres (default 1.5)
      --model NAME        \(PropagationModel.allCases.map(\.rawValue).joined(separator: ", ")) (default raycast)
      --dem FILE.tif      terrain model covering the whole area; default flat ground
      --max-range M       no sector reaches farther than M metres; without it every sector reaches
                          the whole area, so every tile needs every sector
      --corner-turns N    most building corners a street-canyon path turns around, 0-8 (default 2)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let (scenarioPath, sitesPath, options) = try CoverageArguments.parse(&arguments)
        var tileSize = TilePlan.defaultTileSizeMeters
        if let m = try arguments.doubleOption("--tile-size") {
            guard m > 0, m.isFinite else { throw UsageError("--tile-size expects metres > 0, got \(m)") }
            tileSize = m
        }
        guard let out = try arguments.option("--out") else { throw UsageError("--out DIR is required") }
        try arguments.finish()
        let ratio = tileSize / options.resolutionMeters
        guard ratio >= 1, abs(ratio.rounded() - ratio) <= 1e-9 * ratio else {
            throw UsageError("--tile-size must be a whole multiple of --resolution (\(options.resolutionMeters) m), got \(tileSize) m")
        }
        let plan: TilePlan
        do {
            plan = try TiledCoverage.plan(directory: out, scenarioPath: scenarioPath, sitesPath: sitesPath, options: options, tileSizeMeters: tileSize)
        } catch CoverageError.areaOutsideScenario(let message) {
            throw UsageError(message)
        }
        let links = plan.tiles.reduce(0) { $0 + $1.transmitters.count }
        output.print(String(format: "Planned %d tiles of %g m over %d × %d cells (%g m), %d sectors (%.1f per tile on average); wrote %@",
                            plan.tileCount, plan.tileSizeMeters, plan.grid.columns, plan.grid.rows, plan.grid.cellSizeMeters,
                            plan.transmitters.count, Double(links) / Double(max(1, plan.tileCount)),
                            URL(fileURLWithPath: out).appendingPathComponent(TilePlan.fileName).path))
        if let changes = plan.changes {
            output.print("Changed since the previous plan: \(changes.tiles) of \(plan.tileCount) tiles, \(changes.transmitters) sectors")
        }
        output.print("Next: litfass coverage tile --plan \(out) --index I (I = 0…\(plan.tileCount - 1)), then litfass coverage mosaic --plan \(out)")
        return ExitCode.success
    }
}

/// `litfass coverage tile`: computes one tile of a plan.
enum CoverageTileCommand: Command {
    static let name = "coverage tile"
    static let summary = "compute one tile of a coverage plan"
    static let help = """
    Usage: litfass coverage tile --plan DIR --index I [--threads N]

    Computes tile I of DIR/plan.json alone (it reads only the plan and the inputs it names) and
    writes its maps into DIR/tiles/I/: per operator <operator>-rsrp.tif, -best-server.tif (with
    -best-server-legend.csv), -sinr.tif, -dl-throughput.tif, -ul-throughput.tif and height.tif,
    summary.json, then tile.json. Cells equal those of 'litfass coverage' with the plan's options.
    A tile already computed for this plan is left as it is ("unchanged"); kernel windows are kept
    in DIR/cache/ and reused when nothing that determines them changed.

    Options:
      --plan DIR          the plan folder ('litfass coverage plan --out DIR')
      --index I           the tile, 0…tileCount-1 (e.g. $SLURM_ARRAY_TASK_ID, $JOB_COMPLETION_INDEX)
      --threads N         worker threads (default: all cores); results do not depend on it
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        guard let directory = try arguments.option("--plan") else { throw UsageError("--plan DIR is required") }
        guard let text = try arguments.option("--index") else { throw UsageError("--index I is required") }
        guard let index = Int(text) else { throw UsageError("--index expects a whole number, got '\(text)'") }
        let threads = try CoverageArguments.threads(&arguments) ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        try arguments.finish()
        let outcome: TiledCoverage.TileOutcome
        do { outcome = try TiledCoverage.runTile(directory: directory, index: index, threads: threads) } catch CoverageError.tileIndex(let i, let count) {
            throw UsageError(CoverageError.tileIndex(index: i, tileCount: count).description)
        }
        if outcome.unchanged {
            output.print("Tile \(index) unchanged since it was computed for this plan; nothing to do (\(outcome.directory))")
        } else {
            output.print(String(format: "Computed tile %d in %.1f s: %d transmitters reach it, %d computed, %d from the cache; wrote %@",
                                index, outcome.elapsedSeconds, outcome.transmitters, outcome.computed, outcome.cached, outcome.directory))
        }
        return ExitCode.success
    }
}

/// `litfass coverage mosaic`: joins the tiles of a plan.
enum CoverageMosaicCommand: Command {
    static let name = "coverage mosaic"
    static let summary = "join the tiles of a coverage plan (VRT and COG per map)"
    static let help = """
    Usage: litfass coverage mosaic --plan DIR [--threads N]

    Joins the computed tiles of DIR/plan.json: per operator and map a GDAL VRT over the tiles
    (DIR/mosaic/<operator>-<map>.vrt) and a Cloud-Optimised GeoTIFF with overviews
    (DIR/mosaic/<operator>-<map>.tif), maps rsrp, best-server, sinr, dl-throughput, ul-throughput,
    and the best-server legend. Fails naming the tiles not yet computed for this plan.

    Options:
      --plan DIR          the plan folder
      --threads N         compression threads (default 1); the files do not depend on it
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        guard let directory = try arguments.option("--plan") else { throw UsageError("--plan DIR is required") }
        let threads = try CoverageArguments.threads(&arguments) ?? 1
        try arguments.finish()
        let files = try TiledCoverage.mosaic(directory: directory, threads: threads)
        let plan = try TiledCoverage.readPlan(directory)
        output.print("Joined \(plan.tileCount) tiles into \(files.count) files in \(URL(fileURLWithPath: directory).appendingPathComponent("mosaic").path)")
        return ExitCode.success
    }
}
