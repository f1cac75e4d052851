import Foundation
import Testing
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

@Suite struct CoverageRunTests {
    @Test func gridCoversTheScenarioAtTheResolution() throws {
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)])
        let run = try CoverageRun(scenario: scenario, options: AdHoc.options())
        #expect(run.scene.grid.columns == 40 && run.scene.grid.rows == 40)
        #expect(run.scene.grid.minX == AdHoc.x0 && run.scene.grid.maxY == AdHoc.y0 + AdHoc.size)
        #expect(run.scene.grid.crs == .utm32N)
    }

    @Test func buildingsAreRasterisedWithHeightAndIndex() throws {
        let buildings = [AdHoc.box("b0", x: 340_100, y: 5_675_100, w: 40, h: 20, height: 12),
                         AdHoc.box("b1", x: 340_250, y: 5_675_250, w: 20, h: 20, height: 30)]
        let scenario = try AdHoc.scenario(buildings: buildings, transmitters: [AdHoc.omni("A", x: 340_005, y: 5_675_005, eirp: 40)])
        let scene = try CoverageRun(scenario: scenario, options: AdHoc.options()).scene
        // 40 m × 20 m = 4 × 2 cells of 10 m; 20 m × 20 m = 2 × 2 cells.
        #expect(scene.buildingIndex.filter { $0 == 0 }.count == 8)
        #expect(scene.buildingIndex.filter { $0 == 1 }.count == 4)
        #expect(scene.buildingIndex.filter { $0 == -1 }.count == 1600 - 12)
        let (c, r) = scene.grid.cell(containing: MapPoint(x: 340_255, y: 5_675_255))!
        #expect(scene.buildingHeightMeters[r * 40 + c] == 30)
        #expect(scene.groundHeightMeters.allSatisfy { $0 == 0 })
    }

    @Test func rsrpIsEIRPPerResourceElementMinusKernelPathLoss() throws {
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 46)])
        let run = try CoverageRun(scenario: scenario, options: AdHoc.options())
        let result = try run.run()
        let window = run.kernel.compute(run.plan.sectors[0].transmitter)
        let maps = result.operators[0].combined
        let perRE = 46 - 10 * log10(12.0 * 100)   // B3 20 MHz: 100 resource blocks (TS 36.101 Table 5.6-1)
        var checked = 0
        for (column, row) in [(0, 0), (10, 19), (25, 30), (39, 39), (12, 5)] {
            let w = (row - window.rowOffset) * window.columns + (column - window.columnOffset)
            let loss = Double(window.pathLossDB[w])
            guard loss.isFinite else { continue }
            #expect(abs(Double(maps.rsrpDBm[row * 40 + column]) - (perRE - loss)) < 1e-3, "cell \(column),\(row)")
            checked += 1
        }
        #expect(checked >= 4)
        #expect(run.plan.sectors[0].resourceBlocks == 100)
        // The corner search's power budget: EIRP per resource element (46 dBm over 100 RB) above the −140 dBm floor.
        let budget = run.plan.sectors[0].transmitter.pathLossBudgetDB
        #expect(abs(budget - (perRE + 140)) < 1e-9)
        #expect(abs(budget - 155.208) < 1e-3)
    }

    /// The power budgets of co-located sectors (EIRP per resource element − floor): two operators on one mast with the
    /// same antenna share a kernel run and take the larger budget (it changes nothing at or above either floor), at two
    /// and at four turns; a sector elsewhere keeps its own.
    @Test func colocatedSectorsShareTheLargerBudget() throws {
        let a = AdHoc.omni("M", x: 340_105, y: 5_675_195, eirp: 40, operatorName: "One")
        var b = AdHoc.omni("M", x: 340_105, y: 5_675_195, eirp: 46, operatorName: "Two")
        b.1.id = "M/Two/B3"
        let c = AdHoc.omni("N", x: 340_305, y: 5_675_195, eirp: 40, operatorName: "Two")
        let scenario = try AdHoc.scenario(transmitters: [a, b, c])
        var options = AdHoc.options()
        options.operators = ["One", "Two"]
        let own = { (eirp: Double) in eirp - 10 * log10(1200.0) + 140 }
        for turns in [2, 4] {
            options.maxCornerTurns = turns
            let run = try CoverageRun(scenario: scenario, options: options)
            let budgets = run.plan.sectors.map(\.transmitter.pathLossBudgetDB)
            #expect(run.plan.sectors.map(\.sector.id) == ["M/One/B3", "M/Two/B3", "N/Two/B3"])
            #expect(abs(budgets[0] - own(46)) < 1e-9 && budgets[1] == budgets[0] && abs(budgets[2] - own(40)) < 1e-9)
            #expect(TransmitterGroups(run.plan.sectors.map(\.transmitter)).members == [[0, 1], [2]])
        }
        // Alone, the 46 dBm sector has its own budget, which is the shared one.
        options.operators = ["Two"]
        let alone = try CoverageRun(scenario: scenario, options: options)
        #expect(abs(alone.plan.sectors[0].transmitter.pathLossBudgetDB - own(46)) < 1e-9)
    }

    /// Tiled runs cache kernel windows by a key of everything the window depends on; the budget is part of it (the key
    /// holds the EIRP, not the bandwidth or the floor from which the budget also comes).
    @Test func cachedWindowsAreKeyedByTheBudget() {
        let grid = RasterGrid(minX: 0, maxY: 1000, cellSizeMeters: 10, columns: 100, rows: 100)
        let t = Transmitter(id: "a", position: MapPoint(x: 505, y: 495), antennaHeightMeters: 5, frequencyHz: 3.6e9, eirpDBm: 40,
                            pattern: .omni, azimuthDegrees: 0, downtiltDegrees: 0, maxRangeMeters: 300, pathLossBudgetDB: 150)
        var u = t
        u.pathLossBudgetDB = 151
        let box = CellBox(column: 19, row: 19, columns: 63, rows: 63)
        func key(_ x: Transmitter) -> String {
            TiledCoverage.windowKey(x, cell: (50, 50), window: box, grid: grid, settings: KernelSettings(), scene: "scene")
        }
        #expect(key(t) == key(t))
        #expect(key(t) != key(u))
    }

    @Test func bestServerPicksTheStrongerSector() throws {
        let a = AdHoc.omni("A", x: 340_055, y: 5_675_205, eirp: 40)
        let b = AdHoc.omni("B", x: 340_345, y: 5_675_205, eirp: 40)
        let run = try CoverageRun(scenario: try AdHoc.scenario(transmitters: [a, b]), options: AdHoc.options())
        let result = try run.run()
        let maps = result.operators[0].combined
        let wa = run.kernel.compute(run.plan.sectors[0].transmitter), wb = run.kernel.compute(run.plan.sectors[1].transmitter)
        func power(_ w: CoverageWindow, _ c: Int, _ r: Int) -> Float {
            let (wc, wr) = (c - w.columnOffset, r - w.rowOffset)
            guard wc >= 0, wr >= 0, wc < w.columns, wr < w.rows else { return -.infinity }
            return w.receivedPowerDBm[wr * w.columns + wc]
        }
        var decided = 0
        for r in 0..<40 {
            for c in 0..<40 {
                let pa = power(wa, c, r), pb = power(wb, c, r)
                guard pa != pb else { continue }
                #expect(maps.bestServer[r * 40 + c] == (pa > pb ? 0 : 1), "cell \(c),\(r)")
                decided += 1
            }
        }
        #expect(decided > 1000)
        // Next to A, A serves; next to B, B serves.
        #expect(maps.bestServer[20 * 40 + 5] == 0)
        #expect(maps.bestServer[20 * 40 + 34] == 1)
        #expect(result.operators[0].sectors.map(\.id) == ["A/Test/B3", "B/Test/B3"])
    }

    @Test func sinrOfTwoEqualSectorsAtTheMidpointIsZeroMinusTheNoiseEffect() throws {
        // Sites 200 m apart on a row of cell centres; the midpoint (340 105, 5 675 195) is a cell centre.
        let a = AdHoc.omni("A", x: 340_005, y: 5_675_195, eirp: -6)
        let b = AdHoc.omni("B", x: 340_205, y: 5_675_195, eirp: -6)
        let run = try CoverageRun(scenario: try AdHoc.scenario(transmitters: [a, b]), options: AdHoc.options())
        let maps = try run.run().operators[0].combined
        let c = 20 * 40 + 10
        let s = Double(maps.rsrpDBm[c])
        // Noise per RE: −174 dBm/Hz + 10 log10(15 kHz) + NF 9 dB = −123.24 dBm.
        let noise = -174 + 10 * log10(15_000.0) + 9
        // The other sector interferes at the cell load (share of its resource elements in use).
        let load = run.options.assumptions.interfererLoad
        #expect(load == 0.5)
        let expected = s - 10 * log10(load * pow(10, s / 10) + pow(10, noise / 10))
        #expect(abs(Double(maps.sinrDB[c]) - expected) < 0.01)
        #expect(Double(maps.sinrDB[c]) < 10 * log10(1 / load) - 0.05 && Double(maps.sinrDB[c]) > 0, "noise is a visible part of the SINR here")
    }

    @Test func throughputIsMonotoneAndCapped() throws {
        let physics = LinkPhysics(assumptions: CoverageAssumptions())
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_005, y: 5_675_195, eirp: 40, band: "n78", frequencyHz: 3600e6, bandwidthHz: 90e6)])
        let run = try CoverageRun(scenario: scenario, options: AdHoc.options())
        let sector = run.plan.sectors[0].radio
        #expect(sector.resourceBlocks == 245)   // NR 90 MHz at 30 kHz (TS 38.101-1 Table 5.3.2-1)
        var previous = -1.0
        for step in 0...120 {
            let sinr = -20 + Double(step) * 0.5
            let dl = physics.downlinkMbps(sinrDB: sinr, sector: sector)
            #expect(dl >= previous)
            previous = dl
            if sinr < -10 { #expect(dl == 0) }
        }
        // Cap: the TS 38.306 §4.1.2 peak of 4 layers 256QAM (OH 0.14) over 245 RB × 12 × 30 kHz, times the TDD downlink share.
        let peak = PeakRate38306.bitsPerSecond(layers: 4, modulationOrder: 8, numerology: 1, resourceBlocks: 245, overhead: 0.14)
        let cap = peak * CoverageAssumptions().tddDownlinkFraction / 1e6
        #expect(abs(physics.downlinkMbps(sinrDB: 40, sector: sector) - cap) < 1e-6)
        #expect(abs(previous - cap) < 1e-6)
        #expect(cap > 1500 && cap < 1600)
        // Uplink: falls with RSRP; open-loop power control (TS 38.213 §7.1.1) keeps it below the 1-layer 64QAM peak.
        let ulPeak = PeakRate38306.bitsPerSecond(layers: 1, modulationOrder: 6, numerology: 1, resourceBlocks: 245, overhead: 0.08)
            * CoverageAssumptions().tddUplinkFraction / 1e6
        var last = Double.infinity
        for rsrp in stride(from: -40.0, through: -140, by: -2) {
            let ul = physics.uplinkMbps(rsrpDBm: rsrp, sector: sector)
            #expect(ul <= last && ul < ulPeak)
            last = ul
        }
        // By hand at RSRP −80 dBm: coupling (40 − 10 log10(2940)) + 80, PL = coupling − 15 dBi,
        // P = min(23, −90 + 10 log10(2 · 245) + 0.8 PL), SNR = P − PL − (−174 + 10 log10(245 · 12 · 30 kHz) + 5 + 3).
        let coupling = 40 - 10 * log10(2940.0) + 80, pl = coupling - 15
        let p = min(23, -90 + 10 * log10(490.0) + 0.8 * pl)
        let snr = p - pl - (-174 + 10 * log10(245 * 12 * 30_000.0) + 8)
        #expect(abs(physics.uplinkSNRDB(rsrpDBm: -80, sector: sector) - snr) < 1e-9)
        #expect(abs(physics.uplinkMbps(rsrpDBm: -80, sector: sector)
                    - 0.4 * log2(1 + pow(10, snr / 10)) * 245 * 12 * 30_000 * CoverageAssumptions().tddUplinkFraction / 1e6) < 1e-9)
        // On the map: along the row away from the lone site, downlink throughput never rises.
        let maps = try run.run().operators[0].combined
        for column in 1..<39 where maps.bestServer[20 * 40 + column + 1] >= 0 {
            #expect(maps.downlinkMbps[20 * 40 + column + 1] <= maps.downlinkMbps[20 * 40 + column])
        }
    }

    @Test func carriersCombineStrongestForRSRPAndSumForThroughput() throws {
        let b3 = AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 46)
        var n78 = AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 60, band: "n78", frequencyHz: 3600e6, bandwidthHz: 90e6)
        n78.1.id = "A/Test/n78"
        let result = try CoverageRun(scenario: try AdHoc.scenario(transmitters: [b3, n78]), options: AdHoc.options()).run()
        let op = result.operators[0]
        #expect(op.carriers.map(\.label) == ["B3 1842.5 MHz", "n78 3600 MHz"])
        for c in stride(from: 0, to: 1600, by: 37) where op.combined.bestServer[c] >= 0 {
            let k = Int(op.strongestCarrier[c])
            #expect(op.combined.rsrpDBm[c] == max(op.carriers[0].maps.rsrpDBm[c], op.carriers[1].maps.rsrpDBm[c]))
            #expect(op.combined.sinrDB[c] == op.carriers[k].maps.sinrDB[c])
            #expect(op.combined.downlinkMbps[c] == op.carriers[0].maps.downlinkMbps[c] + op.carriers[1].maps.downlinkMbps[c])
        }
    }

    /// An operator with one carrier: its combination is that carrier's maps, bit for bit, and the strongest carrier is 0
    /// wherever a sector serves, −1 elsewhere.
    @Test func oneCarrierIsItsOwnCombination() throws {
        let result = try CoverageRun(scenario: try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 46)]),
                                     options: AdHoc.options()).run()
        let op = result.operators[0]
        #expect(op.carriers.count == 1)
        let carrier = op.carriers[0].maps
        #expect(op.combined.rsrpDBm.map(\.bitPattern) == carrier.rsrpDBm.map(\.bitPattern))
        #expect(op.combined.sinrDB.map(\.bitPattern) == carrier.sinrDB.map(\.bitPattern))
        #expect(op.combined.downlinkMbps.map(\.bitPattern) == carrier.downlinkMbps.map(\.bitPattern))
        #expect(op.combined.uplinkMbps.map(\.bitPattern) == carrier.uplinkMbps.map(\.bitPattern))
        #expect(op.combined.bestServer == carrier.bestServer)
        #expect(op.strongestCarrier == carrier.bestServer.map { $0 >= 0 ? 0 : -1 })
        #expect(carrier.bestServer.contains(0), "the sector should serve cells")
    }

    @Test func resultsAreBitIdenticalOnOneAndSeveralThreads() throws {
        let buildings = [AdHoc.box("b0", x: 340_100, y: 5_675_100, w: 40, h: 20, height: 12),
                         AdHoc.box("b1", x: 340_250, y: 5_675_250, w: 20, h: 30, height: 30)]
        var sectors: [(Site, Sector)] = []
        for (k, (x, y)) in [(340_050.0, 5_675_050.0), (340_350.0, 5_675_080.0), (340_200.0, 5_675_350.0)].enumerated() {
            for azimuth in [0.0, 120, 240] {
                var s = AdHoc.omni("S\(k)", x: x, y: y, eirp: 50 + Double(k))
                s.1.id = "S\(k)/\(Int(azimuth))"
                s.1.azimuthDegrees = azimuth
                s.1.pattern = "3gpp-sector"
                s.1.downtiltDegrees = 4
                sectors.append(s)
            }
        }
        // A second carrier (LTE band 7) on one site: the combination of two carriers, not a copy of one.
        var second = AdHoc.omni("S0", x: 340_050, y: 5_675_050, eirp: 46, band: "B7", frequencyHz: 2_655e6)
        second.1.id = "S0/B7"
        sectors.append(second)
        var scenario = try AdHoc.scenario(buildings: buildings, transmitters: sectors)
        // A data area over the western 300 m: the cells east of it are nodata everywhere.
        let x0 = AdHoc.x0, y0 = AdHoc.y0
        scenario.dataArea = [Polygon(exterior: [MapPoint(x: x0, y: y0), MapPoint(x: x0 + 300, y: y0), MapPoint(x: x0 + 300, y: y0 + 400),
                                                MapPoint(x: x0, y: y0 + 400), MapPoint(x: x0, y: y0)])]
        // 80 rows at 5 m: on 3 threads the parallel loops cut them into 12 bands of 7 rows, the last one of 3.
        let one = try CoverageRun(scenario: scenario, options: AdHoc.options(resolution: 5, threads: 1)).run()
        #expect(one.grid.rows == 80)
        for threads in [2, 3] {
            let many = try CoverageRun(scenario: scenario, options: AdHoc.options(resolution: 5, threads: threads)).run()
            let a = one.operators[0], b = many.operators[0]
            for (x, y) in zip([a.combined] + a.carriers.map(\.maps), [b.combined] + b.carriers.map(\.maps)) {
                #expect(x.rsrpDBm.map(\.bitPattern) == y.rsrpDBm.map(\.bitPattern))
                #expect(x.sinrDB.map(\.bitPattern) == y.sinrDB.map(\.bitPattern))
                #expect(x.bestServer == y.bestServer)
                #expect(x.downlinkMbps.map(\.bitPattern) == y.downlinkMbps.map(\.bitPattern))
                #expect(x.uplinkMbps.map(\.bitPattern) == y.uplinkMbps.map(\.bitPattern))
            }
            #expect(a.strongestCarrier == b.strongestCarrier)
        }
        let op = one.operators[0]
        #expect(op.sectors.count == 10 && op.carriers.count == 2)
        #expect(Set(op.strongestCarrier) == [-1, 0, 1], "both carriers should be strongest somewhere, and some cells unserved")
        // Cells without service are nodata in every map and carry no server.
        let unserved = op.combined.bestServer.indices.filter { op.combined.bestServer[$0] < 0 }
        #expect(!unserved.isEmpty && unserved.allSatisfy { op.combined.rsrpDBm[$0] == CoverageResult.noData && op.combined.sinrDB[$0] == CoverageResult.noData
            && op.combined.downlinkMbps[$0] == CoverageResult.noData && op.combined.uplinkMbps[$0] == CoverageResult.noData && op.strongestCarrier[$0] == -1 })
        // The written files are identical byte for byte.
        let two = try CoverageRun(scenario: scenario, options: AdHoc.options(resolution: 5, threads: 2)).run()
        let folder = TemporaryFolder("coverage-threads")
        try CoverageWriter().write(one, to: folder.file("one").path)
        try CoverageWriter().write(two, to: folder.file("two").path)
        for name in ["test-rsrp.tif", "test-sinr.tif", "test-best-server.tif", "test-dl-throughput.tif", "test-ul-throughput.tif",
                     "test-rsrp.png", "summary.json"] {
            let a = try Data(contentsOf: folder.file("one/\(name)")), b = try Data(contentsOf: folder.file("two/\(name)"))
            #expect(a == b, "\(name)")
        }
    }

    @Test func pointQueryAgreesWithTheMap() throws {
        let a = AdHoc.omni("A", x: 340_055, y: 5_675_205, eirp: 40)
        let b = AdHoc.omni("B", x: 340_345, y: 5_675_205, eirp: 40)
        let run = try CoverageRun(scenario: try AdHoc.scenario(transmitters: [a, b]), options: AdHoc.options())
        let maps = try run.run().operators[0].combined
        let links = run.linksAt(point: AdHoc.center(column: 8, row: 20))
        #expect(links.count == 1)
        let op = links[0]
        #expect(op.serving?.sectorID == "A/Test/B3")
        #expect(op.runnerUp?.sectorID == "B/Test/B3")
        #expect(abs(op.rsrpDBm! - Double(maps.rsrpDBm[20 * 40 + 8])) < 0.5)
        #expect(abs(op.sinrDB! - Double(maps.sinrDB[20 * 40 + 8])) < 0.5)
        #expect(op.downlinkMbps > 0 && op.uplinkMbps > 0)
    }

    @Test func unknownOperatorAndBandAreNamed() throws {
        let scenario = try AdHoc.scenario(transmitters: [AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)])
        var options = AdHoc.options()
        options.operators = ["Nobody"]
        #expect(throws: CoverageError.unknownOperator(name: "Nobody", available: ["Test"])) { try CoverageRun(scenario: scenario, options: options) }
        var bad = AdHoc.omni("A", x: 340_105, y: 5_675_195, eirp: 40)
        bad.1.band = "B99"
        #expect(throws: CoverageError.unknownBand(sector: "A/Test/B3", band: "B99")) {
            try CoverageRun(scenario: try AdHoc.scenario(transmitters: [bad]), options: AdHoc.options())
        }
    }

    @Test func rangeLimitFollowsTheFloorAndTheGrid() {
        let grid = RasterGrid(minX: 0, maxY: 1000, cellSizeMeters: 10, columns: 100, rows: 100)
        // EIRP per RE 0 dBm, floor −100 dBm: free-space loss 100 dB at 1 GHz is reached at about 2.4 km; capped by the grid.
        let r = RadioPlan.rangeMeters(eirpPerResourceElementDBm: 0, floorDBm: -100, frequencyHz: 1e9, from: MapPoint(x: 0, y: 0), grid: grid)
        #expect(abs(r - (2.0.squareRoot() * 1000 + 10)) < 1e-9)
        let short = RadioPlan.rangeMeters(eirpPerResourceElementDBm: 0, floorDBm: -60, frequencyHz: 1e9, from: MapPoint(x: 500, y: 500), grid: grid)
        #expect(abs(FreeSpace.pathLossDB(distanceMeters: short, frequencyHz: 1e9) - 60) < 1e-6)
    }
}
