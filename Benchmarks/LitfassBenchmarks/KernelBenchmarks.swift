import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// Benchmarks of the propagation kernel on the Neuss default scenario rasterised at 2 m.
///
/// Two transmitter placements (a 5 m small cell in a street): `centre` — the street cell nearest to the raster's
/// centre, in the middle of the town; `dense` — a street in the 100 m block with the most building cells.
/// For each: `gdal-viewshed` times `gdal_viewshed` (line of sight only, whole raster, GeoTIFF in and out);
/// `los-diffraction` the kernel without corner paths, `full` with them (two turns), `full-1turn` with one turn
/// (all over the whole raster, range to the farthest corner); `turns` the full model for each number of corner turns
/// in `LITFASS_BENCH_TURNS` (default 2,3,4,6; wall and CPU against gdal_viewshed's, and the share of outdoor cells
/// without a street-level path); `ratios` prints wall and CPU ratios, path types and the peak memory.
/// Run: `swift run -c release LitfassBenchmarks kernel`.
func kernelBenchmarks() -> [Benchmark] {
    let scene = NeussSceneCache()
    return kernelBenchmarks(KernelBenchState(scene: scene, placement: .centre))
        + kernelBenchmarks(KernelBenchState(scene: scene, placement: .denseBlock))
}

/// The benchmarks of one transmitter placement, named `kernel.<placement>.<what>`.
func kernelBenchmarks(_ state: KernelBenchState) -> [Benchmark] {
    let runs = 5
    let prefix = "kernel." + state.placement.rawValue + "."
    return [
        Benchmark(name: prefix + "gdal-viewshed", unit: "cells", workPerRun: 0, warmUp: 1, runs: runs,
                  target: "LOS only (reference)") {
            let s = try state.load()
            let time = try timeProcess("/usr/bin/gdal_viewshed", ["-q", "-ox", "\(s.tx.position.x)", "-oy", "\(s.tx.position.y)",
                                                                  "-oz", "\(s.tx.antennaHeightMeters)", "-tz", "1.5", "-cc", "1", s.demPath,
                                                                  s.folder + "/viewshed.tif"])
            state.record("gdal", time.wallSeconds, cpu: time.cpuSeconds)
            return 1
        },
        Benchmark(name: prefix + "los-diffraction", unit: "cells", workPerRun: 0, warmUp: 1, runs: runs,
                  target: "≤ gdal_viewshed") {
            let s = try state.load()
            var settings = KernelSettings(); settings.maxCornerTurns = 0
            let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuSeconds()
            let w = PropagationKernel(scene: s.scene, settings: settings).compute(s.tx)
            state.record("los", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, cpu: cpuSeconds() - c0)
            state.losWindow = w
            return Double(w.receivedPowerDBm[w.receivedPowerDBm.count / 2])
        },
        Benchmark(name: prefix + "full", unit: "cells", workPerRun: 0, warmUp: 1, runs: runs,
                  target: "≤ 5 × gdal_viewshed") {
            let s = try state.load()
            let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuSeconds()
            let w = PropagationKernel(scene: s.scene).compute(s.tx)
            state.record("full", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, cpu: cpuSeconds() - c0)
            state.lastWindow = w
            return Double(w.receivedPowerDBm[w.receivedPowerDBm.count / 2])
        },
        Benchmark(name: prefix + "full-1turn", unit: "cells", workPerRun: 0, warmUp: 1, runs: runs,
                  target: "corner paths with one turn") {
            let s = try state.load()
            var settings = KernelSettings(); settings.maxCornerTurns = 1
            let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuSeconds()
            let w = PropagationKernel(scene: s.scene, settings: settings).compute(s.tx)
            state.record("full1", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, cpu: cpuSeconds() - c0)
            state.oneTurnWindow = w
            return Double(w.receivedPowerDBm[w.receivedPowerDBm.count / 2])
        },
        Benchmark(name: prefix + "turns", unit: "", workPerRun: 0, warmUp: 0, runs: 1,
                  target: "full model per number of turns") {
            // LITFASS_BENCH_TURNS: the corner-turn counts to time (comma-separated, default 2,3,4,6); each is computed
            // once to warm up and LITFASS_BENCH_TURN_RUNS times (default 3) measured, medians printed. The shares are of
            // the outdoor cells in range whose dominant path runs over the rooftops: no street-level path (neither line
            // of sight nor a corner path).
            let s = try state.load()
            let env = ProcessInfo.processInfo.environment
            let list = try benchmarkCornerTurns(fallback: "2,3,4,6")
            let measured = max(1, env["LITFASS_BENCH_TURN_RUNS"].flatMap(Int.init) ?? 3)
            let g = state.median("gdal"), gc = state.median("gdal", cpu: true)
            var load = [Double](repeating: 0, count: 3)
            for turns in list {
                var settings = KernelSettings()
                settings.maxCornerTurns = turns
                let kernel = PropagationKernel(scene: s.scene, settings: settings)
                var wall: [Double] = [], cpu: [Double] = []
                var window: CoverageWindow?
                for k in 0...measured {
                    let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuSeconds()
                    let w = kernel.compute(s.tx)
                    if k > 0 {
                        wall.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9); cpu.append(cpuSeconds() - c0)
                    }
                    window = w
                }
                wall.sort(); cpu.sort()
                let w = window!
                var outdoor = 0, rooftops = 0, corner = 0
                for row in 0..<w.rows {
                    for col in 0..<w.columns {
                        let i = row * w.columns + col
                        let type = w.pathType[i]
                        guard type != 0, s.scene.buildingIndex[(w.rowOffset + row) * s.scene.grid.columns + w.columnOffset + col] < 0 else { continue }
                        outdoor += 1
                        if type == PathType.overRooftops.rawValue { rooftops += 1 }
                        if type == PathType.aroundCorners.rawValue { corner += 1 }
                    }
                }
                _ = getloadavg(&load, 3)
                print(String(format: "  %@ %d turns: wall %.3f s (%.2f × gdal_viewshed), CPU %.3f s (%.2f ×); outdoor cells %d, around corners %d, no street-level path %d (%.1f %%); load %.2f",
                             state.placement.rawValue, turns, wall[wall.count / 2], wall[wall.count / 2] / g, cpu[cpu.count / 2], cpu[cpu.count / 2] / gc,
                             outdoor, corner, rooftops, 100 * Double(rooftops) / Double(max(1, outdoor)), load[0]))
            }
            return 0
        },
        Benchmark(name: prefix + "ratios", unit: "", workPerRun: 0, warmUp: 0, runs: 1) {
            let s = try state.load()
            let g = state.median("gdal"), l = state.median("los"), f = state.median("full")
            let cells = s.scene.grid.cellCount
            print("  placement: \(state.placement.rawValue)")
            print(String(format: "  scene %d × %d cells (%.2f M) at %.0f m, %d buildings; TX at (%.1f, %.1f), %.0f m, range %.0f m",
                         s.scene.grid.columns, s.scene.grid.rows, Double(cells) / 1e6, s.scene.grid.cellSizeMeters,
                         s.buildings, s.tx.position.x, s.tx.position.y, s.tx.antennaHeightMeters, s.tx.maxRangeMeters))
            print(String(format: "  wall medians: gdal_viewshed %.3f s, LOS+diffraction %.3f s (ratio %.2f), full %.3f s (ratio %.2f)",
                         g, l, l / g, f, f / g))
            let gc = state.median("gdal", cpu: true), lc = state.median("los", cpu: true), fc = state.median("full", cpu: true)
            print(String(format: "  CPU medians (user+sys, all threads): gdal_viewshed %.3f s, LOS+diffraction %.3f s (ratio %.2f), full %.3f s (ratio %.2f)",
                         gc, lc, lc / gc, fc, fc / gc))
            var load = [Double](repeating: 0, count: 3)
            _ = getloadavg(&load, 3)
            print(String(format: "  load average during the run: %.2f (machine has %d cores)", load[0], ProcessInfo.processInfo.activeProcessorCount))
            let f1 = state.median("full1"), f1c = state.median("full1", cpu: true)
            print(String(format: "  one-turn corner paths: wall %.3f s (ratio %.2f), CPU %.3f s (ratio %.2f)", f1, f1 / g, f1c, f1c / gc))
            for (label, window) in [("two turns", state.lastWindow), ("one turn", state.oneTurnWindow)] {
                guard let w = window else { continue }
                var counts = [Int](repeating: 0, count: 4)
                for t in w.pathType { counts[Int(t)] += 1 }
                print("  path types (\(label)): none \(counts[0]), LOS \(counts[1]), over rooftops \(counts[2]), around corners \(counts[3])")
            }
            if let a = state.lastWindow, let b = state.oneTurnWindow {
                var better = 0, sum = 0.0
                for i in a.receivedPowerDBm.indices where a.receivedPowerDBm[i] > b.receivedPowerDBm[i] + 0.01 {
                    better += 1; sum += Double(a.receivedPowerDBm[i] - b.receivedPowerDBm[i])
                }
                print(String(format: "  second turn improves %d cells (mean +%.1f dB)", better, better > 0 ? sum / Double(better) : 0))
            }
            if let w = state.losWindow {
                // The line-of-sight mask against gdal_viewshed's on the same surface raster: outdoor cells (receivers
                // 1.5 m above ground; on a roof gdal's target stands on the roof), within the kernel's range circle.
                let grid = s.scene.grid
                let visible = try RasterIO.read(path: s.folder + "/viewshed.tif", onto: grid)
                var compared = 0, agree = 0, kernelOnly = 0, gdalOnly = 0
                for row in 0..<w.rows {
                    for col in 0..<w.columns {
                        let gi = (w.rowOffset + row) * grid.columns + w.columnOffset + col
                        let type = w.pathType[row * w.columns + col]
                        guard type != 0, s.scene.buildingIndex[gi] < 0 else { continue }
                        compared += 1
                        let mine = type == 1, theirs = visible[gi] > 127
                        if mine == theirs { agree += 1 } else if mine { kernelOnly += 1 } else { gdalOnly += 1 }
                    }
                }
                print(String(format: "  LOS mask vs gdal_viewshed: %.2f %% of %d outdoor cells agree (kernel LOS only %d, gdal only %d)",
                             100 * Double(agree) / Double(max(1, compared)), compared, kernelOnly, gdalOnly))
                // A third opinion on a seeded sample of those cells: the straight segment from the antenna to the
                // receiver, the surface read every 1/8 cell (nearest cell), as the kernel test's exact check.
                guard let (tc, tr) = grid.cell(containing: s.tx.position) else { return 0 }
                let zTx = Double(s.scene.groundHeightMeters[tr * grid.columns + tc]) + s.tx.antennaHeightMeters
                var rng = SeededGenerator(seed: 99)
                var sampled = 0, kernelExact = 0, gdalExact = 0
                while sampled < 4000 {
                    let col = Int.random(in: 0..<w.columns, using: &rng), row = Int.random(in: 0..<w.rows, using: &rng)
                    let gc = w.columnOffset + col, gr = w.rowOffset + row, gi = gr * grid.columns + gc
                    let type = w.pathType[row * w.columns + col]
                    guard type != 0, s.scene.buildingIndex[gi] < 0, (gc, gr) != (tc, tr) else { continue }
                    sampled += 1
                    let zRx = Double(s.scene.groundHeightMeters[gi]) + 1.5
                    let n = 8 * max(abs(gc - tc), abs(gr - tr))
                    var exact = true
                    for k in 1..<n {
                        let f = Double(k) / Double(n)
                        let cc = Int((Double(tc) + 0.5 + f * Double(gc - tc)).rounded(.down))
                        let rr = Int((Double(tr) + 0.5 + f * Double(gr - tr)).rounded(.down))
                        if (cc, rr) == (gc, gr) || (cc, rr) == (tc, tr) { continue }
                        let i = rr * grid.columns + cc
                        if Double(s.scene.groundHeightMeters[i]) + Double(s.scene.buildingHeightMeters[i]) > zTx + (zRx - zTx) * f {
                            exact = false; break
                        }
                    }
                    if (type == 1) == exact { kernelExact += 1 }
                    if (visible[gi] > 127) == exact { gdalExact += 1 }
                }
                print(String(format: "  against the exact segment test (%d sampled outdoor cells): kernel %.2f %%, gdal_viewshed %.2f %%",
                             sampled, 100 * Double(kernelExact) / Double(sampled), 100 * Double(gdalExact) / Double(sampled)))
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            print(String(format: "  peak RSS of the benchmark process %.0f MB (scene arrays %.0f MB)", Double(usage.ru_maxrss) / 1024,
                         Double(cells * 12) / 1e6))
            if state.placement == .denseBlock { state.sceneCache.removeFiles() }
            return 0
        },
    ]
}

