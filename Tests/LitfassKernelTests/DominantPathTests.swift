import Foundation
import Testing
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// Corner paths with more than two turns (label-correcting by turns, docs/KERNEL.md §2).
@Suite struct DominantPathTests {
    /// A spiral of streets (6 cells wide) cut into solid 150 m-high building land, turning right four times:
    /// A (rows 10–15, east) → B (columns 95–100, south) → C (rows 95–100, west) → D (columns 20–25, north) →
    /// E (rows 30–35, east, a dead end at column 80). The inner corners of the bends are the only corner nodes:
    /// N1 (95, 15), N2 (95, 95), N3 (25, 95), N4 (25, 35), each in line with the next, so every leg is axis-aligned
    /// and every turn is exactly 90°. The transmitter stands in A on N1's row. A cell in D north of C can only be
    /// reached with three turns, a cell in E with four.
    static func spiral() -> SceneBuilder {
        var b = SceneBuilder(columns: 120, rows: 120)
        b.building(columns: 0...119, rows: 0...119, height: 150, id: 0)
        func street(columns c: ClosedRange<Int>, rows r: ClosedRange<Int>) {
            for row in r { for col in c { b.height[row * 120 + col] = 0; b.index[row * 120 + col] = -1 } }
        }
        street(columns: 10...100, rows: 10...15)    // A
        street(columns: 95...100, rows: 10...100)   // B
        street(columns: 20...100, rows: 95...100)   // C
        street(columns: 20...25, rows: 30...100)    // D
        street(columns: 20...80, rows: 30...35)     // E
        return b
    }

    static let tx = (column: 14, row: 15)
    static let nodes = [(95, 15), (95, 95), (25, 95), (25, 35)]

    static func settings(turns: Int) -> KernelSettings {
        var s = KernelSettings()
        s.maxCornerTurns = turns
        return s
    }

    /// The loss of the spiral path through the first `turns` nodes to (column, row): free space over the 3-D length
    /// of the whole path (ITU-R P.525) plus 20 dB per 90° turn (the default `CornerLossModel`, L90 = 20 dB).
    static func expectedLoss(turns: Int, to target: (Int, Int)) -> Double {
        var points = [(tx.column, tx.row)] + nodes[0..<turns]
        points.append(target)
        var length = 0.0
        for k in 1..<points.count {
            let dx = Double(points[k].0 - points[k - 1].0), dy = Double(points[k].1 - points[k - 1].1)
            length += 2 * (dx * dx + dy * dy).squareRoot()
        }
        let dz = 5 - 1.5
        return FreeSpace.pathLossDB(distanceMeters: (length * length + dz * dz).squareRoot(), frequencyHz: 3.6e9)
            + Double(turns) * CornerLossModel().lossDB(turnAngleDegrees: 90)
    }

