import Foundation
import Testing
import LitfassQuery
import LitfassScenario
import LitfassServe
import _LitfassTestSupport

/// The JSON API over HTTP on loopback: the CLI's answer, bad input, path traversal, concurrency.
@Suite(.serialized) struct ServeAPITests {
    @Test func queryAnswersExactlyAsTheCLIsJSON() throws {
        let response = try get("/api/query?address=" + LoopbackHTTP.escape(krefelder))
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let cli = try runProcess(TestPaths.litfassExecutable, ["query", krefelder, "--format", "json"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let api = try #require(response.json), expected = try #require(
            (try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8))) as? [String: Any])
        // The objects the issue names, and then the whole text byte for byte.
        let apiMobile = try #require(api["mobile"] as? [[String: Any]]), cliMobile = try #require(expected["mobile"] as? [[String: Any]])
        #expect(apiMobile.count == 3)
        #expect(try canonical(apiMobile) == canonical(cliMobile))
        let apiFibre = try #require(api["fibre"] as? [String: Any]), cliFibre = try #require(expected["fibre"] as? [String: Any])
        #expect(try canonical(apiFibre) == canonical(cliFibre))
        #expect(apiFibre["routeMeters"] as? Double ?? 0 > 0)
        #expect(response.text == cli.stdout)
    }

    @Test func floorAndPositionAnswerAsTheCLI() throws {
        let byFloor = try get("/api/query?address=" + LoopbackHTTP.escape(krefelder) + "&floor=2")
        #expect(byFloor.status == 200)
        #expect(byFloor.json?["floor"] as? Int == 2)
        let cli = try runProcess(TestPaths.litfassExecutable, ["query", "--lonlat", "6.6844,51.2024", "--format", "json"])
        let byPosition = try get("/api/query?lon=6.6844&lat=51.2024")
        #expect(byPosition.status == 200)
        #expect(byPosition.text == cli.stdout)
        // The address as the issue writes it: no postcode.
        let short = try get("/api/query?address=Krefelder%20Stra%C3%9Fe%2015%2C%20Neuss")
        let shortCLI = try runProcess(TestPaths.litfassExecutable, ["query", "Krefelder Straße 15, Neuss", "--format", "json"])
        #expect(short.status == 200)
        #expect(short.text == shortCLI.stdout)
    }

    @Test func badInputGives4xxJSONWithTheCLIsMeaning() throws {
        // (target, status, exit code the CLI gives for the same mistake)
        let cases: [(String, Int, Int)] = [
            ("/api/query", 400, 2),
            ("/api/query?address=", 400, 2),
            ("/api/query?address=%21%21%21", 400, 2),
            ("/api/query?address=xx", 400, 2),
            ("/api/query?address=" + LoopbackHTTP.escape(krefelder) + "&floor=-1", 400, 2),
            ("/api/query?address=" + LoopbackHTTP.escape(krefelder) + "&floor=abc", 400, 2),
            ("/api/query?address=" + LoopbackHTTP.escape(krefelder) + "&colour=red", 400, 2),
            ("/api/query?address=" + LoopbackHTTP.escape(krefelder) + "&lon=6.68&lat=51.2", 400, 2),
            ("/api/query?address=" + String(repeating: "a", count: 500) + "%201", 400, 2),
            ("/api/query?lon=999&lat=51.2", 400, 2),
            ("/api/query?lon=6.68", 400, 2),
            ("/api/query?lon=nan&lat=nan", 400, 2),
            ("/api/query?lon=13.4&lat=52.5", 404, 3),
            ("/api/query?address=" + LoopbackHTTP.escape("Nirgendwostraße 999, 41460 Neuss"), 404, 3),
            ("/api/suggest", 400, 2),
            ("/api/suggest?q=kref&x=1", 400, 2),
            ("/api/nothing", 404, 3),
            ("/nothing.html", 404, 3),
        ]
        for (target, status, exitCode) in cases {
            let response = try get(target)
            #expect(response.status == status, "\(target): \(response.text)")
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(target)")
            let error = try #require(response.json?["error"] as? [String: Any], "\(target): \(response.text)")
            #expect(error["status"] as? Int == status, "\(target)")
            #expect(error["exitCode"] as? Int == exitCode, "\(target)")
            #expect((error["message"] as? String)?.isEmpty == false, "\(target)")
        }
        let post = try get("/api/query?address=x", method: "POST", body: "address=x")
        #expect(post.status == 405 || post.status == 413)
        #expect(post.json?["error"] != nil)
        let delete = try get("/api/health", method: "DELETE")
        #expect(delete.status == 405)
    }

    @Test func ambiguousAddressesGive409WithTheChoices() throws {
        let engine = serveFixture.api.engine
        let ambiguous = try ["Stephanstraße 6", "Körnerstraße 65"].first { text in
            if case .ambiguous = try engine.answer(address: text) { return true }
            return false
        }
        let text = try #require(ambiguous, "no ambiguous address among the known ones")
        let response = try get("/api/query?address=" + LoopbackHTTP.escape(text))
        #expect(response.status == 409)
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["exitCode"] as? Int == 4)
        let choices = try #require(error["choices"] as? [[String: Any]])
        #expect(choices.count >= 2)
        #expect(choices.allSatisfy { ($0["label"] as? String)?.isEmpty == false })
        // The choices are the CLI's distinguishable labels (type, size, position), never identical.
        let labels = choices.compactMap { $0["label"] as? String }
        #expect(Set(labels).count == labels.count, "\(labels)")
        #expect(labels == engine.choiceLabels(for: { if case .ambiguous(let a) = try! engine.answer(address: text) { return a }; return [] }()))
    }

    /// A postcode that contradicts the scenario is "not found" with the CLI's reason, never the Neuss building.
    @Test func aContradictingPostcodeIsNotFoundWithTheReason() throws {
        let response = try get("/api/query?address=" + LoopbackHTTP.escape("Preußenstraße 12, 10115 Berlin"))
        #expect(response.status == 404)
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["exitCode"] as? Int == 3)
        #expect((error["message"] as? String)?.contains("10115 is not a postcode of this scenario") == true, "\(response.text)")
    }

    @Test func pathTraversalIsRefused() throws {
        for target in ["/../../etc/passwd", "/vendor/../../Package.swift", "/vendor/leaflet/../../../../../etc/passwd",
                       "/%2e%2e/%2e%2e/etc/passwd", "/vendor/%2e%2e/%2e%2e/%2e%2e/Package.swift", "/..%2f..%2fetc%2fpasswd",
                       "/./index.html", "/vendor\\..\\..\\etc\\passwd", "//etc/passwd", "/etc/passwd",
                       "/Web/index.html", "/LitfassServe/Web/app.js"] {
            let response = try get(target)
            #expect(response.status == 400 || response.status == 404, "\(target): \(response.status)")
            #expect(!response.text.contains("root:"), "\(target)")
            #expect(!response.text.contains("PackageDescription"), "\(target)")
            #expect(response.json?["error"] != nil, "\(target)")
        }
        // The page's own files are there.
        for (target, type) in [("/", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css"),
                               ("/vendor/leaflet/leaflet.js", "text/javascript"), ("/vendor/leaflet/LICENSE", "text/plain"),
                               ("/vendor/leaflet/images/marker-icon.png", "image/png")] {
            let response = try get(target)
            #expect(response.status == 200, "\(target)")
            #expect(response.headers["content-type"]?.hasPrefix(type) == true, "\(target)")
        }
    }

    @Test func oversizedRequestsAreRefused() throws {
        // Request line and headers beyond the connection's memory limit (32 KiB): the library refuses.
        let long = try get("/api/suggest?q=" + String(repeating: "a", count: 40_000))
        #expect((400..<500).contains(long.status))
        let text = try get("/api/suggest?q=" + String(repeating: "a", count: 300))
        #expect(text.status == 400)
    }

    @Test func suggestCompletesAddresses() throws {
        let response = try get("/api/suggest?q=" + LoopbackHTTP.escape("krefelder stra"))
        #expect(response.status == 200)
        let labels = try #require(response.json?["suggestions"] as? [[String: Any]]).compactMap { $0["label"] as? String }
        #expect(!labels.isEmpty && labels.count <= 8)
        #expect(labels.allSatisfy { $0.hasPrefix("Krefelder Straße") })
        let fifteen = try get("/api/suggest?q=" + LoopbackHTTP.escape("Krefelder Str. 15"))
        let found = try #require(fifteen.json?["suggestions"] as? [[String: Any]]).compactMap { $0["label"] as? String }
        #expect(found.contains(krefelder))
        let none = try get("/api/suggest?q=zzzzqqq")
        #expect((none.json?["suggestions"] as? [Any])?.isEmpty == true)
    }

    @Test func reportAndMapCarryTheAnswersGeometry() throws {
        let response = try get("/api/report?address=" + LoopbackHTTP.escape(krefelder))
        #expect(response.status == 200)
        let report = try #require(response.json)
        let text = try #require(report["text"] as? String)
        #expect(text.hasPrefix("Krefelder Straße 15, 41460 Neuss"))
        #expect(text.contains("Mbit/s"))
        let features = try #require((report["map"] as? [String: Any])?["features"] as? [[String: Any]])
        let kinds = Set(features.compactMap { ($0["properties"] as? [String: Any])?["kind"] as? String })
        #expect(kinds.isSuperset(of: ["answer-building", "location", "fibre-route", "access-point", "link"]))
        let basemap = try get("/api/basemap")
        let all = try #require(basemap.json?["features"] as? [[String: Any]])
        #expect(all.filter { ($0["properties"] as? [String: Any])?["kind"] as? String == "building" }.count == 2305)
        let health = try #require(try get("/api/health").json)
        #expect(health["status"] as? String == "ok")
        #expect((health["extent"] as? [Double])?.count == 4)
    }

    @Test func twoHundredParallelQueriesNoneLost() throws {
        // 200 requests at once, over 20 addresses of the scenario (seeded choice), each on its own connection.
        let addresses = serveFixture.api.engine.scenario.addresses
        var generator = SplitMix(seed: 15)
        let texts = (0..<20).map { _ in AddressSuggester.label(addresses[Int(generator.next() % UInt64(addresses.count))]) }
        let port = serveFixture.server.port
        let results = ResultBox(count: 200)
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<200 {
            group.enter()
            let thread = Thread {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let response = try? LoopbackHTTP.request(port: port, "/api/query?address=" + LoopbackHTTP.escape(texts[i % texts.count]),
                                                         timeoutSeconds: 300)
                results.set(i, status: response?.status ?? -1, ok: response?.json != nil,
                            seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        #expect(group.wait(timeout: .now() + 400) == .success)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let all = results.snapshot()
        let lost = all.filter { $0.status < 0 || !$0.ok }.count
        #expect(lost == 0)
        #expect(all.allSatisfy { [200, 404, 409].contains($0.status) })
        #expect(all.filter { $0.status == 200 }.count >= 150)
        let sorted = all.map(\.seconds).sorted()
        print(String(format: "serve: 200 parallel queries in %.2f s (%.0f/s), latency p50 %.0f ms, p95 %.0f ms, max %.0f ms; %d lost",
                     wall, 200 / wall, percentile(sorted, 0.5) * 1e3, percentile(sorted, 0.95) * 1e3, sorted.last! * 1e3, lost))
        // Every answer is the one a single request gives.
        let single = try get("/api/query?address=" + LoopbackHTTP.escape(texts[0]))
        #expect(single.status == all[0].status)
    }
}

/// A JSON value as text with sorted keys, to compare parsed objects.
func canonical(_ value: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
}

/// Results of the parallel requests, written from many threads.
final class ResultBox: @unchecked Sendable {
    private var values: [(status: Int, ok: Bool, seconds: Double)]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: (-1, false, 0), count: count) }
    func set(_ i: Int, status: Int, ok: Bool, seconds: Double) {
        lock.lock(); values[i] = (status, ok, seconds); lock.unlock()
    }
    func snapshot() -> [(status: Int, ok: Bool, seconds: Double)] {
        lock.lock(); defer { lock.unlock() }
        return values
    }
}

/// SplitMix64, for a seeded choice of addresses.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
