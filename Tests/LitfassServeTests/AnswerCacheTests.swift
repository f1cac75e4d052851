import Foundation
import Testing
import LitfassServe
import _LitfassTestSupport

/// The answer cache of `ServeAPI`: a repeated request gets the same bytes as a fresh computation, and no more
/// answers are kept than asked.
@Suite struct AnswerCacheTests {
    @Test func repeatedRequestsGetTheComputedBytesAndTheCacheStaysBounded() throws {
        let engine = serveFixture.api.engine
        let cached = try ServeAPI(engine: engine, scenarioPath: serveFixture.scenarioPath, cachedAnswers: 2)
        let fresh = try ServeAPI(engine: engine, scenarioPath: serveFixture.scenarioPath, cachedAnswers: 0)
        let requests = [
            HTTPRequest(path: "/api/query", query: ["address": krefelder]),
            HTTPRequest(path: "/api/report", query: ["address": krefelder, "floor": "2"]),
            HTTPRequest(path: "/api/map", query: ["address": krefelder]),
            HTTPRequest(path: "/api/query", query: ["address": "Körnerstraße 65"]),   // ambiguous: 409, kept too
            HTTPRequest(path: "/api/query", query: ["address": krefelder]),
        ]
        for request in requests + requests.reversed() {
            let a = cached.respond(to: request), b = fresh.respond(to: request)
            #expect(a == b, "\(request.path) \(request.query)")
            #expect(cached.cachedAnswerCount <= 2)
        }
        #expect(cached.cachedAnswerCount == 2)
        #expect(fresh.cachedAnswerCount == 0)
        #expect(fresh.respond(to: requests[3]).status == 409)
    }
}

/// `JSONText` writes what `JSONSerialization` writes, byte for byte, for every kind of answer.
@Suite struct JSONTextTests {
    @Test func answersAreWrittenAsJSONSerializationWritesThem() throws {
        let api = try ServeAPI(engine: serveFixture.api.engine, scenarioPath: serveFixture.scenarioPath, cachedAnswers: 0)
        let addresses = serveFixture.api.engine.scenario.addresses
        var texts = [krefelder, "Körnerstraße 65", "Preußenstraße 12, 10115 Berlin", "Nirgendwostraße 999"]
        texts += stride(from: 0, to: addresses.count, by: max(1, addresses.count / 12)).map { AddressSuggester.label(addresses[$0]) }
        var requests = texts.flatMap { t in ["/api/query", "/api/report", "/api/map"].map { HTTPRequest(path: $0, query: ["address": t]) } }
        requests += [HTTPRequest(path: "/api/query", query: ["lon": "6.6844", "lat": "51.2024", "floor": "3"]),
                     HTTPRequest(path: "/api/query", query: ["lon": "6.5", "lat": "51.2"]),
                     HTTPRequest(path: "/api/suggest", query: ["q": "Krefelder"]), HTTPRequest(path: "/api/health"),
                     HTTPRequest(path: "/api/coverage"), HTTPRequest(path: "/api/query", query: ["address": "x\"\\\n\t/é"])]
        for request in requests {
            let text = api.respond(to: request).text
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            let pretty = request.path == "/api/query" && text.contains("\n  ")
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if pretty { options.insert(.prettyPrinted) }
            let expected = String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
            #expect(text == expected + (pretty ? "\n" : ""), "\(request.path) \(request.query)")
        }
        // Special values, nesting, empty containers and escapes.
        let sample: [String: Any] = ["b": [Any](), "a": [String: Any](), "Z": [1, 2.5, -0.0, 1e300, 3.0, "\u{1}\u{1f}/\"", NSNull(), true],
                                     "a10": ["k2": 1, "k10": 2, "K1": false], "ä": "ß"]
        for pretty in [true, false] {
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if pretty { options.insert(.prettyPrinted) }
            #expect(try ServeAPI.jsonText(sample, pretty: pretty) == String(decoding: try JSONSerialization.data(withJSONObject: sample, options: options), as: UTF8.self))
        }
    }
}