enum BenchError: Error { case noScene }

/// Where the benchmark transmitter stands.
enum Placement: String {
    case centre
    case denseBlock = "dense"
}

/// The Neuss default scenario rasterised at 2 m, built once and shared by the placements.
final class NeussSceneCache {
    struct Loaded {
        var scene: Scene
        var demPath: String
        var folder: String
        var buildings: Int
    }
    private var loaded: Loaded?

    func load() throws -> Loaded {
        if let loaded { return loaded }
        let scenario = try ScenarioStore.load(path: DefaultScenario.path())
        var box = scenario.buildings[0].boundingBox
        for b in scenario.buildings { box.include(b.boundingBox) }
        let grid = RasterGrid(covering: box, cellSizeMeters: 2)
        var polygons: [Polygon] = [], heights: [Double] = [], ids: [Double] = []
        for (i, b) in scenario.buildings.enumerated() {
            for p in b.footprint { polygons.append(p); heights.append(b.heightMeters); ids.append(Double(i)) }
        }
        let height = try RasterIO.rasterize(polygons, values: heights, onto: grid)
        let index = try RasterIO.rasterize(polygons, values: ids, onto: grid, background: -1).map { Int32($0) }
        let ground = [Float](repeating: 0, count: grid.cellCount)
        let scene = Scene(grid: grid, groundHeightMeters: ground, buildingHeightMeters: height, buildingIndex: index)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-kernel-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let dem = folder + "/surface.tif"
        try RasterIO.writeGeoTIFF(path: dem, grid: grid, bands: [RasterBand(values: zip(ground, height).map { $0 + $1 },
                                                                          noDataValue: nil, description: "surface [m]")])
        let l = Loaded(scene: scene, demPath: dem, folder: folder, buildings: scenario.buildings.count)
        loaded = l
        return l
    }

