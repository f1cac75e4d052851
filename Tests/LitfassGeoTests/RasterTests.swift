import Foundation
import Testing
@testable import LitfassGeo
import _LitfassTestSupport

struct RasterTests {
    @Test func gridCoversABoxOnCellMultiples() {
        let grid = RasterGrid(covering: BoundingBox(minX: 101, minY: 203, maxX: 119, maxY: 209), cellSizeMeters: 2)
        #expect(grid.minX == 100 && grid.maxY == 210 && grid.columns == 10 && grid.rows == 4)
        #expect(grid.center(column: 0, row: 0) == MapPoint(x: 101, y: 209))
        #expect(grid.cell(containing: MapPoint(x: 118.9, y: 202.1))! == (9, 3))
        #expect(grid.cell(containing: MapPoint(x: 99.9, y: 205)) == nil)
    }

    /// An opaque image with at most 256 colours is written as a palette image, another opaque one as RGB, one with any
    /// transparent pixel as RGBA; every pixel reads back as drawn (`readRGBA`).
    @Test func pngTakesTheSmallestColourTypeThatHoldsEveryPixel() throws {
        let folder = TemporaryFolder()
        let width = 40, height = 10
        func image(colours: Int) -> [UInt8] {
            (0..<(width * height)).flatMap { i -> [UInt8] in
                let c = i * 7 % colours
                return [UInt8(c % 256), UInt8(c / 256 * 40), UInt8(255 - c % 200), 255]
            }
        }
        for (colours, bands) in [(1, 1), (17, 1), (256, 1), (257, 3), (400, 3)] {
            let rgba = image(colours: colours)
            let path = folder.file("opaque-\(colours).png").path
            try RasterIO.writePNG(path: path, rgba: rgba, width: width, height: height)
            let info = try RasterIO.info(path: path)
            #expect(info.bands.count == bands && info.columns == width && info.rows == height, "\(colours) colours")
            let read = try RasterIO.readRGBA(path: path)
            #expect(read.width == width && read.height == height && read.rgba == rgba, "\(colours) colours")
        }
        var rgba = image(colours: 17)
        rgba[4 * 7 + 3] = 128
        let translucent = folder.file("translucent.png").path
        try RasterIO.writePNG(path: translucent, rgba: rgba, width: width, height: height)
        #expect(try RasterIO.info(path: translucent).bands.count == 4)
        #expect(try RasterIO.readRGBA(path: translucent).rgba == rgba)
    }

    /// A PNG that cannot be written is an error naming the file and libpng's reason, and leaves no file behind.
    @Test func pngWriteFailureNamesTheFile() throws {
        let folder = TemporaryFolder()
        let path = folder.file("missing-folder/preview.png").path
        let rgba = [UInt8](repeating: 200, count: 4 * 6)
        do {
            try RasterIO.writePNG(path: path, rgba: rgba, width: 3, height: 2)
            Issue.record("writing into a missing folder succeeded")
        } catch let error as GeoError {
            let text = "\(error)"
            #expect(text.contains(path) && text.contains("cannot write PNG") && text.contains("No such file"), "\(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// `palette(ofOpaque:)`: colours in the order they first occur, each pixel's index into them; nil beyond 256 colours.
    @Test func paletteListsColoursInFirstOccurrenceOrder() {
        let rgba: [UInt8] = [9, 9, 9, 255, 1, 2, 3, 255, 9, 9, 9, 255, 1, 2, 3, 255, 1, 2, 3, 255, 0, 0, 0, 255]
        let palette = rgba.withUnsafeBytes { RasterIO.palette(ofOpaque: $0, pixels: 6) }
        #expect(palette?.colours == [0x090909, 0x010203, 0x000000])
        #expect(palette?.indices == [0, 1, 0, 1, 1, 2])
        let many = (0..<300).flatMap { i -> [UInt8] in [UInt8(i % 256), UInt8(i / 256), 0, 255] }
        #expect(many.withUnsafeBytes { RasterIO.palette(ofOpaque: $0, pixels: 300) } == nil)
        #expect(many.withUnsafeBytes { RasterIO.palette(ofOpaque: $0, pixels: 256) }?.colours.count == 256)
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
