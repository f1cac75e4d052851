import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassScenario

/// Benchmarks of whole coverage runs: the default scenario (Neuss, all 216 sectors, all three
/// operators) at 2 m on all cores, with the kernel as it stands.
func coverageBenchmarks() -> [Benchmark] {
    func scenario() throws -> Scenario { try ScenarioStore.load(path: try DefaultScenario.path()) }
    func options() -> CoverageOptions {
        var o = CoverageOptions()
        o.resolutionMeters = 2
        return o
    }
    return [
        Benchmark(name: "coverage.default-2m", unit: "cells", workPerRun: 1, warmUp: 0, runs: 3, target: "< 30 s",
                  body: {
                      let scenario = try scenario()
                      let cpu0 = cpuSeconds()
                      let run = try CoverageRun(scenario: scenario, options: options())
                      let result = try run.run()
                      let phases = result.phaseSeconds.sorted { $0.key < $1.key }.map { String(format: "%@ %.1f s", $0.key, $0.value) }
                      print(String(format: "  grid %d × %d = %d cells, %d sectors, %d threads: wall %.1f s, CPU %.1f s (%@)", result.grid.columns,
                                   result.grid.rows, result.grid.cellCount, run.plan.sectors.count, run.options.threads,
                                   result.elapsedSeconds, cpuSeconds() - cpu0, phases.joined(separator: ", ")))
                      return Double(result.operators[0].combined.rsrpDBm[result.grid.cellCount / 2])
                  }),
        Benchmark(name: "coverage.default-2m-write", unit: "files", workPerRun: 1, warmUp: 0, runs: 1, target: "GeoTIFFs + PNGs + summary",
                  body: {
                      var clock = Stopwatch()
                      let result = try CoverageRun(scenario: try scenario(), options: options()).run()
                      clock.lap("compute")
                      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-bench-coverage-\(getpid())")
                      defer { try? FileManager.default.removeItem(at: folder) }
                      let summary = CoverageSummary(result)
                      clock.lap("summary")
                      let count = try CoverageWriter().write(result, to: folder.path, summary: summary).count
                      clock.lap("write")
                      let laps = clock.laps
                      print("  " + clock.report + String(format: "; with every map written: %.2f × the compute-only wall time, %.2f × its CPU time (target ≤ 1.3); load average %@",
                                                         laps.map(\.wall).reduce(0, +) / laps[0].wall, laps.map(\.cpu).reduce(0, +) / laps[0].cpu, loadAverage()))
                      return Double(count)
                  }),
        Benchmark(name: "coverage.one-site-stages", unit: "s", workPerRun: 1, warmUp: 1, runs: 3, target: "where the time goes",
                  body: {
                      let folder = scratchFolder("stages")
                      defer { try? FileManager.default.removeItem(atPath: folder) }
                      var clock = Stopwatch()
                      var scenario = try scenario()
                      clock.lap("load")
                      scenario = try SiteList.load(path: try oneSiteCSV(scenario, folder: folder), assumptions: scenario.assumptions).applied(to: scenario)
                      clock.lap("site list")
                      let grid = try SceneBuilder.grid(for: scenario, area: nil, resolutionMeters: 2, maxCells: options().maxCells)
                      _ = try SceneBuilder.scene(for: scenario, grid: grid, demPath: nil)
                      clock.lap("scene (alone)")
                      let run = try CoverageRun(scenario: scenario, options: options())
                      clock.lap("set-up (scene + plan)")
                      let result = try run.run()
                      clock.lap("run")
                      try CoverageWriter(previews: false).write(result, to: folder + "/a")
                      clock.lap("write without PNGs")
                      try CoverageWriter(previews: true).write(result, to: folder + "/b")
                      clock.lap("write with PNGs")
                      let json = try CoverageSummary(result).json()
                      clock.lap("summary alone")
                      let phases = result.phaseSeconds.sorted { $0.key < $1.key }.map { String(format: "%@ %.3f s", $0.key, $0.value) }
                      print("  " + clock.report + "; run phases: " + phases.joined(separator: ", "))
                      return Double(json.count)
                  }),
        Benchmark(name: "coverage.one-site-process", unit: "s", workPerRun: 1, warmUp: 1, runs: 5, target: "litfass ≤ 3 × gdal_viewshed",
                  body: {
                      // The CLI as a user runs it (one omni small cell, every raster and preview) beside gdal_viewshed
                      // (one observer, LOS, one byte raster) over the surface band of the same 2 m height raster.
                      let folder = scratchFolder("process")
                      defer { try? FileManager.default.removeItem(atPath: folder) }
                      let scenario = try scenario()
                      let csv = try oneSiteCSV(scenario, folder: folder)
                      let executable = ProcessInfo.processInfo.environment["LITFASS_BENCH_EXECUTABLE"]
                          ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("litfass").path
                      let litfass = try timeProcess(executable, ["coverage", "--sites", csv, "--resolution", "2", "--out", folder + "/maps"])
                      let centre = oneSitePosition(scenario)
                      let viewshed = try timeProcess("/usr/bin/gdal_viewshed", ["-q", "-b", "1", "-ox", String(centre.x), "-oy", String(centre.y),
                                                                                  "-oz", "4", "-tz", "1.5", folder + "/maps/height.tif", folder + "/viewshed.tif"])
                      print(String(format: "  litfass coverage %.3f s (CPU %.3f s), gdal_viewshed %.3f s (CPU %.3f s): ratio wall %.1f, CPU %.1f (target ≤ 3); load average %@",
                                   litfass.wallSeconds, litfass.cpuSeconds, viewshed.wallSeconds, viewshed.cpuSeconds,
                                   litfass.wallSeconds / viewshed.wallSeconds, litfass.cpuSeconds / viewshed.cpuSeconds, loadAverage()))
                      return litfass.wallSeconds / viewshed.wallSeconds
                  }),
    ]
}

