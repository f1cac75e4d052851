import Foundation
import Testing
import LitfassGeo
import _LitfassTestSupport

struct RasterTests {
    @Test func gridCoversABoxOnCellMultiples() {
        let grid = RasterGrid(covering: BoundingBox(minX: 101, minY: 203, maxX: 119, maxY: 209), cellSizeMeters: 2)
        #expect(grid.minX == 100 && grid.maxY == 210 && grid.columns == 10 && grid.rows == 4)
        #expect(grid.center(column: 0, row: 0) == MapPoint(x: 101, y: 209))
        #expect(grid.cell(containing: MapPoint(x: 118.9, y: 202.1))! == (9, 3))
        #expect(grid.cell(containing: MapPoint(x: 99.9, y: 205)) == nil)
    }

    /// An opaque image is written as RGB, one with any transparent pixel as RGBA; either way every pixel reads back as drawn.
    @Test func pngKeepsAlphaOnlyWhereTheImageHasTransparency() throws {
        let folder = TemporaryFolder()
        let width = 5, height = 3
        var rgba: [UInt8] = []
        for i in 0..<(width * height) { rgba += [UInt8(i * 17 % 256), UInt8(255 - i), UInt8(i * 3), 255] }
        let opaque = folder.file("opaque.png").path
        try RasterIO.writePNG(path: opaque, rgba: rgba, width: width, height: height)
        let opaqueInfo = try RasterIO.info(path: opaque)
        #expect(opaqueInfo.bands.count == 3 && opaqueInfo.columns == width && opaqueInfo.rows == height)
        for band in 0..<3 {
            #expect(try RasterIO.readBand(path: opaque, band: band + 1) == stride(from: band, to: rgba.count, by: 4).map { Float(rgba[$0]) })
        }
        rgba[4 * 7 + 3] = 128
        let translucent = folder.file("translucent.png").path
        try RasterIO.writePNG(path: translucent, rgba: rgba, width: width, height: height)
        #expect(try RasterIO.info(path: translucent).bands.count == 4)
        for band in 0..<4 {
            #expect(try RasterIO.readBand(path: translucent, band: band + 1) == stride(from: band, to: rgba.count, by: 4).map { Float(rgba[$0]) })
        }
    }

    @Test func geoTIFFRoundTripKeepsValuesCRSAndNodata() throws {
        let folder = TemporaryFolder()
        let path = folder.file("test.tif").path
        let grid = RasterGrid(minX: 333_000, maxY: 5_673_000, cellSizeMeters: 2, columns: 7, rows: 5)
        let values = (0..<grid.cellCount).map { Float($0) * 0.5 - 3 }
        try RasterIO.writeGeoTIFF(path: path, grid: grid, bands: [RasterBand(values: values, noDataValue: -9999, description: "RSRP [dBm]")],
                                  metadata: ["LITFASS_MODEL": "test"])
        #expect(try RasterIO.read(path: path, onto: grid) == values)
        let info = try runProcess(URL(fileURLWithPath: "/usr/bin/gdalinfo"), ["-json", path])
        #expect(info.status == 0)
        #expect(info.stdout.contains("\"noDataValue\":-9999") || info.stdout.contains("\"noDataValue\": -9999"))
        #expect(info.stdout.contains("RSRP [dBm]"))
        #expect(info.stdout.contains("LITFASS_MODEL"))
        #expect(info.stdout.contains("25832"))
    }

    @Test func rasterisingASquareBurnsTheCellsWhoseCentreItCovers() throws {
        let grid = RasterGrid(minX: 0, maxY: 10, cellSizeMeters: 1, columns: 10, rows: 10)
        // Square from (2,2) to (6,5): 4 × 3 cell centres inside.
        let square = Polygon(exterior: [MapPoint(x: 2, y: 2), MapPoint(x: 6, y: 2), MapPoint(x: 6, y: 5), MapPoint(x: 2, y: 5), MapPoint(x: 2, y: 2)])
        let burnt = try RasterIO.rasterize([square], values: [12.5], onto: grid)
        #expect(burnt.filter { $0 == 12.5 }.count == 12)
        #expect(burnt[grid.columns * 5 + 2] == 12.5)   // row 5 = y 4..5, column 2 = x 2..3
        #expect(burnt[grid.columns * 4 + 2] == 0)      // row 4 = y 5..6: outside
    }

    @Test func sha256OfAKnownVector() {
        // FIPS 180-2 Appendix B.1 test vector for "abc".
        #expect(Checksum.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
