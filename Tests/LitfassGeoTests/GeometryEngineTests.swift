import Foundation
import Testing
import LitfassGeo

/// GEOS operations on hand-made polygons with exact answers.
struct GeometryEngineTests {
    let engine = GeometryEngine()

    func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [MapPoint] {
        [MapPoint(x: x0, y: y0), MapPoint(x: x1, y: y0), MapPoint(x: x1, y: y1), MapPoint(x: x0, y: y1), MapPoint(x: x0, y: y0)]
    }

    @Test func areaOfARectangleWithAHole() throws {
        let polygon = Polygon(exterior: rectangle(0, 0, 20, 10), holes: [rectangle(2, 2, 4, 4)])
        #expect(try engine.area(.polygon(polygon)) == 196)
    }

    @Test func containmentInsideOnBorderAndInHole() throws {
        let polygon = Geometry.polygon(Polygon(exterior: rectangle(0, 0, 20, 10), holes: [rectangle(2, 2, 4, 4)]))
        #expect(try engine.contains(polygon, MapPoint(x: 10, y: 5)))
        #expect(try !engine.contains(polygon, MapPoint(x: 3, y: 3)))   // in the hole
        #expect(try !engine.contains(polygon, MapPoint(x: 0, y: 5)))   // on the border
        #expect(try !engine.contains(polygon, MapPoint(x: 25, y: 5)))
    }

    @Test func distanceBetweenSquaresIsTheGap() throws {
        let a = Geometry.polygon(Polygon(exterior: rectangle(0, 0, 1, 1)))
        let b = Geometry.polygon(Polygon(exterior: rectangle(4, 5, 6, 6)))
        #expect(abs(try engine.distance(a, b) - 5) < 1e-12)   // from (1,1) to (4,5): 3-4-5
    }

    @Test func bufferOfAPointIsTheInscribedRegularPolygon() throws {
        // 8 segments per quarter: a regular 32-gon inscribed in the circle, area ½ n r² sin(2π/n).
        let buffered = try engine.buffer(.point(MapPoint(x: 100, y: 100)), meters: 10, quadrantSegments: 8)
        let expected = 0.5 * 32 * 100 * sin(2 * .pi / 32)
        #expect(abs(try engine.area(buffered) - expected) < 1e-9)
    }

    @Test func unionOfOverlappingSquares() throws {
        let union = try engine.union(.multiPolygon([Polygon(exterior: rectangle(0, 0, 2, 2)), Polygon(exterior: rectangle(1, 1, 3, 3))]))
        #expect(union.polygons.count == 1)
        #expect(abs(try engine.area(union) - 7) < 1e-12)
    }

    @Test func polygonizeFormsFacesFromEdges() throws {
        // The four edges of a square, given as separate lines.
        let edges = [LineString([MapPoint(x: 0, y: 0), MapPoint(x: 3, y: 0)]), LineString([MapPoint(x: 3, y: 0), MapPoint(x: 3, y: 3)]),
                     LineString([MapPoint(x: 3, y: 3), MapPoint(x: 0, y: 3)]), LineString([MapPoint(x: 0, y: 3), MapPoint(x: 0, y: 0)])]
        let faces = try engine.polygonize(edges)
        #expect(faces.count == 1)
        #expect(try engine.area(.polygon(faces[0])) == 9)
    }

    @Test func makeValidSplitsABowTie() throws {
        let bowTie = Polygon(exterior: [MapPoint(x: 0, y: 0), MapPoint(x: 2, y: 2), MapPoint(x: 2, y: 0), MapPoint(x: 0, y: 2), MapPoint(x: 0, y: 0)])
        let valid = try engine.makeValid(.polygon(bowTie))
        #expect(valid.polygons.count == 2)
        #expect(abs(try engine.area(valid) - 2) < 1e-12)
    }

    @Test func aRingWithTooFewPointsIsATypedError() {
        #expect(throws: GeoError.self) {
            try engine.area(.polygon(Polygon(exterior: [MapPoint(x: 0, y: 0), MapPoint(x: 1, y: 0), MapPoint(x: 0, y: 0)])))
        }
    }

    @Test func interiorPointLiesInsideAnLShape() throws {
        let l = Geometry.polygon(Polygon(exterior: [MapPoint(x: 0, y: 0), MapPoint(x: 10, y: 0), MapPoint(x: 10, y: 1), MapPoint(x: 1, y: 1),
                                                     MapPoint(x: 1, y: 10), MapPoint(x: 0, y: 10), MapPoint(x: 0, y: 0)]))
        #expect(try engine.contains(l, try engine.interiorPoint(l)))
    }
}
