import Foundation
import Testing
import LitfassCoverage
import LitfassGeo
import LitfassRadio
import LitfassScenario
@testable import LitfassQuery
import _LitfassTestSupport

/// The answer for a building agrees with the coverage rasters at the same place: same grid, same
/// sites, same physics (`PropagationKernel.link` against `compute`, then the same combination).
struct QueryAgreementTests {
    @Test func outdoorAnswerAgreesWithTheRasterAtTheFacadeWithin1dB() throws {
        // An 800 m square around Krefelder Straße 15 (a commercial building with a mast nearby),
        // so that the coverage run stays small; both sides use exactly the same options.
        var options = try coverageOptions(around: "Krefelder Straße 15", halfSideMeters: 400)
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

/// `litfass query --batch` writes its CSV from key-figure answers: the table must be the one whole answers give, and
/// answering the addresses on all cores must not change a row.
struct BatchScopeTests {
    @Test func keyFigureBatchWritesTheSameTableAsWholeAnswers() throws {
        var options = CoverageOptions()
        options.operators = ["Telekom", "Vodafone"]
        let engine = try QueryEngine(scenario: neussScenario, options: options)
        // Twelve addresses spread over the scene (seeded), one unknown, one ambiguous-looking.
        var rng = SeededGenerator(seed: 11)
        let picked = neussScenario.addresses.filter { $0.buildingID != nil }.shuffled(using: &rng).prefix(12)
        let texts = picked.map { "\($0.street) \($0.houseNumber), \($0.postcode ?? "") \($0.city ?? "")" } + ["Nirgendwostraße 1", "Krefelder Straße"]
        let full = BatchQuery.answer(texts, engine: engine, floor: 0, scope: .full)
        let keyFigures = BatchQuery.answer(texts, engine: engine, floor: 0, scope: .keyFigures)
        let names = engine.scenario.operatorNames
        #expect(BatchQuery.csv(keyFigures, operators: names) == BatchQuery.csv(full, operators: names))
        #expect(full.filter { $0.status == "ok" }.count >= 10)
        // Key figures leave out what the table does not show.
        #expect(keyFigures.compactMap { $0.answer }.allSatisfy { $0.improvement == nil })
        #expect(full.compactMap { $0.answer }.contains { $0.mobile.contains { $0.outdoor != nil } })
        // Rows in input order whatever the worker that answered them.
        #expect(keyFigures.map { $0.row } == Array(2..<(texts.count + 2)))
        let oneByOne = texts.map { text in BatchQuery.answer([text], engine: engine, floor: 0, scope: .keyFigures)[0] }
        #expect(BatchQuery.csv(oneByOne.enumerated().map { k, r in var r = r; r.row = k + 2; return r }, operators: names)
                == BatchQuery.csv(keyFigures, operators: names))
    }
}
