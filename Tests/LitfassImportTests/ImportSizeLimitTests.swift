import Foundation
import LitfassGeo
@testable import LitfassImport
import Testing
import _LitfassTestSupport

/// KML and KMZ are read only up to a size: a KMZ that inflates to hundreds of MiB is refused
/// from its ZIP directory before anything is inflated.
struct ImportSizeLimitTests {
    /// A ZIP holding one entry `doc.kml` whose central directory declares `declared` bytes.
    static func zip(declared: UInt32, content: [UInt8]) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * UInt32($0)) & 0xFF) } }
        let name = Array("doc.kml".utf8)
        var out: [UInt8] = [0x50, 0x4B, 3, 4] + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            + le32(UInt32(content.count)) + le32(declared) + le16(name.count) + le16(0) + name + content
        let directoryOffset = UInt32(out.count)
        let central: [UInt8] = [0x50, 0x4B, 1, 2] + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            + le32(UInt32(content.count)) + le32(declared) + le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + name
        out += central
        out += [0x50, 0x4B, 5, 6] + le16(0) + le16(0) + le16(1) + le16(1) + le32(UInt32(central.count)) + le32(directoryOffset) + le16(0)
        return out
    }

    @Test func aKMZThatInflatesBeyondTheLimitIsRefusedUnread() throws {
        let folder = TemporaryFolder("litfass-import-size")
        let path = folder.file("sites.kmz").path
        try Data(Self.zip(declared: 217 * 1_048_576, content: Array("<kml/>".utf8))).write(to: URL(fileURLWithPath: path))
        #expect(KMLLimit.zipUncompressedTotal(try Data(contentsOf: URL(fileURLWithPath: path))) == 217 * 1_048_576)
        let store = try freshStore(folder)
        let before = try sha(store)
        do {
            _ = try SiteImporter.importSites(file: path, into: store)
            Issue.record("an oversized KMZ was read")
        } catch let error as ImportError {
            #expect("\(error)".contains("inflates to 217 MiB") && "\(error)".contains("64 MiB"), "\(error)")
        }
        #expect(try sha(store) == before)
    }

    @Test func theRealKMZFixtureIsWithinTheLimit() throws {
        let folder = TemporaryFolder("litfass-import-size")
        let path = folder.file("small.kmz").path
        try Data(Self.zip(declared: 6, content: Array("<kml/>".utf8))).write(to: URL(fileURLWithPath: path))
        #expect(KMLLimit.zipUncompressedTotal(try Data(contentsOf: URL(fileURLWithPath: path))) == 6)
        #expect(throws: Never.self) { try SourceReader.checkKMLSize(path: path, data: try Data(contentsOf: URL(fileURLWithPath: path)), kmz: true) }
    }

    /// `optimise --demand` and `--candidates` read KML through GDAL too: the same limit, before GDAL opens the file.
    @Test(arguments: ["--demand", "--candidates"])
    func optimiseRefusesTheSameOversizedKMZ(option: String) throws {
        let folder = TemporaryFolder("litfass-import-size")
        let path = folder.file("input.kmz").path
        try Data(Self.zip(declared: 217 * 1_048_576, content: Array("<kml/>".utf8))).write(to: URL(fileURLWithPath: path))
        let r = try runProcess(TestPaths.litfassExecutable, ["optimise", "--count", "2", "--no-maps", "--resolution", "20", option, path,
                                                            "--out", folder.file("o").path])
        #expect(r.status == 1, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("input.kmz") && r.stderr.contains("inflates to 217 MiB") && r.stderr.contains("64 MiB"), "\(r.stderr)")
    }

    @Test func aPlainKMLOneByteBeyondTheLimitIsRefused() {
        #expect(KMLLimit.refusal(data: Data(count: Int(KMLLimit.maxBytes)), kmz: false) == nil)
        let reason = KMLLimit.refusal(data: Data(count: Int(KMLLimit.maxBytes) + 1), kmz: false)
        #expect(reason?.contains("a KML file of 64 MiB, above the 64 MiB read") == true, "\(reason ?? "nil")")
    }
}