/// The one-site benchmark's site: an omni small cell, 4 m, at the centre of the default scenario [EPSG:25832].
func oneSitePosition(_ scenario: Scenario) -> MapPoint {
    let box = scenario.boundingBox
    return MapPoint(x: ((box.minX + box.maxX) / 2).rounded(), y: ((box.minY + box.maxY) / 2).rounded())
}

/// Writes the one-site list (`--sites`) into `folder` and returns its path.
func oneSiteCSV(_ scenario: Scenario, folder: String) throws -> String {
    let lonLat = try Projection(from: .utm32N, to: .wgs84).toLonLat([oneSitePosition(scenario)])[0]
    let path = folder + "/one.csv"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try "id,lon,lat,height,azimuth,tilt,band,eirp,operator,pattern\nS1,\(lonLat.lon),\(lonLat.lat),4,0,0,n78,37,Telekom,omni\n"
        .write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

func scratchFolder(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("litfass-bench-\(name)-\(getpid())").path
}

/// The 1-minute load average (other work on the machine), as text.
func loadAverage() -> String {
    var loads = [Double](repeating: 0, count: 3)
    return getloadavg(&loads, 3) == 3 ? String(format: "%.2f", loads[0]) : "?"
}

/// Wall and CPU time (this process, all threads) per stage, in order. On a machine shared with other work
/// the CPU time is the steadier figure.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = cpuSeconds()
    private(set) var laps: [(name: String, wall: Double, cpu: Double)] = []
    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds, cpu = cpuSeconds()
        laps.append((name, Double(now - last) / 1e9, cpu - lastCPU))
        last = now
        lastCPU = cpu
    }
    var report: String { laps.map { String(format: "%@ %.3f s (CPU %.3f s)", $0.name, $0.wall, $0.cpu) }.joined(separator: ", ") }
}

/// User + system CPU time of this process so far [s] (getrusage), to tell own work from waiting
/// for cores other processes hold.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
