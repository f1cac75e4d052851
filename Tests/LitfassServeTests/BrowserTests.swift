import Foundation
import Testing
import LitfassServe
import _LitfassTestSupport

/// The page in a real browser: headless Chromium (Debian `chromium`, installed by `scripts/test.sh`) opens
/// `/?address=…`, runs the page's script against the API and must show the answer. Skipped, with a printed
/// reason, only when Chromium is missing or cannot start.
@Suite(.serialized) struct BrowserTests {
    static func chromium() -> URL? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        return nil
    }

    static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

    /// Chromium, if it starts here (renders a trivial page).
    static func startableChromium() -> URL? {
        guard let browser = chromium() else {
            print("BrowserTests: SKIPPED — no chromium executable (scripts/test.sh installs Debian's 'chromium')")
            return nil
        }
        guard let probe = try? runProcess(browser, flags + ["--dump-dom", "data:text/html,<p>litfass-probe</p>"]),
              probe.stdout.contains("litfass-probe") else {
            print("BrowserTests: SKIPPED — \(browser.path) does not start here")
            return nil
        }
        return browser
    }

    @Test func pageShowsTheAnswerInHeadlessChromium() throws {
        guard let browser = Self.startableChromium() else { return }
        let port = serveFixture.server.port
        let url = "http://127.0.0.1:\(port)/?address=" + LoopbackHTTP.escape(krefelder)
        let run = try runProcess(browser, Self.flags + ["--virtual-time-budget=20000", "--dump-dom", url])
        let dom = run.stdout
        #expect(run.status == 0, "\(run.stderr.suffix(2_000))")
        // The answer as the page renders it from /api/report: title, fibre, the mobile table in Mbit/s, why.
        #expect(dom.contains("<h2 id=\"title\">Krefelder Straße 15, 41460 Neuss"), "\(dom.prefix(3_000))")
        #expect(dom.contains("Mbit/s"))
        #expect(dom.range(of: #"<td>\d+(\.\d)?–\d+(\.\d)?</td>"#, options: .regularExpression) != nil, "no download range in the table")
        for op in ["Telekom", "Vodafone", "Telefonica"] { #expect(dom.contains("<th>\(op)</th>"), "\(op)") }
        #expect(dom.contains("ILLUSTRATIVE"))
        #expect(dom.contains("© OpenStreetMap contributors"))
        // The same figures as the API gives: Telekom's indoor download, cautious–median, as the CLI rounds them.
        let answer = try #require(try get("/api/query?address=" + LoopbackHTTP.escape(krefelder)).json)
        let telekom = try #require((answer["mobile"] as? [[String: Any]])?.first { $0["operator"] as? String == "Telekom" })
        let indoor = try #require(telekom["indoor"] as? [String: Any])
        let cautious = try #require(indoor["downlinkMbpsCautious"] as? Double), median = try #require(indoor["downlinkMbps"] as? Double)
        func mbps(_ x: Double) -> String { x >= 10 ? String(Int(x.rounded())) : String(format: "%.1f", x) }
        #expect(dom.contains("<td>\(mbps(cautious))–\(mbps(median))</td>"), "Telekom indoor \(mbps(cautious))–\(mbps(median))")
        // The map drew the answer (Leaflet's canvas or SVG renderer present).
        #expect(dom.contains("leaflet-container"))
        // Started without --coverage: the page says no coverage map is loaded.
        #expect(dom.contains("id=\"coverage-status\""))
        #expect(dom.contains("No coverage map is loaded"))
    }

    @Test func pageExplainsAnUnknownAddress() throws {
        guard let browser = Self.startableChromium() else { return }
        let url = "http://127.0.0.1:\(serveFixture.server.port)/?address=" + LoopbackHTTP.escape("Nirgendwostraße 999")
        let dom = try runProcess(browser, Self.flags + ["--virtual-time-budget=10000", "--dump-dom", url]).stdout
        #expect(dom.contains("class=\"error\""), "\(dom.prefix(2_000))")
        #expect(dom.contains("no address"))
    }
}