    func removeFiles() {
        if let loaded { try? FileManager.default.removeItem(atPath: loaded.folder) }
    }
}

/// One placement's transmitter and recorded timings (the benchmark runner is single-threaded).
final class KernelBenchState {
    struct Loaded {
        var scene: Scene
        var tx: Transmitter
        var demPath: String
        var folder: String
        var buildings: Int
    }
    let sceneCache: NeussSceneCache
    let placement: Placement
    private var loaded: Loaded?
    private var times: [String: [Double]] = [:]
    private var cpu: [String: [Double]] = [:]
    private var warmedUp: Set<String> = []
    var lastWindow: CoverageWindow?
    var oneTurnWindow: CoverageWindow?
    var losWindow: CoverageWindow?

    init(scene: NeussSceneCache, placement: Placement) {
        sceneCache = scene
        self.placement = placement
    }

    /// Records a run; the first (warm-up) run of each key is dropped.
    func record(_ key: String, _ seconds: Double, cpu cpuSeconds: Double) {
        if warmedUp.insert(key).inserted { return }
        times[key, default: []].append(seconds)
        cpu[key, default: []].append(cpuSeconds)
    }
    func median(_ key: String, cpu useCPU: Bool = false) -> Double {
        let t = ((useCPU ? cpu[key] : times[key]) ?? []).sorted()
        return t.isEmpty ? .nan : t[t.count / 2]
    }

