import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// Benchmarks of the propagation kernel on the Neuss default scenario rasterised at 2 m.
///
/// `kernel.gdal-viewshed` times `gdal_viewshed` (line of sight only, whole raster, GeoTIFF in and out);
/// `kernel.los-diffraction` the kernel without corner paths, `kernel.full` with them (both over the whole
/// raster, range to the farthest corner); `kernel.ratios` prints the ratios and the peak memory.
/// Run: `swift run -c release LitfassBenchmarks kernel`.
func kernelBenchmarks() -> [Benchmark] {
    let state = KernelBenchState()
    let runs = 5
    return [
        Benchmark(name: "kernel.gdal-viewshed", unit: "cells", workPerRun: 0, warmUp: 1, runs: runs,
                  target: "LOS only (reference)") {
            let s = try state.load()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/gdal_viewshed")
            p.arguments = ["-q", "-ox", "\(s.tx.position.x)", "-oy", "\(s.tx.position.y)", "-oz", "\(s.tx.antennaHeightMeters)",
                           "-tz", "1.5", "-cc", "1", s.demPath, s.folder + "/viewshed.tif"]
            try p.run(); p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw BenchError.gdalFailed }
            state.record("gdal", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            return 1
        },
        Benchmark(name: "kernel.los-diffraction", unit: "cells", workPerRun: 0, warmUp: 1, runs: runs,
                  target: "≤ gdal_viewshed") {
            let s = try state.load()
            var settings = KernelSettings(); settings.maxCornerTurns = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            let w = PropagationKernel(scene: s.scene, settings: settings).compute(s.tx)
            state.record("los", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            return Double(w.receivedPowerDBm[w.receivedPowerDBm.count / 2])
        },
        Benchmark(name: "kernel.full", unit: "cells", workPerRun: 0, warmUp: 1, runs: runs,
                  target: "≤ 5 × gdal_viewshed") {
            let s = try state.load()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let w = PropagationKernel(scene: s.scene).compute(s.tx)
            state.record("full", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            state.lastWindow = w
            return Double(w.receivedPowerDBm[w.receivedPowerDBm.count / 2])
        },
        Benchmark(name: "kernel.ratios", unit: "", workPerRun: 0, warmUp: 0, runs: 1) {
            let s = try state.load()
            let g = state.median("gdal"), l = state.median("los"), f = state.median("full")
            let cells = s.scene.grid.cellCount
            print(String(format: "  scene %d × %d cells (%.2f M) at %.0f m, %d buildings; TX at (%.1f, %.1f), %.0f m, range %.0f m",
                         s.scene.grid.columns, s.scene.grid.rows, Double(cells) / 1e6, s.scene.grid.cellSizeMeters,
                         s.buildings, s.tx.position.x, s.tx.position.y, s.tx.antennaHeightMeters, s.tx.maxRangeMeters))
            print(String(format: "  medians: gdal_viewshed %.3f s, LOS+diffraction %.3f s (ratio %.2f), full %.3f s (ratio %.2f)",
                         g, l, l / g, f, f / g))
            if let w = state.lastWindow {
                var counts = [Int](repeating: 0, count: 4)
                for t in w.pathType { counts[Int(t)] += 1 }
                print("  path types: none \(counts[0]), LOS \(counts[1]), over rooftops \(counts[2]), around corners \(counts[3])")
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            print(String(format: "  peak RSS of the benchmark process %.0f MB (scene arrays %.0f MB)", Double(usage.ru_maxrss) / 1024,
                         Double(cells * 12) / 1e6))
            return 0
        },
    ]
}

enum BenchError: Error { case gdalFailed, noScene }

/// Lazily built benchmark scene and the recorded timings (the benchmark runner is single-threaded).
final class KernelBenchState {
    struct Loaded {
        var scene: Scene
        var tx: Transmitter
        var demPath: String
        var folder: String
        var buildings: Int
    }
    private var loaded: Loaded?
    private var times: [String: [Double]] = [:]
    private var warmedUp: Set<String> = []
    var lastWindow: CoverageWindow?

    /// Records a run; the first (warm-up) run of each key is dropped.
    func record(_ key: String, _ seconds: Double) {
        if warmedUp.insert(key).inserted { return }
        times[key, default: []].append(seconds)
    }
    func median(_ key: String) -> Double {
        let t = (times[key] ?? []).sorted()
        return t.isEmpty ? .nan : t[t.count / 2]
    }

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
        // The transmitter: a small cell (5 m, advertising column) in the open cell nearest to the centre
        // whose 7 × 7 neighbourhood is all outdoor (a street or square).
        let cc = grid.columns / 2, cr = grid.rows / 2
        var best: (Int, Int)? = nil
        search: for radius in 0..<min(grid.columns, grid.rows) / 2 {
            for dr in -radius...radius {
                for dc in -radius...radius where max(abs(dr), abs(dc)) == radius {
                    let c = cc + dc, r = cr + dr
                    var open = true
                    for y in (r - 3)...(r + 3) { for x in (c - 3)...(c + 3) where index[y * grid.columns + x] >= 0 { open = false } }
                    if open { best = (c, r); break search }
                }
            }
        }
        guard let (tc, tr) = best else { throw BenchError.noScene }
        let position = grid.center(column: tc, row: tr)
        let corners = [MapPoint(x: grid.minX, y: grid.minY), MapPoint(x: grid.maxX, y: grid.minY),
                       MapPoint(x: grid.minX, y: grid.maxY), MapPoint(x: grid.maxX, y: grid.maxY)]
        let range = corners.map { $0.distance(to: position) }.max()! + 4
        let tx = Transmitter(id: "bench", position: position, antennaHeightMeters: 5, frequencyHz: 3.6e9, eirpDBm: 46,
                             pattern: .sector3GPP(), azimuthDegrees: 45, downtiltDegrees: 4, maxRangeMeters: range)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-kernel-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let dem = folder + "/surface.tif"
        try RasterIO.writeGeoTIFF(path: dem, grid: grid, bands: [RasterBand(values: zip(ground, height).map { $0 + $1 },
                                                                          noDataValue: nil, description: "surface [m]")])
        let l = Loaded(scene: scene, tx: tx, demPath: dem, folder: folder, buildings: scenario.buildings.count)
        loaded = l
        return l
    }
}
