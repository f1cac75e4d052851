import Foundation
import LitfassGeo

/// One feature (row) of the input, as read.
struct SourceRow: Sendable {
    /// 1-based position among the data rows (the header is not counted).
    var number: Int
    /// For CSV: the line of the file where the row starts (the header is line 1).
    var line: Int?
    /// Cell values in the order of `SourceTable.header`.
    var values: [FieldValue]
    /// The feature's geometry in the layer's CRS (GeoJSON, GeoPackage, KML, Shapefile; CSV with a WKT column).
    var geometry: Geometry?
    /// For CSV: how many cells the line really had, when that differs from the header (a ragged row).
    var raggedFieldCount: Int?
    /// For CSV: the row holds bytes that are not UTF-8 in a file decided to be UTF-8 (rejected).
    var notUTF8 = false
}

/// The rows of one layer of an input file.
struct SourceTable: Sendable {
    var file: String
    /// GDAL driver short name ("CSV", "GeoJSON", "GPKG", "LIBKML", "ESRI Shapefile").
    var driver: String
    var layer: String
    var header: [String]
    var rows: [SourceRow]
    /// The CRS the layer declares, if any.
    var layerCRS: CRS?
    /// SHA-256 of the file's bytes.
    var checksum: String
    /// How the text was decoded, when it was not plain UTF-8 ("Windows-1252 (Latin-1)").
    var encodingNote: String?
    /// CPU time of GDAL's parsing thread when it parsed on a thread of its own (for `LITFASS_IMPORT_TRACE`).
    var parserCPUSeconds: Double? = nil
}

/// Reads an input file through GDAL/OGR. CSV files are checked first by Litfass itself: binary
/// content and empty files are refused, Latin-1 (Windows-1252) and UTF-16 text is converted to
/// UTF-8 for OGR, and the line and cell count of every record are taken so that ragged rows are
/// caught (OGR's CSV driver pads short rows and drops extra cells silently).
enum SourceReader {
    static let textExtensions: Set<String> = ["csv", "tsv", "txt"]

    /// What a caller learns before the rows are read, to start working on them while GDAL parses
    /// (`SourceReader.read(…, streaming:)`; asked only where GDAL parses on a thread of its own,
    /// GeoJSON): returns the observer of each run of rows, or nil.
    typealias StreamingStart = (_ header: [String], _ driver: String, _ layerCRS: CRS?) -> ((ArraySlice<SourceRow>) -> Void)?

