import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassKernel
import LitfassQuery
import LitfassRadio
import LitfassScenario

/// Benchmarks of the address query on the Neuss default scenario (`DefaultScenario.path()`).
///
/// `query.lookup`: finding the building only, 600 lookups in four spellings (one not found, one with a typo).
/// `query.warm`: a `QueryEngine` set up once and warmed on 10 other addresses (the scene's node index is built),
/// then 50 fixed addresses (seeded choice from the scenario's addresses), each answered once (a new address:
/// nothing of its own is cached yet); prints the median and 95th percentile per query and the number of
/// kernel links. `query.batch`: 100 other addresses through `BatchQuery.answer` with the CSV table's key figures (as
/// `litfass query --batch FILE`; addresses per second), on a fresh engine set up in the untimed warm-up run;
/// `query.batch-json`: the same with whole answers (as `--format json`).
/// `query.cold`: the release CLI `litfass query "Krefelder Straße 15, 41460 Neuss"` in a new process (wall time;
/// needs `swift build -c release --product litfass` first).
/// Run: `swift run -c release LitfassBenchmarks query`.
func queryBenchmarks() -> [Benchmark] {
    let state = QueryBenchState(), batchState = QueryBenchState(), jsonState = QueryBenchState()
    return queryLinkBenchmarks() + [
        Benchmark(name: "query.warm", unit: "queries", workPerRun: 50, warmUp: 0, runs: 1,
                  target: "median < 50 ms, p95 < 100 ms") {
            let (engine, lists) = try state.load()
            var times: [Double] = []
            var answered = 0
            for text in lists.measured {
                let t0 = DispatchTime.now().uptimeNanoseconds
                if case .answer = try engine.answer(address: text) { answered += 1 }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            let sorted = times.sorted()
            let p95 = sorted[min(sorted.count - 1, Int((0.95 * Double(sorted.count)).rounded(.up)) - 1)]
            print(String(format: "  %d addresses (%d answered): median %.1f ms, p95 %.1f ms, max %.1f ms, mean %.1f ms",
                         times.count, answered, sorted[sorted.count / 2] * 1e3, p95 * 1e3, sorted.last! * 1e3,
                         times.reduce(0, +) / Double(times.count) * 1e3))
            // The same addresses again (everything of theirs cached by the kernel).
            var again: [Double] = []
            for text in lists.measured {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try engine.answer(address: text)
                again.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            again.sort()
            print(String(format: "  same addresses again: median %.1f ms, p95 %.1f ms",
                         again[again.count / 2] * 1e3, again[min(again.count - 1, Int((0.95 * Double(again.count)).rounded(.up)) - 1)] * 1e3))
            return Double(answered)
        },
        Benchmark(name: "query.lookup", unit: "lookups", workPerRun: 600, warmUp: 1, runs: 5, target: "(part of query.warm)") {
            // Finding the building only (`QueryEngine.lookup`): 150 addresses as written, lower case with the city
            // first, with a Berlin postcode (not found), and with a typo in the street (compared with every street).
            let (engine, lists) = try state.load()
            var found = 0
            for text in (lists.measured + lists.batch).prefix(150) {
                let street = text.prefix { $0 != "," }
                let typo = String(street.prefix(3)) + String(street.dropFirst(4))
                for asked in [text, "neuss " + street.lowercased(), street + ", 10115 Berlin", typo] {
                    if case .unique = try engine.lookup(address: asked).match { found += 1 }
                }
            }
            return Double(found)
        },
        Benchmark(name: "query.batch", unit: "addresses", workPerRun: 100, warmUp: 1, runs: 1,
                  target: "≥ 200 addresses/s") {
            // As `litfass query --batch FILE` (CSV): the key figures of 100 addresses, on an engine of its own (set up
            // and warmed on 10 other addresses in the untimed warm-up run; nothing of query.warm's cached).
            guard batchState.isLoaded else { _ = try batchState.load(); return 0 }
            let (engine, lists) = try batchState.load()
            let rows = BatchQuery.answer(lists.batch, engine: engine, floor: 0, scope: .keyFigures)
            return Double(rows.filter { $0.status == "ok" }.count)
        },
        Benchmark(name: "query.batch-json", unit: "addresses", workPerRun: 100, warmUp: 1, runs: 1,
                  target: "(whole answers, for comparison)") {
            // As `litfass query --batch FILE --format json`: whole answers (outdoor figures, best candidate column),
            // the same 100 addresses on another engine of its own.
            guard jsonState.isLoaded else { _ = try jsonState.load(); return 0 }
            let (engine, lists) = try jsonState.load()
            let rows = BatchQuery.answer(lists.batch, engine: engine, floor: 0, scope: .full)
            return Double(rows.filter { $0.status == "ok" }.count)
        },
        Benchmark(name: "query.cold", unit: "", workPerRun: 0, warmUp: 1, runs: 3, target: "< 2 s") {
            let exe = FileManager.default.currentDirectoryPath + "/.build/release/litfass"
            guard FileManager.default.isExecutableFile(atPath: exe) else { throw QueryBenchError.noReleaseCLI(exe) }
            _ = try timeProcess(exe, ["query", "Krefelder Straße 15, 41460 Neuss"])
            return 1
        },
    ]
}

enum QueryBenchError: Error {
    case noReleaseCLI(String)
}

/// The engine and the address lists, built on first use.
final class QueryBenchState {
    struct Lists {
        var warmUp: [String]
        var measured: [String]
        var batch: [String]
    }
    private var loaded: (QueryEngine, Lists)?
    var isLoaded: Bool { loaded != nil }

    func load(warm: Bool = true) throws -> (QueryEngine, Lists) {
        if let loaded { return loaded }
        let scenario = try ScenarioStore.load(path: DefaultScenario.path())
        let t0 = DispatchTime.now().uptimeNanoseconds
        // LITFASS_BENCH_QUERY_TURNS: one corner-turn count for the engine's kernel (default: the kernel's, 2).
        var options = CoverageOptions()
        if let text = ProcessInfo.processInfo.environment["LITFASS_BENCH_QUERY_TURNS"] {
            guard let turns = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw BenchmarkSettingError(description: "LITFASS_BENCH_QUERY_TURNS expects one whole number 0…8, got '\(text)'")
            }
            options.maxCornerTurns = try KernelSettings.validateCornerTurns(turns, argument: "LITFASS_BENCH_QUERY_TURNS")
        }
        let engine = try QueryEngine(scenario: scenario, options: options)
        let setup = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        // Unique, well-formed addresses with a building, in a seeded order.
        var seen = Set<String>()
        var texts: [String] = []
        for a in scenario.addresses where a.buildingID != nil {
            let text = "\(a.street) \(a.houseNumber), \(a.postcode ?? "") \(a.city ?? "")".trimmingCharacters(in: .whitespaces)
            if seen.insert(text).inserted { texts.append(text) }
        }
        var rng = SeededGenerator(seed: 2026)
        texts.shuffle(using: &rng)
        let lists = Lists(warmUp: Array(texts.prefix(10)), measured: Array(texts.dropFirst(10).prefix(50)),
                          batch: Array(texts.dropFirst(60).prefix(100)))
        let t1 = DispatchTime.now().uptimeNanoseconds
        if warm { for text in lists.warmUp { _ = try engine.answer(address: text) } }
        print(String(format: "  engine set-up %.2f s; warm-up on 10 addresses %.2f s (%d distinct addresses in the scenario)",
                     setup, Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9, texts.count))
        loaded = (engine, lists)
        return (engine, lists)
    }
}

/// Per-link cost on the scenario's sectors at a few addresses (diagnostics): `query.links`.
func queryLinkBenchmarks() -> [Benchmark] {
    let state = QueryBenchState()
    return [Benchmark(name: "query.links", unit: "links", workPerRun: 0, warmUp: 0, runs: 1) {
        let (engine, lists) = try state.load(warm: false)
        let run = engine.coverage
        var sink = 0.0
        // LITFASS_BENCH_TURNS: the corner-turn counts (comma-separated, default 0,1,2; from 3 on a spot's first link
        // includes its window's node search for the deep levels).
        for turns in try benchmarkCornerTurns(fallback: "0,1,2") {
            var settings = run.kernel.settings
            settings.maxCornerTurns = turns
            let kernel = PropagationKernel(scene: run.scene, settings: settings)
            let f0 = DispatchTime.now().uptimeNanoseconds
            _ = kernel.link(run.plan.sectors[0].transmitter, to: engine.scenario.addresses[0].location)
            print(String(format: "  turns %d: first link of a new kernel (builds the node index when corners are on) %.1f ms",
                         turns, Double(DispatchTime.now().uptimeNanoseconds - f0) / 1e6))
            var times: [Double] = []
            for text in lists.measured.prefix(5) {
                guard let a = engine.scenario.addresses.first(where: { "\($0.street) \($0.houseNumber), \($0.postcode ?? "") \($0.city ?? "")".trimmingCharacters(in: .whitespaces) == text }) else { continue }
                for p in run.plan.sectors where a.location.distance(to: p.transmitter.position) <= p.transmitter.maxRangeMeters {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    sink += kernel.link(p.transmitter, to: a.location, indoor: true).receivedPowerDBm
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                }
            }
            times.sort()
            print(String(format: "  turns %d: %d links, mean %.1f µs, median %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f ms",
                         turns, times.count, times.reduce(0, +) / Double(times.count) * 1e6, times[times.count / 2] * 1e6,
                         times[times.count * 9 / 10] * 1e6, times[times.count * 99 / 100] * 1e6, times.last! * 1e3))
        }
        return sink
    }]
}
