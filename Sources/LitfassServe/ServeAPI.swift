import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassQuery
import LitfassScenario

/// The routes of `litfass serve`: the JSON API over one shared `QueryEngine` and the page's static files.
///
/// Pure request → response, no sockets: `HTTPServer` calls `respond(to:)` from its pool threads, tests call it
/// directly. Thread-safe (the engine is `Sendable`; everything else is immutable after `init`).
///
/// | route | answer |
/// |---|---|
/// | `GET /api/health` | status, scenario counts, extent |
/// | `GET /api/query?address=…[&floor=N]`, `?lon=…&lat=…` | exactly `litfass query --format json` |
/// | `GET /api/report?…` (same arguments) | `{answer, text, map}`: the JSON, the CLI's text, the GeoJSON |
/// | `GET /api/map?…` (same arguments) | the answer's GeoJSON only |
/// | `GET /api/suggest?q=…` | address completion |
/// | `GET /api/basemap` | buildings, streets, fibre, sites as GeoJSON (made once) |
/// | `GET /api/coverage` | the RSRP maps (`--coverage DIR` or computed at start): per operator URLs, size, WGS84 bounds; the legend |
/// | `GET /api/coverage/<op>/rsrp.png`, `…/rsrp.tif` | the colour overlay; the GeoTIFF as written |
/// | `GET /`, `/app.js`, … | the page |
///
/// Errors are JSON `{"error": {"status", "exitCode", "kind", "message", …}}` with the CLI's exit-code meanings:
/// 400 bad input (exit 2), 404 not found (exit 3; also a position outside the scenario), 409 ambiguous (exit 4,
/// with `choices`), 405 other methods, 413 a request body, 500 a data error (exit 1).
public final class ServeAPI: Sendable {
    public let engine: QueryEngine
    /// The scenario store's path, reported by `/api/health`.
    public let scenarioPath: String
    let files: StaticFiles
    let suggester: AddressSuggester
    let layers: MapLayers
    let basemapJSON: String
    let extent: [Double]
    /// The last answers of `/api/query`, `/api/map` and `/api/report` (same request, same bytes).
    let cache: ResponseCache
    /// The RSRP maps for the page (none by default), and their listing for `/api/coverage`.
    public let coverage: CoverageOverlays
    let coverageJSON: String

    /// Longest accepted address or suggestion text [characters].
    public static let maxTextLength = 200
    /// Arguments each route accepts.
    static let queryArguments: Set<String> = ["address", "lon", "lat", "floor"]

    /// Sets up the routes: the suggester, the base map (serialised once), the static files.
    /// - Throws: `ServeError.missingWebFiles`, `GeoError` when the base map cannot be projected.
    /// - Parameter cachedAnswers: answers kept for repeated requests (least recently used out first; 0 keeps none).
    /// - Parameter coverage: the RSRP maps for the page's map (`/api/coverage`); none by default.
    public init(engine: QueryEngine, scenarioPath: String, files: StaticFiles? = nil, cachedAnswers: Int = 1_024,
                coverage: CoverageOverlays = CoverageOverlays()) throws {
        self.engine = engine
        self.coverage = coverage
        coverageJSON = try Self.compact(Self.coverageListing(coverage))
        cache = ResponseCache(capacity: cachedAnswers)
        self.scenarioPath = scenarioPath
        self.files = try files ?? StaticFiles()
        suggester = AddressSuggester(addresses: engine.scenario.addresses)
        layers = try MapLayers(scenario: engine.scenario)
        basemapJSON = try Self.compact(layers.basemap(engine.scenario))
        extent = try layers.extent(engine.scenario.boundingBox)
        // Maps of another area (a folder written for another scenario) would be drawn where nothing of this one is.
        for layer in coverage.layers {
            let b = layer.bounds, e = extent
            guard b[0] < e[2], e[0] < b[2], b[1] < e[3], e[1] < b[3] else {
                throw ServeError.coverage("the RSRP map of \(layer.operatorName) covers \(b.map { String(format: "%.5f", $0) }.joined(separator: ",")), "
                                          + "outside this scenario (\(e.map { String(format: "%.5f", $0) }.joined(separator: ","))); was it written for another scenario?")
            }
        }
    }