    static func read(path: String, layer requested: String?, streaming: StreamingStart? = nil) throws -> SourceTable {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError.unreadable(file: path, reason: "no such file")
        }
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        var data = Data()
        if !isDirectory.boolValue {
            do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
                throw ImportError.unreadable(file: path, reason: "\(error.localizedDescription)")
            }
        }
        if textExtensions.contains(ext) {
            return try readCSV(path: path, data: data)
        }
        if !isDirectory.boolValue && data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ImportError.empty(file: path)
        }
        if ext == "kml" || ext == "kmz" { try checkKMLSize(path: path, data: data, kmz: ext == "kmz") }
        // The SHA-256 is taken on another thread while OGR parses the file (a 255 MB GeoJSON: 0.5 s of 8).
        let directory = isDirectory.boolValue
        let hashing = Background { [data] in directory ? "" : Checksum.sha256(data) }
        let dataset: VectorDataset
        do { dataset = try VectorDataset(path: path) } catch let error as GeoError {
            if isDirectory.boolValue {
                throw ImportError.unreadable(file: path, reason: "is a directory, and GDAL reads no dataset from it; give the site list file")
            }
            throw ImportError.unreadable(file: path, reason: stripFile(error, path))
        }
        let names = dataset.layerNames
        let chosen: String
        if let requested {
            guard names.contains(requested) else { throw ImportError.layer(file: path, requested: requested, available: names) }
            chosen = requested
        } else if names.count == 1 {
            chosen = names[0]
        } else {
            let nonEmpty = names.filter { ((try? dataset.info(layer: $0))?.featureCount ?? 1) > 0 }
            guard nonEmpty.count == 1 else { throw ImportError.layer(file: path, requested: nil, available: names) }
            chosen = nonEmpty[0]
        }
        let info: VectorLayerInfo
        var rows: [SourceRow] = []
        do {
            info = try dataset.info(layer: chosen)
            // GeoJSON: GDAL's parser on one thread, the conversion to Swift values (and the
            // caller's observer) on this one. Other drivers read first; the caller checks after.
            let pipelined = ["GeoJSON", "GeoJSONSeq"].contains(dataset.driverName)
            let observer = pipelined ? streaming?(info.fields.map(\.name), dataset.driverName, info.crs) : nil
            _ = try dataset.features(layer: chosen, pipelined: pipelined) { batch in
                let start = rows.count
                for (offset, feature) in batch.enumerated() {
                    rows.append(SourceRow(number: start + offset + 1, line: nil, values: feature.values, geometry: feature.geometry,
                                          raggedFieldCount: nil))
                }
                observer?(rows[start...])
            }
        } catch let error as GeoError {
            throw ImportError.readFailed(file: path, row: nil, message: stripFile(error, path))
        }
        let checksum = try hashing.result().get()
        return SourceTable(file: path, driver: dataset.driverName, layer: chosen, header: info.fields.map(\.name), rows: rows,
                           layerCRS: info.crs, checksum: checksum, encodingNote: nil, parserCPUSeconds: dataset.lastParserCPUSeconds)
    }

    /// Refuses a KML file, or a KMZ that inflates to more than `KMLLimit.maxBytes` (64 MiB).
    static func checkKMLSize(path: String, data: Data, kmz: Bool) throws {
        if let reason = KMLLimit.refusal(data: data, kmz: kmz) { throw ImportError.unreadable(file: path, reason: reason) }
    }

    private static func stripFile(_ error: GeoError, _ path: String) -> String {
        let text = error.description
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }

    // MARK: CSV

    private static func readCSV(path: String, data: Data) throws -> SourceTable {
        var bytes = [UInt8](data)
        // Byte-order marks.
        var encodingNote: String?
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: Data(bytes), encoding: .utf16) else {
                throw ImportError.unreadable(file: path, reason: "UTF-16 byte-order mark but not valid UTF-16 text")
            }
            bytes = Array(text.utf8)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            encodingNote = "UTF-16"
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw ImportError.empty(file: path) }
        if let offset = bytes.prefix(1 << 16).firstIndex(of: 0) {
            throw ImportError.unreadable(file: path, reason: "binary data, not a text file (a zero byte at offset \(offset))")
        }
        let controls = bytes.prefix(1 << 16).filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C }.count
        if controls * 20 > min(bytes.count, 1 << 16) {
            throw ImportError.unreadable(file: path, reason: "binary data, not a text file (\(controls) control bytes)")
        }
        // The common case — a UTF-8 .csv — is read by OGR on another thread while this one takes
        // the checksum, checks the encoding and scans the records.
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let early = encodingNote == nil && ext == "csv" ? Background { try ogrRead(path, file: path) } : nil
        let checksum = Checksum.sha256(data)
        var strayBytes = false
        if encodingNote == nil, String(validating: bytes, as: UTF8.self) == nil {
            // Decided for the whole file on evidence: well-formed UTF-8 sequences of two or more
            // bytes ("ü" = C3 BC) against bytes that are not UTF-8.
            let evidence = utf8Evidence(bytes)
            if evidence.multiByte == 0 {
                // No UTF-8 beyond ASCII: German spreadsheets export Windows-1252 (a superset of Latin-1's printable range).
                let text = String(data: Data(bytes), encoding: .windowsCP1252) ?? String(data: Data(bytes), encoding: .isoLatin1)
                guard let text else { throw ImportError.unreadable(file: path, reason: "text in an unknown encoding") }
                bytes = Array(text.utf8)
                encodingNote = "Windows-1252 (Latin-1)"
            } else if evidence.multiByte * 4 >= evidence.invalid {
                // Windows-1252 text hardly ever forms a well-formed UTF-8 sequence ("Ã¼" would), so
                // UTF-8 characters that are not outnumbered four to one by stray bytes decide for UTF-8.
                // UTF-8 with stray bytes: the good rows stay as written, the rows holding a stray
                // byte are rejected (U+FFFD marks them for OGR's read).
                bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
                strayBytes = true
                encodingNote = "UTF-8 with \(evidence.invalid) byte\(evidence.invalid == 1 ? "" : "s") that are not UTF-8 (first on line \(evidence.firstInvalidLine)); the rows holding them are rejected"
            } else {
                throw ImportError.unreadable(file: path, reason: "mixed text encodings: \(evidence.multiByte) UTF-8 characters and \(evidence.invalid) bytes that are not UTF-8 (first on line \(evidence.firstInvalidLine)); save the file as UTF-8")
            }
        }
        let scan = scanRecords(bytes)
        let earlyResult = early.map { $0.result() }
        guard scan.separatorFound else {
            throw ImportError.unreadable(file: path, reason: "no column separator (comma, semicolon or tab) in the header line")
        }
        let header: [String], features: [VectorFeature]
        if let earlyResult, encodingNote == nil {
            (header, features) = try earlyResult.get()
        } else {
            // OGR reads the UTF-8 bytes from a .csv file: a temporary copy when they differ from the file.
            var readPath = path
            var temporary: String?
            if encodingNote != nil || ext != "csv" {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-import-\(UUID().uuidString).csv")
                do { try Data(bytes).write(to: url) } catch {
                    throw ImportError.unreadable(file: path, reason: "cannot write a UTF-8 copy to \(url.path): \(error.localizedDescription)")
                }
                readPath = url.path
                temporary = url.path
            }
            defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
            (header, features) = try ogrRead(readPath, file: path)
        }
        // Our records and OGR's features are the same rows when both agree on the count and the header.
        let dataRecords = scan.records.dropFirst()
        let matched = dataRecords.count == features.count && scan.records.first?.fields == header.count
        let rows = features.enumerated().map { index, feature -> SourceRow in
            let record = matched ? dataRecords[dataRecords.startIndex + index] : nil
            // A cell a spreadsheet-safe export wrote as "'=…" is read back as "=…" (CSVCell.restored).
            var values = feature.values
            for (k, value) in values.enumerated() {
                if case .string(let text) = value, text.utf8.first == 0x27 { values[k] = .string(CSVCell.restored(text)) }
            }
            return SourceRow(number: index + 1, line: record?.line, values: values, geometry: feature.geometry,
                             raggedFieldCount: record.flatMap { $0.fields != header.count ? $0.fields : nil },
                             notUTF8: strayBytes && feature.values.contains { if case .string(let t) = $0 { return t.contains("\u{FFFD}") } else { return false } })
        }
        return SourceTable(file: path, driver: "CSV", layer: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
                           header: header, rows: rows, layerCRS: nil, checksum: checksum, encodingNote: encodingNote)
    }

    /// Counts well-formed UTF-8 sequences of two to four bytes and bytes that start no
    /// well-formed sequence, with the line of the first such byte.
    static func utf8Evidence(_ bytes: [UInt8]) -> (multiByte: Int, invalid: Int, firstInvalidLine: Int) {
        var multiByte = 0, invalid = 0, firstLine = 0, line = 1, i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { if b == 0x0A { line += 1 }; i += 1; continue }
            let length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
            if length > 0, i + length <= n, String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil {
                multiByte += 1
                i += length
            } else {
                invalid += 1
                if firstLine == 0 { firstLine = line }
                i += 1
            }
        }
        return (multiByte, invalid, firstLine)
    }

    /// The header and features of a CSV file read by OGR's CSV driver; errors name `file`.
    private static func ogrRead(_ readPath: String, file path: String) throws -> (header: [String], features: [VectorFeature]) {
        let dataset: VectorDataset
        do { dataset = try VectorDataset(path: readPath, drivers: ["CSV"]) } catch let error as GeoError {
            throw ImportError.unreadable(file: path, reason: stripFile(error, readPath))
        }
        guard let layer = dataset.layerNames.first else { throw ImportError.unreadable(file: path, reason: "no table") }
        do {
            let info = try dataset.info(layer: layer)
            return (info.fields.map(\.name), try dataset.features(layer: layer))
        } catch let error as GeoError {
            throw ImportError.readFailed(file: path, row: nil, message: stripFile(error, readPath))
        }
    }

    struct RecordScan {
        var separatorFound: Bool
        /// Every non-empty record (header first): the line it starts on and its cell count.
        var records: [(line: Int, fields: Int)]
    }

    /// Splits CSV bytes into records the way OGR's CSV driver does (quotes may span lines, empty
    /// lines are skipped) and counts the cells of each. The separator is the most frequent of
    /// comma, semicolon and tab outside quotes in the header line.
    static func scanRecords(_ bytes: [UInt8]) -> RecordScan {
        let quote: UInt8 = 0x22, newline: UInt8 = 0x0A, ret: UInt8 = 0x0D
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        for b in bytes {
            if b == quote { inQuotes.toggle() } else if !inQuotes {
                if b == newline { break }
                if counts[b] != nil { counts[b]! += 1 }
            }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
        guard best.value > 0 else { return RecordScan(separatorFound: false, records: []) }
        let separator = best.key
        var records: [(line: Int, fields: Int)] = []
        records.reserveCapacity(bytes.count / 40)
        bytes.withUnsafeBufferPointer { buffer in
            var inQuotes = false, fields = 1, line = 1, start = 1, length = 0
            for b in buffer {
                if inQuotes {
                    if b == quote { inQuotes = false } else if b == newline { line += 1 }
                    length += 1
                    continue
                }
                switch b {
                case quote: inQuotes = true; length += 1
                case separator: fields += 1; length += 1
                case newline:
                    if length > 0 { records.append((start, fields)) }
                    line += 1
                    start = line
                    fields = 1
                    length = 0
                case ret: break
                default: length += 1
                }
            }
            if length > 0 { records.append((start, fields)) }
        }
        return RecordScan(separatorFound: true, records: records)
    }
}
