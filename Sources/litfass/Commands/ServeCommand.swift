import Foundation
import LitfassQuery
import LitfassScenario
import LitfassServe

/// `litfass serve`: the service desk's web page and JSON API over one query engine.
enum ServeCommand: Command {
    /// Grid of the RSRP maps computed at start without `--coverage` [m]: coarse, so they take about a second.
    static let startupResolutionMeters = 20.0

    static let name = "serve"
    static let summary = "the service desk's web page and JSON API: address → answer on a map, printable"
    static let help = """
    Usage: litfass serve [--scenario FILE] [--port N] [--bind ADDR] [--threads N]
                         [--coverage DIR | --no-coverage]

    Serves HTTP/1.1 (GNU libmicrohttpd): a page at http://ADDR:PORT/ where one types an address and
    sees the answer of 'litfass query' (fibre and mobile, indoor and outdoor, cautious–median, why,
    what would improve it) with the building, the fibre route and the serving links on a map drawn
    from the scenario's own buildings and streets (nothing is fetched from the internet), printable
    as a report; and the JSON API the page uses:
      GET /api/query?address=…[&floor=N]   exactly 'litfass query --format json' (also lon=…&lat=…)
      GET /api/suggest?q=…                 address completion
      GET /api/report?address=…            the JSON, the CLI's text and the map's GeoJSON
      GET /api/map?address=…, /api/basemap GeoJSON;   GET /api/health
      GET /api/coverage                    the RSRP maps (colour overlay per operator on the
                                           page; the GeoTIFF for GIS tools)
    Errors are JSON: 400 bad input, 404 not found, 409 ambiguous (with choices). One engine serves
    every request, on all cores. Stop with Ctrl-C. Details: docs/SERVE.md.

    Options:
    \(ScenarioArgument.help)
      --port N            TCP port (default 8080; 0 picks a free one)
      --bind ADDR         IPv4 address to listen on (default 127.0.0.1: this machine only;
                          0.0.0.0 for every interface)
      --threads N         request threads (default: one per core)
      --coverage DIR      a folder written by 'litfass coverage' for this scenario: its
                          <operator>-rsrp.tif maps are shown on the page's map; without it,
                          RSRP maps on a coarse 20 m grid are computed at start (about a second)
      --no-coverage       no coverage maps on the page (and none computed)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let portText = try arguments.option("--port")
        let bind = try arguments.option("--bind") ?? "127.0.0.1"
        let threadsText = try arguments.option("--threads")
        let scenarioPath = try arguments.option("--scenario")
        let coverageDirectory = try arguments.option("--coverage")
        let noCoverage = arguments.flag("--no-coverage")
        let words = arguments.positionals()
        try arguments.finish()
        guard words.isEmpty else { throw UsageError("unexpected argument '\(words[0])'") }
        if noCoverage && coverageDirectory != nil { throw UsageError("give --coverage DIR or --no-coverage, not both") }
        let port = try portText.map { text -> Int in
            guard let n = Int(text), (0...65_535).contains(n) else { throw UsageError("--port expects 0–65535, got '\(text)'") }
            return n
        } ?? 8080
        let threads = try threadsText.map { text -> Int in
            guard let n = Int(text), (1...256).contains(n) else { throw UsageError("--threads expects 1–256, got '\(text)'") }
            return n
        }
        var addressBytes = in_addr()
        guard inet_pton(AF_INET, bind, &addressBytes) == 1 else { throw UsageError("--bind expects an IPv4 address such as 127.0.0.1, got '\(bind)'") }

        if let directory = coverageDirectory {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
                throw UsageError("--coverage expects a folder written by 'litfass coverage', got '\(directory)' (no such folder)")
            }
        }

        var scenarioArguments = Arguments(scenarioPath.map { ["--scenario", $0] } ?? [])
        let path = try ScenarioArgument.path(&scenarioArguments)
        // Each answer on one thread: concurrent requests keep the cores busy (the answers do not depend on it).
        let engine = try QueryEngine(scenario: try ScenarioStore.load(path: path), threadsPerAnswer: 1)
        // A folder that is not there is a usage error (exit 2); one without readable RSRP maps a data error (exit 1).
        let coverage: CoverageOverlays
        if let directory = coverageDirectory {
            coverage = try CoverageOverlays(directory: directory, operators: engine.scenario.operatorNames)
        } else if !noCoverage {
            // Without a folder: RSRP maps on a coarse grid, computed now (about a second for the default scenario).
            coverage = try CoverageOverlays.computed(scenario: engine.scenario, resolutionMeters: Self.startupResolutionMeters)
        } else {
            coverage = CoverageOverlays()
        }
        let api = try ServeAPI(engine: engine, scenarioPath: path, coverage: coverage)
        if let source = coverage.source {
            output.printError("litfass serve: coverage maps of \(coverage.layers.map(\.operatorName).joined(separator: ", ")), \(source)"
                              + (coverage.missingOperators.isEmpty ? "" : " (none of \(coverage.missingOperators.joined(separator: ", ")))"))
        }

        // SIGINT and SIGTERM are waited for below; blocked before the server's threads start, so they inherit it.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let server = try HTTPServer(bindAddress: bind, port: port, threads: threads) { api.respond(to: $0) }
        output.printError("litfass serve: http://\(bind):\(server.port)/ — scenario \(path), \(server.threads) threads; Ctrl-C stops")
        var received: Int32 = 0
        sigwait(&signals, &received)
        server.stop()
        output.printError("litfass serve: stopped")
        return ExitCode.success
    }
}
