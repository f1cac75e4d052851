import Foundation
import Testing
@testable import LitfassScenario
import _LitfassTestSupport

struct HeightModelTests {
    let defaults = try! BuildingHeightDefaults.load(path: TestPaths.data.appendingPathComponent("building-height-defaults.json").path)

    @Test func heightTagWinsOverLevels() {
        let model = BuildingHeightModel(storeyHeightMeters: 3, roofAllowanceMeters: 1.5, defaults: defaults)
        let h = model.height(tags: ["height": "12.5 m", "building:levels": "6"], type: "apartments")
        #expect(h.meters == 12.5 && h.source == .osmHeight && h.levels == 6)
    }

    @Test func levelsTimesStoreyPlusRoof() {
        let model = BuildingHeightModel(storeyHeightMeters: 3, roofAllowanceMeters: 1.5, defaults: defaults)
        #expect(model.height(tags: ["building:levels": "4"], type: "yes").meters == 13.5)
        #expect(model.height(tags: ["building:levels": "4", "roof:levels": "1"], type: "yes").meters == 15)
    }

    @Test func typeDefaultWhenNothingElse() {
        let model = BuildingHeightModel(storeyHeightMeters: 3, roofAllowanceMeters: 1.5, defaults: defaults)
        let h = model.height(tags: [:], type: "garage")
        #expect(h.source == .typeDefault)
        #expect(h.meters == defaults.groups["garage"]!.heightMeters)
        #expect(model.height(tags: ["height": "tall"], type: "yes").source == .typeDefault)
    }

    @Test func osmLengthParsing() {
        #expect(BuildingHeightModel.parseMeters("12") == 12)
        #expect(BuildingHeightModel.parseMeters("12,5") == 12.5)
        #expect(BuildingHeightModel.parseMeters("7.5m") == 7.5)
        #expect(BuildingHeightModel.parseMeters("-3") == nil)
        #expect(BuildingHeightModel.parseMeters("") == nil)
    }

    @Test func alkisFunctionGroups() {
        #expect(BuildingTypeGroup(alkisFunction: "31001_1010") == .residential)
        #expect(BuildingTypeGroup(alkisFunction: "31001_2140") == .warehouse)
        #expect(BuildingTypeGroup(alkisFunction: "31001_2100") == .industrial)
        #expect(BuildingTypeGroup(alkisFunction: "31001_2463") == .garage)
        #expect(BuildingTypeGroup(alkisFunction: "51009_1610") == .roof)
        #expect(BuildingTypeGroup(alkisFunction: "51002_1251") == nil)
        #expect(BuildingTypeGroup(osmType: "apartments") == .residential)
        #expect(BuildingTypeGroup(osmType: "warehouse") == .warehouse)
        #expect(BuildingTypeGroup(osmType: "yes") == .other)
    }

    @Test func committedDefaultsAreWhatTheLoD2DataGives() throws {
        let folder = TemporaryFolder()
        let lod2 = try FileManager.default.contentsOfDirectory(atPath: TestPaths.fixtureData("lod2-nrw").path)
            .filter { $0.hasSuffix(".gml") }.map { TestPaths.fixtureData("lod2-nrw/\($0)").path }
        let derived = try HeightCalibration.derive(lod2Paths: lod2)
        #expect(derived == defaults)
        #expect(derived.sources.count == 4)
        _ = folder
    }

    @Test func medianAndQuartiles() {
        let s = HeightCalibration.summary([1, 2, 3, 4, 5])
        #expect(s.heightMeters == 3 && s.quartile1Meters == 2 && s.quartile3Meters == 4 && s.samples == 5)
        #expect(HeightCalibration.median([4, 1, 3, 2]) == 2.5)
    }
}

struct FibreRuleTests {
    @Test func accessPointsEverySpacingAlongATrunk() throws {
        let assumptions = try Assumptions.load(path: TestPaths.data.appendingPathComponent("assumptions.json").path)
        var fibre = assumptions.fibre
        fibre.accessPointSpacingMeters = Sourced(100, source: "test", isAssumption: true)
        let street = Street(id: "way/1", streetClass: "primary", name: "Hauptstraße",
                            line: .init([.init(x: 0, y: 0), .init(x: 150, y: 0), .init(x: 150, y: 100)]))
        let side = Street(id: "way/2", streetClass: "residential", name: nil, line: .init([.init(x: 0, y: 0), .init(x: 0, y: 50)]))
        let result = FibreRule(fibre).generate(streets: [street, side])
        #expect(result.segments.map(\.id) == ["fibre/way/1"])
        // 0 m, 100 m (on the first leg), 200 m (50 m up the second leg), and the end (250 m).
        #expect(result.accessPoints.map(\.location) == [.init(x: 0, y: 0), .init(x: 100, y: 0), .init(x: 150, y: 50), .init(x: 150, y: 100)])
        #expect(result.accessPoints.allSatisfy { $0.isIllustrative })
    }
}

struct OSMTagTests {
    @Test func parsesQuotedPairsWithEscapes() {
        let tags = OSMTags.parse(#""addr:street"=>"Büchel","name"=>"Say \"Hi\"","empty"=>"""#)
        #expect(tags == ["addr:street": "Büchel", "name": "Say \"Hi\"", "empty": ""])
    }
}

struct SectorsInEffectTests {
    @Test func importedSectorsReplaceTheAssumedOnesOfTheirOperatorOnly() {
        var scenario = neuss.0
        let assumedTelekom = scenario.sectors.filter { $0.operatorName == "Telekom" }.count
        let others = scenario.sectors.filter { $0.operatorName != "Telekom" }.count
        #expect(assumedTelekom > 0 && others > 0)
        #expect(scenario.sectorsInEffect.count == scenario.sectors.count)
        var real = scenario.sectors.first { $0.operatorName == "Telekom" }!
        real.id = "imported/Telekom/A/1/n78"
        real.isAssumption = false
        scenario.sectors.append(real)
        let inEffect = scenario.sectorsInEffect
        #expect(inEffect.filter { $0.operatorName == "Telekom" }.map(\.id) == [real.id])
        #expect(inEffect.filter { $0.operatorName != "Telekom" }.count == others)
    }
}