    /// Answers held for repeated requests now (at most `cachedAnswers`).
    public var cachedAnswerCount: Int { cache.count }

    /// Answers one request. Never throws: every failure is a JSON error response.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = Self.error(405, kind: "method-not-allowed", message: "only GET and HEAD are served, not \(request.method)")
            response.headers["Allow"] = "GET, HEAD"
            return response
        }
        guard request.bodyBytes == 0 else { return Self.error(413, kind: "body-not-accepted", message: "requests take no body") }
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
        guard request.path.hasPrefix("/"), !segments.contains(where: { $0 == ".." || $0 == "." }),
              !request.path.contains("\\"), !request.path.contains("\0") else {
            return Self.error(400, kind: "bad-path", message: "the path may not contain '.', '..', backslashes or NUL")
        }
        switch request.path {
        case "/api/query", "/api/map", "/api/report":
            return cache.response(for: ResponseCache.Key(path: request.path, query: request.query)) { answerRoute(request) }
        default: return otherRoute(request)
        }
    }

    /// The answer routes (`/api/query`, `/api/map`, `/api/report`).
    func answerRoute(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/api/query": return answer(request) { answer in .json(try Self.cliJSON(QueryFormatter.jsonObject(answer)) + "\n") }
        case "/api/map": return answer(request) { answer in .json(try Self.compact(self.layers.answerMap(answer))) }
        default:
            return answer(request) { answer in
                .json(try Self.compact(["answer": QueryFormatter.jsonObject(answer), "text": QueryFormatter.text(answer),
                                        "map": self.layers.answerMap(answer)]))
            }
        }
    }

    func otherRoute(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/api/health": return health()
        case "/api/suggest": return suggest(request)
        case "/api/basemap": return .json(basemapJSON)
        case "/api/coverage":
            if let unknown = request.query.keys.sorted().first {
                return Self.error(400, kind: "bad-input", message: "unknown argument '\(unknown)'; /api/coverage takes none")
            }
            return .json(coverageJSON)
        case let path where path.hasPrefix("/api/coverage/"): return coverageFile(path)
        default:
            if request.path.hasPrefix("/api/") { return Self.error(404, kind: "no-such-route", message: "no route \(request.path); see docs/SERVE.md") }
            return files.file(at: request.path) ?? Self.error(404, kind: "no-such-file", message: "no file \(request.path)")
        }
    }

    /// `/api/coverage/<operator>/rsrp.png` (the colour overlay) or `/api/coverage/<operator>/rsrp.tif` (the GeoTIFF as
    /// `litfass coverage` wrote it); `<operator>` is the file stem of the operator's maps.
    func coverageFile(_ path: String) -> HTTPResponse {
        let parts = path.dropFirst("/api/coverage/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, ["rsrp.png", "rsrp.tif"].contains(parts[1]) else {
            return Self.error(404, kind: "no-such-route", message: "no route \(path); coverage maps are /api/coverage/<operator>/rsrp.png or rsrp.tif")
        }
        guard let layer = coverage.layer(slug: String(parts[0])) else {
            let known = coverage.layers.map(\.slug)
            return Self.error(404, kind: "no-such-operator", message: coverage.directory == nil
                              ? "no coverage map is loaded (start with 'litfass serve --coverage DIR')"
                              : "no coverage map of operator '\(parts[0])'; there are: \(known.joined(separator: ", "))")
        }
        if parts[1] == "rsrp.png" {
            return HTTPResponse(status: 200, contentType: "image/png", body: layer.png, headers: ["Cache-Control": "no-cache"])
        }
        return HTTPResponse(status: 200, contentType: "image/tiff", body: layer.tiff,
                            headers: ["Cache-Control": "no-cache", "Content-Disposition": "inline; filename=\"\(layer.slug)-rsrp.tif\""])
    }

    /// The listing of `/api/coverage`: whether maps are loaded, and per operator its URLs, size, bounds and legend.
    static func coverageListing(_ coverage: CoverageOverlays) -> [String: Any] {
        let legend: [String: Any] = ["title": "RSRP [dBm per resource element], strongest carrier", "minimum": RSRPColours.minimumDBm,
                                     "maximum": RSRPColours.maximumDBm, "stops": RSRPColours.stopsHex, "ticks": RSRPColours.ticksDBm,
                                     "noData": "transparent: no service (no sector above the RSRP floor)"]
        return [
            "loaded": !coverage.layers.isEmpty,
            "directory": coverage.directory ?? NSNull(),
            "source": coverage.source ?? NSNull(),
            "missingOperators": coverage.missingOperators,
            "legend": legend,
            "layers": coverage.layers.map { layer -> [String: Any] in
                ["operator": layer.operatorName, "slug": layer.slug, "png": "/api/coverage/\(layer.slug)/rsrp.png",
                 "cog": "/api/coverage/\(layer.slug)/rsrp.tif", "width": layer.width, "height": layer.height,
                 "bounds": layer.bounds, "cellSizeMeters": layer.cellSizeMeters]
            },
        ]
    }

    func health() -> HTTPResponse {
        let s = engine.scenario
        let object: [String: Any] = [
            "status": "ok", "version": LitfassVersion.string, "scenario": scenarioPath,
            "buildings": s.buildings.count, "addresses": s.addresses.count, "streets": s.streets.count,
            "operators": s.operatorNames, "extent": extent, "attribution": s.provenance.attribution,
            "fibreIllustrative": s.provenance.fibreIsIllustrative,
        ]
        return .json((try? Self.compact(object)) ?? "{\"status\":\"ok\"}")
    }

    func suggest(_ request: HTTPRequest) -> HTTPResponse {
        if let unknown = request.query.keys.sorted().first(where: { $0 != "q" }) {
            return Self.error(400, kind: "bad-input", message: "unknown argument '\(unknown)'; /api/suggest takes q")
        }
        guard let q = request.query["q"] else { return Self.error(400, kind: "bad-input", message: "give q=<the beginning of an address>") }
        guard q.count <= Self.maxTextLength else { return Self.error(400, kind: "bad-input", message: "q is longer than \(Self.maxTextLength) characters") }
        let list: [[String: Any]] = suggester.suggest(q).map {
            ["label": $0.label, "street": $0.street, "houseNumber": $0.houseNumber, "postcode": $0.postcode ?? NSNull(), "city": $0.city ?? NSNull()]
        }
        return .json((try? Self.compact(["query": q, "suggestions": list])) ?? "{}")
    }

    /// Validates the query arguments, answers, and renders the answer with `render`.
    func answer(_ request: HTTPRequest, render: (QueryAnswer) throws -> HTTPResponse) -> HTTPResponse {
        let q = request.query
        if let unknown = q.keys.sorted().first(where: { !Self.queryArguments.contains($0) }) {
            return Self.error(400, kind: "bad-input", message: "unknown argument '\(unknown)'; give address=… or lon=…&lat=…, and floor=N")
        }
        var floor = 0
        if let text = q["floor"] {
            guard let n = Int(text), (0...200).contains(n) else { return Self.error(400, kind: "bad-input", message: "floor expects a storey 0–200, got '\(text)'") }
            floor = n
        }
        let hasPosition = q["lon"] != nil || q["lat"] != nil
        do {
            let answer: QueryAnswer
            switch (q["address"], hasPosition) {
            case (let text?, false):
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { return Self.error(400, kind: "bad-input", message: "address is empty") }
                guard trimmed.count <= Self.maxTextLength else {
                    return Self.error(400, kind: "bad-input", message: "address is longer than \(Self.maxTextLength) characters")
                }
                switch try engine.answer(address: trimmed, floor: floor) {
                case .answer(let a): answer = a
                case .ambiguous(let addresses):
                    // The CLI's reason and its distinguishable choice labels (type, size, position).
                    let reason = (try? engine.lookup(address: trimmed).reason) ?? nil
                    let labels = engine.choiceLabels(for: addresses)
                    let choices: [[String: Any]] = zip(addresses, labels).map { address, label in
                        ["label": label, "street": address.street, "houseNumber": address.houseNumber,
                         "postcode": address.postcode ?? NSNull(), "city": address.city ?? NSNull()]
                    }
                    return Self.error(409, kind: "ambiguous", message: "'\(trimmed)' matches \(addresses.count) buildings"
                                      + (reason.map { " (\($0))" } ?? "") + "; say which",
                                      extra: ["choices": choices])
                case .notFound(let suggestions):
                    let reason = (try? engine.lookup(address: trimmed).reason) ?? nil
                    return Self.error(404, kind: "not-found", message: "no address '\(trimmed)' in the scenario"
                                      + (reason.map { ": \($0)" } ?? "")
                                      + (suggestions.isEmpty ? "" : "; closest: " + suggestions.joined(separator: "; ")),
                                      extra: ["suggestions": suggestions])
                }
            case (nil, true):
                guard let lonText = q["lon"], let latText = q["lat"], let lon = Double(lonText), let lat = Double(latText),
                      lon.isFinite, lat.isFinite, abs(lon) <= 180, abs(lat) <= 90 else {
                    return Self.error(400, kind: "bad-input", message: "lon and lat expect WGS84 degrees, e.g. lon=6.6799&lat=51.1924")
                }
                answer = try engine.answer(lonLat: LonLat(lon: lon, lat: lat), floor: floor)
            case (nil, false):
                return Self.error(400, kind: "bad-input", message: "give address=<street> <number>[, <postcode> <city>] or lon=…&lat=…")
            case (_?, true):
                return Self.error(400, kind: "bad-input", message: "give address or lon/lat, not both")
            }
            return try render(answer)
        } catch let error as QueryError {
            switch error {
            case .unreadableAddress: return Self.error(400, kind: "bad-input", message: error.description)
            case .outsideScenario: return Self.error(404, kind: "outside-scenario", message: error.description)
            }
        } catch {
            return Self.error(500, kind: "data-error", message: String(describing: error))
        }
    }

    /// A JSON error. `exitCode` is what `litfass query` returns for the same mistake.
    static func error(_ status: Int, kind: String, message: String, extra: [String: Any] = [:]) -> HTTPResponse {
        let exitCode: Int
        switch status {
        case 404: exitCode = 3
        case 409: exitCode = 4
        case 500: exitCode = 1
        default: exitCode = 2
        }
        var object: [String: Any] = ["status": status, "exitCode": exitCode, "kind": kind, "message": message]
        object.merge(extra) { a, _ in a }
        let text = (try? compact(["error": object])) ?? "{\"error\":{\"status\":\(status)}}"
        return .json(text, status: status)
    }

    /// JSON exactly as `litfass query --format json` prints it (sorted keys, pretty, slashes unescaped; `JSONText`
    /// writes the same bytes as `JSONSerialization`).
    public static func cliJSON(_ value: Any) throws -> String {
        try JSONText.write(value, pretty: true)
    }

    /// `JSONText.write`, for tests.
    public static func jsonText(_ value: Any, pretty: Bool) throws -> String { try JSONText.write(value, pretty: pretty) }

    /// Compact JSON with sorted keys, for the page.
    static func compact(_ value: Any) throws -> String {
        try JSONText.write(value, pretty: false)
    }
}
