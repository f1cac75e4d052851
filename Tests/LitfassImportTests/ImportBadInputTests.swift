import Foundation
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import Testing
import _LitfassTestSupport

/// Files that cannot be read at all: an error naming the file, and nothing written.
struct ImportBadInputTests {
    /// Imports `file` expecting `expected`, and checks that the store's bytes did not change.
    private func expectFailure(_ file: String, _ expected: ImportError, sourceLine: SourceLocation = #_sourceLocation) throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let before = try sha(store)
        #expect(throws: expected, sourceLocation: sourceLine) { try SiteImporter.importSites(file: file, into: store) }
        #expect(try sha(store) == before, sourceLocation: sourceLine)
        #expect(try ImportLedger.history(store: store).isEmpty, sourceLocation: sourceLine)
    }

    @Test func binaryFileNamedCSV() throws {
        let folder = TemporaryFolder("litfass-import-input")
        let path = folder.file("sites.csv").path
        var bytes = [UInt8](repeating: 0, count: 4096)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try expectFailure(path, .unreadable(file: path, reason: "binary data, not a text file (a zero byte at offset 0)"))
    }

    @Test func binaryFileNamedGeoJSON() throws {
        let folder = TemporaryFolder("litfass-import-input")
        let path = folder.file("sites.geojson").path
        try Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: URL(fileURLWithPath: path))
        let store = try freshStore(folder)
        let before = try sha(store)
        do {
            _ = try SiteImporter.importSites(file: path, into: store)
            Issue.record("a binary file was read")
        } catch let error as ImportError {
            guard case .unreadable(let file, _) = error else { Issue.record("\(error)"); return }
            #expect(file == path)
        }
        #expect(try sha(store) == before)
    }

    /// A damaged store (a SQLite header, then garbage): the error names the store, what was expected and SQLite's reason.
    @Test func damagedStoreNamesTheReason() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = folder.file("scenario.gpkg").path
        FileManager.default.createFile(atPath: store, contents: HostileInput.damagedGeoPackage)
        #expect { try ImportLedger.history(store: store) } throws: { error in
            guard case ImportError.store(let file, let message) = error else { return false }
            return file == store && message.contains("expected a GeoPackage built by 'litfass scenario build'")
                && message.contains("file is not a database")
        }
    }

    @Test func emptyFiles() throws {
        let folder = TemporaryFolder("litfass-import-input")
        for name in ["empty.csv", "blank.csv", "empty.geojson"] {
            let path = folder.file(name).path
            try Data(name == "blank.csv" ? [0xEF, 0xBB, 0xBF, 0x0D, 0x0A, 0x20] : []).write(to: URL(fileURLWithPath: path))
            try expectFailure(path, .empty(file: path))
        }
    }

    @Test func missingFile() throws {
        try expectFailure("/nonexistent/sites.csv", .unreadable(file: "/nonexistent/sites.csv", reason: "no such file"))
    }

    @Test func headerOnlyFileImportsNothingAndBalances() throws {
        let folder = TemporaryFolder("litfass-import")
        let path = folder.file("header.csv").path
        try "site_id;operator;lon;lat;height;band\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        let store = try freshStore(folder)
        let sitesBefore = try siteContent(store)
        let report = try SiteImporter.importSites(file: path, into: store)
        #expect((report.rowsRead, report.inserted, report.rejected) == (0, 0, 0) && report.balances)
        #expect(try siteContent(store) == sitesBefore)
    }

    @Test func missingRequiredColumnNamesItAndTheColumns() throws {
        let folder = TemporaryFolder("litfass-import-input")
        let path = folder.file("noheight.csv").path
        try "site_id,operator,lon,lat,band\nX,Telekom,6.69,51.2,B3\n".write(toFile: path, atomically: true, encoding: .utf8)
        try expectFailure(path, .missingColumn(file: path, field: "the antenna height", columns: ["site_id", "operator", "lon", "lat", "band"],
                                               hint: "name it with --map height=COLUMN"))
        let noOperator = folder.file("nooperator.csv").path
        try "site_id,lon,lat,height,band\nX,6.69,51.2,20,B3\n".write(toFile: noOperator, atomically: true, encoding: .utf8)
        try expectFailure(noOperator, .missingColumn(file: noOperator, field: "the operator", columns: ["site_id", "lon", "lat", "height", "band"],
                                                     hint: "give --operator NAME or --map operator=COLUMN"))
    }

    @Test func raggedRowsAndNonUTF8TextAreRowsNotFailures() throws {
        let folder = TemporaryFolder("litfass-import")
        let path = folder.file("ragged.csv").path
        // Latin-1 "Süd" and a quoted cell spanning two lines.
        var bytes = Array("site_id;operator;lon;lat;height;band;name\n".utf8)
        bytes += Array("R1;Telekom;6,69;51,2;20;B3;S".utf8) + [0xFC] + Array("d\n".utf8)
        bytes += Array("R2;Telekom;6,69;51,2;20\n".utf8)
        bytes += Array("R3;Telekom;6,69;51,2;20;B3;Nord;extra\n".utf8)
        bytes += Array("R4;Telekom;6,691;51,201;20;B3;\"zwei\nZeilen\"\n".utf8)
        bytes += Array("R5;Telekom;6,692;51,202;20;n78;Ende\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: path, into: store)
        #expect((report.rowsRead, report.inserted, report.rejected) == (5, 3, 2))
        #expect(report.rejects.map { "\($0.row)/\($0.line ?? 0): \($0.reason)" } == [
            "2/3: 5 cells, the header has 7 (ragged row)", "3/4: 8 cells, the header has 7 (ragged row)"])
        let sites = try importedSites(store)
        #expect(sites["imported/Telekom/R1"]?.site.name == "Süd")
        #expect(sites["imported/Telekom/R4"]?.site.name == "zwei\nZeilen")
    }

    @Test func rejectsFileIsCSVWithQuoting() throws {
        let text = RejectsFile.csv([
            RejectedValue(row: 3, line: 4, field: "band", value: "GSM 900", reason: "unknown band (known: n78, B3)"),
            RejectedValue(row: 9, line: nil, field: "name", value: "a \"b\"", reason: "x"),
        ])
        #expect(text == "row,line,field,value,reason\n3,4,band,GSM 900,\"unknown band (known: n78, B3)\"\n9,,name,\"a \"\"b\"\"\",x\n")
    }
}

