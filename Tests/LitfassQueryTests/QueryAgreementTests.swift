import Foundation
import Testing
import LitfassCoverage
import LitfassGeo
import LitfassScenario
@testable import LitfassQuery
import _LitfassTestSupport

/// The answer for a building agrees with the coverage rasters at the same place: same grid, same
/// sites, same physics (`PropagationKernel.link` against `compute`, then the same combination).
struct QueryAgreementTests {
    @Test func outdoorAnswerAgreesWithTheRasterAtTheFacadeWithin1dB() throws {
        // An 800 m square around Krefelder Straße 15 (a commercial building with a mast nearby),
        // so that the coverage run stays small; both sides use exactly the same options.
        let index = AddressIndex(neussScenario.addresses)
        guard case .unique(let address) = index.find(AddressQuery(parsing: "Krefelder Straße 15")!) else { Issue.record("address"); return }
        let c = address.location
        let corners = try Projection(from: .utm32N, to: .wgs84).toLonLat([MapPoint(x: c.x - 400, y: c.y - 400), MapPoint(x: c.x + 400, y: c.y + 400)])
        var options = CoverageOptions()
        options.area = GeographicBox(minLon: corners[0].lon, minLat: corners[0].lat, maxLon: corners[1].lon, maxLat: corners[1].lat)
        options.operators = ["Telekom"]
        let engine = try QueryEngine(scenario: neussScenario, options: options)
        guard case .answer(let answer) = try engine.answer(address: "Krefelder Straße 15, 41460 Neuss") else { Issue.record("answer"); return }
        let outdoor = try #require(answer.mobile.first { $0.operatorName == "Telekom" }?.outdoor)

        let result = try CoverageRun(scenario: neussScenario, options: options).run()
        let op = try #require(result.operators.first)
        let cell = try #require(result.grid.cell(containing: answer.facade))
        let raster = Double(op.combined.rsrpDBm[cell.row * result.grid.columns + cell.column])
        #expect(abs(raster - outdoor.rsrpDBm) <= 1.0, "raster \(raster) dBm, answer \(outdoor.rsrpDBm) dBm")
        let sinrRaster = Double(op.combined.sinrDB[cell.row * result.grid.columns + cell.column])
        #expect(abs(sinrRaster - outdoor.sinrDB) <= 1.0, "raster SINR \(sinrRaster) dB, answer \(outdoor.sinrDB) dB")
    }
}
