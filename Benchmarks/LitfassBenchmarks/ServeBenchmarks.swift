import Foundation
import LitfassQuery
import LitfassScenario
import LitfassServe
import _LitfassTestSupport

/// Benchmark of `litfass serve` on the Neuss default scenario: a server on 127.0.0.1 (one engine, thread pool of
/// one thread per core) and 50 concurrent clients, each a thread sending `GET /api/query?address=…` one after the
/// other on a new connection (closed loop), 400 requests in all over 200 addresses of the scenario (seeded choice,
/// each asked twice; the second ask is answered from the server's answer cache). The engine is warmed on 10 other
/// addresses first. Prints requests/s, p50/p95/max latency and the process's CPU time per request.
/// `serve.query-50-clients-uncached`: the same on a server without the answer cache (every request computed).
/// `serve.respond-sequential`: `ServeAPI.respond` without sockets, one request after the other (for profiling).
/// Run: `swift run -c release LitfassBenchmarks serve`.
func serveBenchmarks() -> [Benchmark] {
    let state = ServeBenchState()
    return [
        Benchmark(name: "serve.query-50-clients", unit: "requests", workPerRun: 400, warmUp: 1, runs: 1,
                  target: "p95 < 150 ms under 50 clients") {
            // The untimed warm-up run sets up the engine and the server and has the engine answer 200 other addresses
            // (through an API without the cache, so the timed run's cache starts empty): the timed run meets an engine
            // that has been serving, as a running server's does. A new engine's first answers fill its memos.
            guard let (engine, server) = state.server else {
                try state.setUp()
                guard let (engine, _) = state.server else { return 0 }
                let api = try ServeAPI(engine: engine, scenarioPath: "", cachedAnswers: 0)
                for text in sampledLabels(engine.scenario.addresses, count: 200, seed: 99_991) {
                    _ = api.respond(to: HTTPRequest(method: "GET", path: "/api/query", query: ["address": text], bodyBytes: 0))
                }
                return 0
            }
            let addresses = engine.scenario.addresses
            let picked = sampledLabels(addresses, count: 210, seed: 15)
            let warm = Array(picked.prefix(10)), distinct = Array(picked.dropFirst(10))
            let targets = (distinct + distinct).map { "/api/query?address=" + LoopbackHTTP.escape($0) }
            for text in warm { _ = try LoopbackHTTP.request(port: server.port, "/api/query?address=" + LoopbackHTTP.escape(text)) }

            let statuses = runClients(port: server.port, targets: targets, clients: 50, threads: server.threads)
            return Double(statuses.filter { $0 == 200 }.count)
        },
        Benchmark(name: "serve.query-50-clients-uncached", unit: "requests", workPerRun: 400, warmUp: 1, runs: 5,
                  target: "(every answer computed: the answer cache off)") {
            // As serve.query-50-clients on a server of its own without the answer cache (the second ask of an address
            // is computed again; the kernel's per-transmitter geometry is shared through the engine), 200 other addresses.
            // The warm-up run sets up the engine when no other benchmark has and then runs the same load, so every timed
            // run meets an engine that has been serving, as a running server's does.
            if state.server == nil { try state.setUp() }
            guard let (engine, _) = state.server else { return 0 }
            let api = try ServeAPI(engine: engine, scenarioPath: "", cachedAnswers: 0)
            let server = try HTTPServer(bindAddress: "127.0.0.1", port: 0) { api.respond(to: $0) }
            defer { server.stop() }
            let addresses = engine.scenario.addresses
            // Every run (the warm-up too) asks 200 addresses of its own draw, so no run is helped by what an earlier one
            // asked (the engine keeps nothing per address; this makes sure).
            state.uncachedRuns += 1
            let distinct = sampledLabels(addresses, count: 200, seed: 1_515 &+ UInt64(state.uncachedRuns) &* 7_919)
            let targets = (distinct + distinct).map { "/api/query?address=" + LoopbackHTTP.escape($0) }
            let statuses = runClients(port: server.port, targets: targets, clients: 50, threads: server.threads)
            return Double(statuses.filter { $0 == 200 }.count)
        },
        Benchmark(name: "serve.respond-sequential", unit: "requests", workPerRun: 200, warmUp: 1, runs: 1,
                  target: "(CPU per answer, no HTTP)") {
            // The engine and the JSON of `/api/query` without sockets or concurrency: `ServeAPI.respond` on the 200
            // distinct addresses of serve.query-50-clients (other addresses than its warm-up), one after the other.
            // For profiling (`valgrind --tool=callgrind`) and for the CPU one answer costs.
            // An API of its own without the answer cache, so every request is computed.
            guard let (engine, _) = state.server else { try state.setUp(); return 0 }
            let api = try ServeAPI(engine: engine, scenarioPath: "", cachedAnswers: 0)
            let addresses = engine.scenario.addresses
            let picked = sampledLabels(addresses, count: 210, seed: 15)
            let warm = Array(picked.prefix(10)), distinct = Array(picked.dropFirst(10))
            for text in warm { _ = api.respond(to: HTTPRequest(method: "GET", path: "/api/query", query: ["address": text], bodyBytes: 0)) }
            var ok = 0
            var cpu = processCPUSeconds()
            for text in distinct where api.respond(to: HTTPRequest(method: "GET", path: "/api/query", query: ["address": text], bodyBytes: 0)).status == 200 {
                ok += 1
            }
            let queryCPU = processCPUSeconds() - cpu
            // The same addresses' /api/report (what the page asks: the JSON, the CLI's text, the GeoJSON), on other floors
            // (new links, nothing kept by the kernel's per-answer memo).
            cpu = processCPUSeconds()
            for text in distinct { _ = api.respond(to: HTTPRequest(method: "GET", path: "/api/report", query: ["address": text, "floor": "1"], bodyBytes: 0)) }
            let reportCPU = processCPUSeconds() - cpu
            print(String(format: "  CPU per answer: /api/query %.2f ms, /api/report %.2f ms", queryCPU / Double(distinct.count) * 1e3,
                         reportCPU / Double(distinct.count) * 1e3))
            return Double(ok)
        },
        Benchmark(name: "serve.health-50-clients", unit: "requests", workPerRun: 4_000, warmUp: 1, runs: 1,
                  target: "(the server alone: /api/health)") {
            // The HTTP layer without the engine's work: 4,000 requests of /api/health under 50 clients.
            guard let (_, server) = state.server else { try state.setUp(); return 0 }
            let statuses = runClients(port: server.port, targets: Array(repeating: "/api/health", count: 4_000), clients: 50, threads: server.threads)
            return Double(statuses.filter { $0 == 200 }.count)
        },
    ]
}