/// Reading cells and headers.
struct ImportParsingTests {
    @Test func numbersAsSpreadsheetsWriteThem() {
        #expect(NumberReader.parse(text: "6,6912") == .value(6.6912, nil))
        #expect(NumberReader.parse(text: "6.6912") == .value(6.6912, nil))
        #expect(NumberReader.parse(text: " -12,5 ") == .value(-12.5, nil))
        #expect(NumberReader.parse(text: "1.234,5") == .value(1234.5, nil))
        #expect(NumberReader.parse(text: "1,234.5") == .value(1234.5, nil))
        #expect(NumberReader.parse(text: "25 m") == .value(25, .metre))
        #expect(NumberReader.parse(text: "120°") == .value(120, .degree))
        #expect(NumberReader.parse(text: "43 dBm") == .value(43, .dBm))
        #expect(NumberReader.parse(text: "20W") == .value(20, .watt))
        #expect(NumberReader.parse(text: "-") == .missing)
        #expect(NumberReader.parse(text: "") == .missing)
        #expect(NumberReader.parse(text: "abc") == .invalid)
        #expect(NumberReader.parse(text: "1,2,3") == .invalid)
        #expect(NumberReader.fastDecimal("51,198312") == 51.198312)
        #expect(NumberReader.fastDecimal("6.691234567890123") == nil)  // more than 15 digits: the general path
        #expect(NumberReader.parse(text: "6.691234567890123") == .value(6.691234567890123, nil))
    }

    @Test func germanAndEnglishHeaders() throws {
        #expect(ColumnMapping.normalise("Antennenhöhe [m]") == ("antennenhoehe", .metre))
        #expect(ColumnMapping.normalise("EIRP (W)") == ("eirp", .watt))
        #expect(ColumnMapping.normalise("Standort-ID") == ("standort_id", nil))
        #expect(ColumnMapping.normalise("Frequenz MHz") == ("frequenz", .megahertz))
        #expect(ColumnMapping.normalise("m_tilt") == ("m_tilt", nil))
        let header = ["Standort", "Standort-ID", "Geo-Länge", "Geo-Breite", "Höhe über Grund", "Hauptstrahlrichtung", "Neigung",
                      "Frequenz", "Leistung (W)", "Antennengewinn", "Betreiber", "Technologie"]
        let mapping = try ColumnMapping.resolve(header: header, overrides: [:], file: "x.csv")
        #expect(mapping[.site]?.name == "Standort-ID")
        #expect(mapping[.name] == nil)
        #expect(mapping[.lon]?.name == "Geo-Länge" && mapping[.lat]?.name == "Geo-Breite")
        #expect(mapping[.height]?.name == "Höhe über Grund")
        #expect(mapping[.azimuth]?.name == "Hauptstrahlrichtung" && mapping[.tilt]?.name == "Neigung")
        #expect(mapping[.frequency]?.name == "Frequenz" && mapping[.power]?.unit == .watt && mapping[.gain]?.name == "Antennengewinn")
        #expect(mapping[.operator]?.name == "Betreiber" && mapping[.technology]?.name == "Technologie")
        // LIBKML's "Antennenh__he" is Antennenhöhe.
        let kml = try ColumnMapping.resolve(header: ["Name", "Antennenh__he", "Frequenz__MHz_"], overrides: [:], file: "x.kml")
        #expect(kml[.height]?.name == "Antennenh__he" && kml[.frequency]?.unit == .megahertz && kml[.site]?.name == "Name")
    }

    @Test func fieldOrdinalsFollowAllCases() {
        #expect(ImportField.allCases.enumerated().allSatisfy { $0.offset == $0.element.ordinal })
    }

    @Test func bandsFromNamesAndFrequencies() {
        #expect(BandResolver.band(named: "LTE 800", technology: nil)?.name == "B20")
        #expect(BandResolver.band(named: "L1800", technology: nil)?.name == "B3")
        #expect(BandResolver.band(named: "1800", technology: .nr)?.name == "n3")
        #expect(BandResolver.band(named: "NR3600", technology: nil)?.name == "n78")
        #expect(BandResolver.band(named: "band 7", technology: nil)?.name == "B7")
        #expect(BandResolver.band(named: "B99", technology: nil) == nil)
        #expect(BandResolver.bands(containing: 1842.5e6, technology: nil).map(\.name) == ["B3", "n3"])
        #expect(BandResolver.bands(containing: 1842.5e6, technology: .nr).first?.name == "n3")
        #expect(RowValidator.hertz(3.6, unit: nil) == 3.6e9 && RowValidator.hertz(806, unit: nil) == 806e6)
        #expect(RowValidator.dBm(1, unit: .watt) == 30 && RowValidator.dBm(-1, unit: .watt) == nil)
    }
}