    func load() throws -> Loaded {
        if let loaded { return loaded }
        let base = try sceneCache.load()
        let grid = base.scene.grid
        let index = base.scene.buildingIndex
        // The search starts from the raster's centre, or from the centre of the 50 × 50-cell (100 m) block with
        // the most building cells; the transmitter goes to the nearest cell whose 5 × 5 neighbourhood is outdoor.
        var start = (column: grid.columns / 2, row: grid.rows / 2)
        if placement == .denseBlock {
            let block = 50
            var most = -1
            for by in stride(from: 0, to: grid.rows - block, by: block / 2) {
                for bx in stride(from: 0, to: grid.columns - block, by: block / 2) {
                    var count = 0
                    for y in by..<(by + block) { for x in bx..<(bx + block) where index[y * grid.columns + x] >= 0 { count += 1 } }
                    if count > most { most = count; start = (bx + block / 2, by + block / 2) }
                }
            }
        }
        var best: (Int, Int)? = nil
        search: for radius in 0..<min(grid.columns, grid.rows) / 2 {
            for dr in -radius...radius {
                for dc in -radius...radius where max(abs(dr), abs(dc)) == radius {
                    let c = start.column + dc, r = start.row + dr
                    guard c >= 2, r >= 2, c < grid.columns - 2, r < grid.rows - 2 else { continue }
                    var open = true
                    for y in (r - 2)...(r + 2) { for x in (c - 2)...(c + 2) where index[y * grid.columns + x] >= 0 { open = false } }
                    if open { best = (c, r); break search }
                }
            }
        }
        guard let (tc, tr) = best else { throw BenchError.noScene }
        let position = grid.center(column: tc, row: tr)
        let corners = [MapPoint(x: grid.minX, y: grid.minY), MapPoint(x: grid.maxX, y: grid.minY),
                       MapPoint(x: grid.minX, y: grid.maxY), MapPoint(x: grid.maxX, y: grid.maxY)]
        let range = corners.map { $0.distance(to: position) }.max()! + 4
        // The power budget a coverage run gives this carrier: 46 dBm over n78's 273 resource blocks of 100 MHz is
        // 10.85 dBm per resource element, 150.85 dB above the default RSRP floor (−140 dBm).
        let budget = RadioPlan.pathLossBudgetDB(eirpPerResourceElementDBm: 46 - 10 * log10(12 * 273.0),
                                                floorDBm: CoverageOptions().assumptions.rsrpFloorDBm)
        let tx = Transmitter(id: "bench", position: position, antennaHeightMeters: 5, frequencyHz: 3.6e9, eirpDBm: 46,
                             pattern: .sector3GPP(), azimuthDegrees: 45, downtiltDegrees: 4, maxRangeMeters: range,
                             pathLossBudgetDB: budget)
        let l = Loaded(scene: base.scene, tx: tx, demPath: base.demPath, folder: base.folder, buildings: base.buildings)
        loaded = l
        return l
    }
}
