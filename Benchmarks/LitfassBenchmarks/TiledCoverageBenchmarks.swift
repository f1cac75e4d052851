import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassScenario

/// Benchmarks of tiled plans (`coverage plan` / `tile` / `mosaic`) over the default scenario (Neuss, 162 sectors) at
/// 10 m with `--max-range 1500`: one tile, the total against the number of tiles, and the rerun after one site moved.
func tiledCoverageBenchmarks() -> [Benchmark] {
    func options() -> CoverageOptions {
        var o = CoverageOptions()
        o.resolutionMeters = 10
        o.maxRangeMeters = 1500
        return o
    }
    /// Plan, every tile, mosaic in one folder; returns the seconds of each stage.
    func tiled(_ folder: String, sites: String?, tileSize: Double) throws -> (plan: TilePlan, planSeconds: Double, tileSeconds: Double,
                                                                            mosaicSeconds: Double, computed: Int, cached: Int, unchanged: Int) {
        var clock = Stopwatch()
        let plan = try TiledCoverage.plan(directory: folder, scenarioPath: try DefaultScenario.path(), sitesPath: sites, options: options(),
                                          tileSizeMeters: tileSize)
        clock.lap("plan")
        var computed = 0, cached = 0, unchanged = 0
        for i in 0..<plan.tileCount {
            let outcome = try TiledCoverage.runTile(directory: folder, index: i, threads: options().threads)
            computed += outcome.computed
            cached += outcome.cached
            unchanged += outcome.unchanged ? 1 : 0
        }
        clock.lap("tiles")
        try TiledCoverage.mosaic(directory: folder, threads: options().threads)
        clock.lap("mosaic")
        let laps = clock.laps
        return (plan, laps[0].wall, laps[1].wall, laps[2].wall, computed, cached, unchanged)
    }
    /// The whole run as `litfass coverage --no-previews` does it [s].
    func whole(_ folder: String, sites: String?) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let scenario = try TiledCoverage.loadScenario(try DefaultScenario.path(), sitesPath: sites)
        let result = try CoverageRun(scenario: scenario, options: options()).run()
        try CoverageWriter(previews: false).write(result, to: folder)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    return [
        Benchmark(name: "coverage.tile", unit: "tile", workPerRun: 1, warmUp: 1, runs: 3, target: "one tile of 1 km, cold window cache",
                  body: {
                      let folder = scratchFolder("tile")
                      defer { try? FileManager.default.removeItem(atPath: folder) }
                      let plan = try TiledCoverage.plan(directory: folder, scenarioPath: try DefaultScenario.path(), sitesPath: nil, options: options(),
                                                        tileSizeMeters: 1000)
                      let busiest = plan.tiles.max { $0.transmitters.count < $1.transmitters.count }!
                      let cold = try TiledCoverage.runTile(directory: folder, index: busiest.index, threads: options().threads)
                      // A neighbour with the same transmitters, its windows all cached now.
                      let next = plan.tiles.first { $0.index != busiest.index && Set($0.transmitters).isSubset(of: Set(busiest.transmitters)) }
                      let warm = try next.map { try TiledCoverage.runTile(directory: folder, index: $0.index, threads: options().threads) }
                      print(String(format: "  tile %d: %d × %d cells, scene %d × %d, %d sectors in %d kernel groups: %.2f s cold (all computed); tile %@: %.2f s with %d windows from the cache; load average %@",
                                   busiest.index, busiest.cells.columns, busiest.cells.rows, busiest.scene.columns, busiest.scene.rows,
                                   busiest.transmitters.count, cold.transmitters, cold.elapsedSeconds, next.map { String($0.index) } ?? "-",
                                   warm?.elapsedSeconds ?? 0, warm?.cached ?? 0, loadAverage()))
                      return cold.elapsedSeconds
                  }),
        Benchmark(name: "coverage.plan-scaling", unit: "s", workPerRun: 1, warmUp: 0, runs: 1, target: "total vs tile count, same area",
                  body: {
                      let base = scratchFolder("scaling")
                      defer { try? FileManager.default.removeItem(atPath: base) }
                      let reference = try whole(base + "/whole", sites: nil)
                      print(String(format: "  whole run (coverage --no-previews): %.2f s; load average %@", reference, loadAverage()))
                      var total = 0.0
                      for size in [10_000.0, 2500, 1250, 500] {
                          let t = try tiled(base + "/\(Int(size))", sites: nil, tileSize: size)
                          let sum = t.planSeconds + t.tileSeconds + t.mosaicSeconds
                          total += sum
                          print(String(format: "  %5.0f m tiles: %3d tiles, plan %.2f s, tiles %.2f s (%.3f s per tile, %d windows computed, %d read from the cache), mosaic %.2f s; total %.2f s = %.2f × the whole run; load average %@",
                                       size, t.plan.tileCount, t.planSeconds, t.tileSeconds, t.tileSeconds / Double(t.plan.tileCount), t.computed, t.cached,
                                       t.mosaicSeconds, sum, sum / reference, loadAverage()))
                      }
                      return total
                  }),
        Benchmark(name: "coverage.incremental", unit: "s", workPerRun: 1, warmUp: 0, runs: 1, target: "rerun after moving one site vs full",
                  body: {
                      let folder = scratchFolder("incremental")
                      defer { try? FileManager.default.removeItem(atPath: folder) }
                      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                      let scenario = try ScenarioStore.load(path: try DefaultScenario.path())
                      let sites = folder + "/sites.csv"
                      try scenarioSitesCSV(scenario, moving: nil).write(toFile: sites, atomically: true, encoding: .utf8)
                      let full = try tiled(folder + "/plan", sites: sites, tileSize: 500)
                      let moved = scenario.sites.first { s in scenario.sectorsInEffect.contains { $0.siteID == s.id } }!.id
                      try scenarioSitesCSV(scenario, moving: moved).write(toFile: sites, atomically: true, encoding: .utf8)
                      let again = try tiled(folder + "/plan", sites: sites, tileSize: 500)
                      let fresh = try whole(folder + "/whole", sites: sites)
                      let fullSeconds = full.planSeconds + full.tileSeconds + full.mosaicSeconds
                      let rerun = again.planSeconds + again.tileSeconds + again.mosaicSeconds
                      print(String(format: "  %d tiles of 500 m; full tiled run %.2f s (%d windows computed); site %@ moved by 50 m: %d tiles and %d sectors changed, rerun %.2f s (tiles %.2f s: %d tiles unchanged, %d windows computed, %d from the cache; mosaic %.2f s) = %.2f × the full tiled run; fresh whole run %.2f s; load average %@",
                                   full.plan.tileCount, fullSeconds, full.computed, moved, again.plan.changes?.tiles ?? -1, again.plan.changes?.transmitters ?? -1,
                                   rerun, again.tileSeconds, again.unchanged, again.computed, again.cached, again.mosaicSeconds, rerun / fullSeconds, fresh,
                                   loadAverage()))
                      return rerun
                  }),
    ]
}

/// The scenario's sectors as a site list (`--sites`), one row per sector; `moving` shifts that site 50 m east.
func scenarioSitesCSV(_ scenario: Scenario, moving: String?) throws -> String {
    var lines = ["id,lon,lat,height,azimuth,tilt,band,eirp,operator,pattern,frequency_mhz,bandwidth_mhz"]
    let projection = try Projection(from: .utm32N, to: .wgs84)
    for sector in scenario.sectorsInEffect {
        guard let site = scenario.sites.first(where: { $0.id == sector.siteID }) else { continue }
        let position = MapPoint(x: site.location.x + (site.id == moving ? 50 : 0), y: site.location.y)
        let ll = try projection.toLonLat([position])[0]
        lines.append([site.id, "\(ll.lon)", "\(ll.lat)", "\(sector.antennaHeightMeters)", "\(sector.azimuthDegrees)", "\(sector.downtiltDegrees)",
                      sector.band, "\(sector.eirpDBm)", sector.operatorName, sector.pattern, "\(sector.centreFrequencyHz / 1e6)",
                      "\(sector.bandwidthHz / 1e6)"].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
}
