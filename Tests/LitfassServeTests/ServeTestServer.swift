import Foundation
import LitfassQuery
import LitfassScenario
import LitfassServe
import _LitfassTestSupport

/// One server for the serve tests: the default scenario (built from `Data/`, the same store the CLI uses),
/// one engine, listening on 127.0.0.1 at a free port.
let serveFixture: (api: ServeAPI, server: HTTPServer, scenarioPath: String) = {
    let path = try! DefaultScenario.path()
    let engine = try! QueryEngine(scenario: try! ScenarioStore.load(path: path), threadsPerAnswer: 1)   // as `litfass serve`
    let api = try! ServeAPI(engine: engine, scenarioPath: path)
    let server = try! HTTPServer(bindAddress: "127.0.0.1", port: 0) { api.respond(to: $0) }
    return (api, server, path)
}()

/// GET on the test server.
func get(_ target: String, method: String = "GET", body: String = "") throws -> LoopbackHTTP.Response {
    try LoopbackHTTP.request(port: serveFixture.server.port, target, method: method, body: body)
}

let krefelder = "Krefelder Straße 15, 41460 Neuss"

/// The p-th percentile (0–1) of sorted values, nearest rank.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
}