/// `count` address labels drawn from `addresses` by a seeded linear congruential generator (Knuth's MMIX constants),
/// the same sequence on every run.
func sampledLabels(_ addresses: [Address], count: Int, seed: UInt64) -> [String] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return AddressSuggester.label(addresses[Int((state >> 33) % UInt64(addresses.count))])
    }
}

/// 50 (`clients`) threads, each sending its share of `targets` one after the other (closed loop); prints requests/s
/// and latency percentiles; returns the statuses.
func runClients(port: Int, targets: [String], clients: Int, threads: Int) -> [Int] {
    let latencies = LatencyLog(count: targets.count)
    let group = DispatchGroup()
    let cpuStart = processCPUSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    for client in 0..<clients {
        group.enter()
        let thread = Thread {
            var i = client
            while i < targets.count {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let status = (try? LoopbackHTTP.request(port: port, targets[i]).status) ?? -1
                latencies.set(i, seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, status: status)
                i += clients
            }
            group.leave()
        }
        thread.start()
    }
    group.wait()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let cpu = processCPUSeconds() - cpuStart
    let (seconds, statuses) = latencies.snapshot()
    let sorted = seconds.sorted()
    func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] * 1e3 }
    let failed = statuses.filter { ![200, 404, 409].contains($0) }.count
    print(String(format: "  %d requests, %d clients, %d server threads: %.0f requests/s; latency p50 %.1f ms, p95 %.1f ms, max %.1f ms; %d failed (%d answered 200); CPU %.2f ms per request (server and clients)",
                 targets.count, clients, threads, Double(targets.count) / wall, pct(0.5), pct(0.95), sorted.last! * 1e3,
                 failed, statuses.filter { $0 == 200 }.count, cpu / Double(targets.count) * 1e3))
    return statuses
}

/// CPU time of this process so far (every thread) [s]: what the requests cost, whatever else loads the machine.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The engine and server of the serve benchmark, made in its warm-up run.
final class ServeBenchState {
    var server: (QueryEngine, HTTPServer)?
    /// Runs of serve.query-50-clients-uncached so far: each draws other addresses.
    var uncachedRuns = 0

    /// One engine on the default scenario and a server on 127.0.0.1 at a free port, one thread per core.
    func setUp() throws {
        let path = try DefaultScenario.path()
        let engine = try QueryEngine(scenario: try ScenarioStore.load(path: path), threadsPerAnswer: 1)   // as `litfass serve`
        let api = try ServeAPI(engine: engine, scenarioPath: path)
        server = (engine, try HTTPServer(bindAddress: "127.0.0.1", port: 0) { api.respond(to: $0) })
    }
}

/// Latencies written from the client threads.
final class LatencyLog: @unchecked Sendable {
    private var seconds: [Double], statuses: [Int]
    private let lock = NSLock()
    init(count: Int) { seconds = Array(repeating: 0, count: count); statuses = Array(repeating: -1, count: count) }
    func set(_ i: Int, seconds value: Double, status: Int) {
        lock.lock(); seconds[i] = value; statuses[i] = status; lock.unlock()
    }
    func snapshot() -> ([Double], [Int]) {
        lock.lock(); defer { lock.unlock() }
        return (seconds, statuses)
    }
}