    @Test func spiralCellsNeedExactlyThreeAndFourTurns() {
        let b = Self.spiral()
        let t = transmitter(at: b.point(Self.tx.column, Self.tx.row), height: 5, range: 2000)
        let three = (25, 50), four = (60, 35)
        #expect(CornerLossModel().lossDB(turnAngleDegrees: 90) == 20)
        var windows: [Int: CoverageWindow] = [:]
        for turns in [2, 3, 4, 6] {
            windows[turns] = PropagationKernel(scene: b.scene, settings: Self.settings(turns: turns)).compute(t)
        }
        // Three turns: nothing along the streets with two, the spiral path with three and more.
        #expect(typeAt(windows[2]!, three.0, three.1) == .overRooftops)
        for turns in [3, 4, 6] {
            let w = windows[turns]!
            #expect(typeAt(w, three.0, three.1) == .aroundCorners, "turns \(turns)")
            let loss = Double(value(w, w.pathLossDB, three.0, three.1))
            #expect(abs(loss - Self.expectedLoss(turns: 3, to: three)) < 0.01, "turns \(turns): \(loss) dB")
        }
        // Four turns.
        for turns in [2, 3] { #expect(typeAt(windows[turns]!, four.0, four.1) == .overRooftops, "turns \(turns)") }
        for turns in [4, 6] {
            let w = windows[turns]!
            #expect(typeAt(w, four.0, four.1) == .aroundCorners, "turns \(turns)")
            let loss = Double(value(w, w.pathLossDB, four.0, four.1))
            #expect(abs(loss - Self.expectedLoss(turns: 4, to: four)) < 0.01, "turns \(turns): \(loss) dB")
        }
        // The figures themselves (FSPL over 552 m and 652 m at 3.6 GHz, plus 60 and 80 dB).
        #expect(abs(Self.expectedLoss(turns: 3, to: three) - 158.41) < 0.01)
        #expect(abs(Self.expectedLoss(turns: 4, to: four) - 179.86) < 0.01)
        // `link` gives the same bits.
        for turns in [3, 4, 6] {
            let kernel = PropagationKernel(scene: b.scene, settings: Self.settings(turns: turns))
            let w = windows[turns]!
            for (c, r) in [three, four, (22, 80), (70, 33)] {
                let l = kernel.link(t, to: b.point(c, r))
                #expect(Float(l.pathLossDB) == value(w, w.pathLossDB, c, r), "turns \(turns) cell \(c),\(r)")
                #expect(l.pathType == typeAt(w, c, r))
            }
        }
    }

    /// Outdoor computed cells, and those whose dominant path runs over the rooftops (no street-level path: neither
    /// line of sight nor a corner path).
    static func withoutStreetPath(_ scene: Scene, _ w: CoverageWindow) -> (outdoor: Int, rooftops: Int) {
        var outdoor = 0, rooftops = 0
        for y in 0..<w.rows {
            for x in 0..<w.columns {
                let i = y * w.columns + x
                let gi = (w.rowOffset + y) * scene.grid.columns + w.columnOffset + x
                guard scene.buildingIndex[gi] < 0, w.pathType[i] != 0 else { continue }
                outdoor += 1
                if w.pathType[i] == PathType.overRooftops.rawValue { rooftops += 1 }
            }
        }
        return (outdoor, rooftops)
    }

    /// More turns never leave more cells without a street-level path (the levels up to N are those of N − 1 plus one),
    /// and on these scenes strictly fewer from 2 to 3 turns. Prints the shares docs/KERNEL.md §2 quotes.
    @Test func moreTurnsLeaveFewerCellsWithoutAStreetPath() {
        var counts: [String: [Int]] = [:]
        let spiral = Self.spiral()
        var city = SceneBuilder(columns: 200, rows: 200)
        city.cityBlocks(seed: 42)
        let (cc, cr) = ConsistencyTests.outdoorCell(city, near: 100, 100)
        var random = SceneBuilder(columns: 200, rows: 200)
        random.randomBuildings(count: 160, seed: 42, maxSize: 14)
        let (rc, rr) = ConsistencyTests.outdoorCell(random, near: 100, 100)
        let scenes = [("spiral", spiral.scene, transmitter(at: spiral.point(Self.tx.column, Self.tx.row), height: 5, range: 2000)),
                      ("city grid", city.scene, transmitter(at: city.point(cc, cr), height: 5, range: 180)),
                      ("dense random", random.scene, transmitter(at: random.point(rc, rr), height: 5, range: 180))]
        for (name, scene, t) in scenes {
            var line = "\(name): outdoor cells without a street-level path for 2/3/4/6 turns:"
            counts[name] = [2, 3, 4, 6].map { turns in
                let c = Self.withoutStreetPath(scene, PropagationKernel(scene: scene, settings: Self.settings(turns: turns)).compute(t))
                line += String(format: " %d (%.1f %% of %d)", c.rooftops, 100 * Double(c.rooftops) / Double(c.outdoor), c.outdoor)
                return c.rooftops
            }
            print(line)
        }
        let s = counts["spiral"]!
        // The spiral: D beyond C's reach needs three turns, E four; nothing is left for more.
        #expect(s[0] > s[1] && s[1] > s[2] && s[2] == s[3] && s[2] < 40, "\(s)")
        for name in ["city grid", "dense random"] {
            let c = counts[name]!
            #expect(c[0] > c[1] && c[1] >= c[2] && c[2] >= c[3], "\(name): \(c)")
        }
    }

    /// The label-correcting rule (`NodeMergeTarget`): a later level replaces a node's state only when it raises the key
    /// of the earlier levels by more than `CornerSearch.improvementMarginDB`; within a level the higher key wins, then
    /// the lower source id, whatever the order of the merges.
    @Test func aLaterLevelReplacesANodeOnlyWhenItImprovesIt() {
        let key = UnsafeMutablePointer<Double>.allocate(capacity: 1), previous = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        let best = UnsafeMutablePointer<CornerSource>.allocate(capacity: 1), level = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        defer { key.deallocate(); previous.deallocate(); best.deallocate(); level.deallocate() }
        func state(_ id: Int32) -> CornerSource {
            CornerSource(column: 5, row: 5, length: 100, turnLoss: 20, inX: 1, inY: 0, gainDelta: 0, id: id)
        }
        key[0] = -60; previous[0] = -60; level[0] = 2; best[0] = state(7)
        let target = NodeMergeTarget(key: key, previous: previous, best: best, level: level)
        func found(_ k: Double) -> NodeCandidates {
            var f = NodeCandidates()
            f.append(42, key: k, state: state(-1))
            return f
        }
        target.apply(found(-60), [0], sourceId: 20, level: 3)             // a tie with level 2: kept
        target.apply(found(-60 + 1e-12), [0], sourceId: 21, level: 3)     // rounding, within the margin: kept
        #expect(level[0] == 2 && key[0] == -60 && best[0].id == 7)
        target.apply(found(-59.5), [0], sourceId: 30, level: 3)           // an improvement
        #expect(level[0] == 3 && key[0] == -59.5 && best[0].id == 30)
        target.apply(found(-59.5), [0], sourceId: 25, level: 3)           // a tie within the level: the lower id
        target.apply(found(-59.8), [0], sourceId: 1, level: 3)            // weaker than this level's best
        #expect(key[0] == -59.5 && best[0].id == 25)
        target.apply(found(-61), [-1], sourceId: 2, level: 3)             // not a kept node
        #expect(key[0] == -59.5 && best[0].id == 25)
    }

    @Test func turnsOutsideTheRangeAreRejectedWithTheArgumentNamed() throws {
        #expect(try KernelSettings.validateCornerTurns(6, argument: "--corner-turns") == 6)
        #expect(try KernelSettings.validateCornerTurns(0, argument: "x") == 0)
        for bad in [-1, 9, 100] {
            #expect(throws: KernelSettingsError.cornerTurnsOutOfRange(argument: "--corner-turns", value: bad, allowed: 0...8)) {
                try KernelSettings.validateCornerTurns(bad, argument: "--corner-turns")
            }
        }
        let message = KernelSettingsError.cornerTurnsOutOfRange(argument: "--corner-turns", value: 9, allowed: 0...8).description
        #expect(message == "--corner-turns must be between 0 and 8 corner turns, got 9")
    }
}
