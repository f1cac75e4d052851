import Foundation
import LitfassGeo
import LitfassRadio
import LitfassScenario

/// A row that passed every check: one sector of one site, in Litfass units.
struct ValidRow: Sendable {
    var number: Int
    var line: Int?
    var operatorName: String
    /// The carrier's site id.
    var siteID: String
    /// The sector's id within the site, without the band (the sector cell, or the azimuth, or "omni").
    var sectorPart: String
    var name: String?
    /// Position [m, EPSG:25832].
    var location: MapPoint
    var structureHeight: Double?
    var antennaHeight: Double
    /// nil: omnidirectional.
    var azimuth: Double?
    var tilt: Double
    var band: Band
    var centreFrequencyHz: Double
    var bandwidthHz: Double
    var eirpDBm: Double
    /// True when the sector's configuration is assumed, not stated by the list (an EMF site list's rows).
    var isAssumption = false
}

/// What the validator needs from the scenario: its area and its assumptions (for defaults).
struct ValidationContext: Sendable {
    /// The area of buildings and streets [m]; nil for a scenario without them.
    var area: BoundingBox?
    var assumptions: Assumptions
}

/// Counts warnings by message, keeping the first rows.
struct WarningCollector {
    private var order: [String] = []
    private var entries: [String: (count: Int, rows: [Int])] = [:]
    /// Every warning with its row.
    private(set) var all: [(row: Int, message: String)] = []

    /// Aggregates warnings, leaving out the rows in `excluded`.
    init(_ items: [(row: Int, message: String)] = [], excluding excluded: Set<Int> = []) {
        for item in items where !excluded.contains(item.row) { add(item.message, row: item.row) }
    }

    mutating func add(_ message: String, row: Int) {
        all.append((row, message))
        if entries[message] == nil { order.append(message); entries[message] = (0, []) }
        entries[message]!.count += 1
        if entries[message]!.rows.count < 10 { entries[message]!.rows.append(row) }
    }

    var warnings: [ImportWarning] { order.map { ImportWarning(message: $0, count: entries[$0]!.count, rows: entries[$0]!.rows) } }
}

/// Checks every row of a table and turns the good ones into `ValidRow`s.
///
/// Checks: site id and operator present; coordinates present, finite, plausible (not 0/0, in
/// range, not more than 1,000 km from the scenario, not lon/lat or x/y swapped; outside the
/// scenario area is only a warning); antenna height 0–300 m; azimuth 0–360°; tilt within ±90°;
/// band or frequency known; bandwidth 1.4–400 MHz; EIRP 0–90 dBm; technology LTE or NR and
/// matching the band; no ragged CSV rows.
struct RowValidator {
    var table: SourceTable
    var mapping: ColumnMapping
    var operatorOverride: String?
    var crsOverride: CRS?
    var context: ValidationContext
    /// The Bundesnetzagentur EMF site list's shape, when the file has it (no operator, no band).
    var emf: EMFProfile?
    /// Lookups that repeat on every row (operators, bands, technologies), done once per value.
    private let cache = LookupCache()
    /// Column of each field by `ImportField.ordinal`, -1 when absent (faster than the dictionary per cell).
    private let columnIndex: [Int]

    init(table: SourceTable, mapping: ColumnMapping, operatorOverride: String?, crsOverride: CRS?, context: ValidationContext,
         emf: EMFProfile? = nil) {
        self.emf = emf
        self.table = table
        self.mapping = mapping
        self.operatorOverride = operatorOverride
        self.crsOverride = crsOverride
        self.context = context
        columnIndex = ImportField.allCases.map { mapping[$0]?.index ?? -1 }
    }

    /// Memoised lookups; used by one validation on one thread.
    final class LookupCache {
        var operators: [String: String] = [:]
        var bands: [String: Band?] = [:]
        var technologies: [String: TechnologyValue] = [:]
    }

    /// How coordinates are read.
    enum CoordinateSource: Sendable { case geometry, lonLat, xy, wkt }

    struct Result {
        var rows: [ValidRow]
        var rejects: [RejectedValue]
        var rejectedRows: Int
        /// Warnings of accepted rows, one per row and kind.
        var warnings: [(row: Int, message: String)]
        var notes: [String]
        var sourceCRS: CRS?
    }

    /// - Throws: `ImportError.missingColumn` when the file lacks a required column.
    func validate() throws -> Result {
        let file = table.file
        var notes: [String] = []
        guard mapping[.site] != nil else {
            throw ImportError.missingColumn(file: file, field: "the site id", columns: table.header,
                                            hint: "name it with --map site=COLUMN")
        }
        if operatorOverride == nil && mapping[.operator] == nil && emf == nil {
            throw ImportError.missingColumn(file: file, field: "the operator", columns: table.header,
                                            hint: "give --operator NAME or --map operator=COLUMN")
        }
        guard mapping[.height] != nil else {
            throw ImportError.missingColumn(file: file, field: "the antenna height", columns: table.header,
                                            hint: "name it with --map height=COLUMN")
        }
        guard mapping[.band] != nil || mapping[.frequency] != nil || emf != nil else {
            throw ImportError.missingColumn(file: file, field: "the band or frequency", columns: table.header,
                                            hint: "name it with --map band=COLUMN or --map frequency=COLUMN")
        }
        let source = try coordinateSource()
        let crs = try sourceCRS(source, notes: &notes)

        // Large files: two halves on two threads, each with its own caches and PROJ context.
        let all = table.rows
        let parts = all.count >= 20_000 ? 2 : 1
        let bounds = (0...parts).map { all.count * $0 / parts }
        var outcomes = [Swift.Result<Chunk, any Error>?](repeating: nil, count: parts)
        let (table, mapping, operatorOverride, crsOverride, context, emf) = (table, mapping, operatorOverride, crsOverride, context, emf)
        outcomes.withUnsafeMutableBufferPointer { results in
            let results = UncheckedBox(results)
            DispatchQueue.concurrentPerform(iterations: parts) { k in
                let worker = RowValidator(table: table, mapping: mapping, operatorOverride: operatorOverride,
                                          crsOverride: crsOverride, context: context, emf: emf)
                results.value[k] = Swift.Result { try worker.validate(all[bounds[k]..<bounds[k + 1]], source: source, crs: crs) }
            }
        }
        var merged = Chunk()
        for outcome in outcomes {
            let chunk = try outcome!.get()
            merged.rows += chunk.rows
            merged.rejects += chunk.rejects
            merged.rejectedRows += chunk.rejectedRows
            merged.warnings += chunk.warnings
        }
        merged.rejects.sort { ($0.row, $0.field) < ($1.row, $1.field) }
        return Result(rows: merged.rows, rejects: merged.rejects, rejectedRows: merged.rejectedRows, warnings: merged.warnings,
                      notes: notes, sourceCRS: crs)
    }

    /// The results of a run of rows.
    struct Chunk {
        var rows: [ValidRow] = []
        var rejects: [RejectedValue] = []
        var rejectedRows = 0
        var warnings: [(row: Int, message: String)] = []
    }

    /// Checks a run of rows: every field, then the positions in one batch.
    fileprivate func validate(_ rowsToCheck: ArraySlice<SourceRow>, source: CoordinateSource, crs: CRS?) throws -> Chunk {
        var rejects: [RejectedValue] = []
        var warnings = WarningCollector()
        var pending: [(row: SourceRow, partial: PartialRow, warnings: [String])] = []
        var rejectedRows = 0
        pending.reserveCapacity(rowsToCheck.count)

        // Pass 1: every field but the position's plausibility.
        for row in rowsToCheck {
            var faults: [RejectedValue] = []
            func reject(_ field: String, _ value: String, _ reason: String) {
                faults.append(RejectedValue(row: row.number, line: row.line, field: field, value: value, reason: reason))
            }
            if row.notUTF8 {
                reject("row", "", "bytes that are not UTF-8, in a file that is otherwise UTF-8 (fix this row's encoding; the other rows are read as UTF-8)")
                rejects += faults
                rejectedRows += 1
                continue
            }
            if let cells = row.raggedFieldCount {
                reject("row", "", "\(cells) cells, the header has \(table.header.count) (ragged row)")
                rejects += faults
                rejectedRows += 1
                continue
            }
            var rowWarnings: [String] = []
            if let partial = checkFields(row, source: source, crs: crs, reject: reject, warn: { rowWarnings.append($0) }), faults.isEmpty {
                pending.append((row, partial, rowWarnings))
            } else {
                rejects += faults
                rejectedRows += 1
            }
        }

        // Pass 2: positions, transformed in one batch, then checked against the scenario area.
        let located = try locate(pending.map(\.partial), crs: crs)
        var rows: [ValidRow] = []
        rows.reserveCapacity(pending.count)
        for (index, item) in pending.enumerated() {
            let row = item.row, partial = item.partial
            switch located[index] {
            case .failure(let reason):
                rejects.append(RejectedValue(row: row.number, line: row.line, field: partial.coordinateField,
                                             value: coordinateText(row, source), reason: reason))
                rejectedRows += 1
            case .success(let point, let warning):
                for message in item.warnings { warnings.add(message, row: row.number) }
                if let warning { warnings.add(warning, row: row.number) }
                rows.append(partial.valid(location: point))
            }
        }
        return Chunk(rows: rows, rejects: rejects, rejectedRows: rejectedRows, warnings: warnings.all)
    }

    // MARK: Coordinates

    fileprivate func coordinateSource() throws -> CoordinateSource {
        let hasGeometry = table.rows.contains { $0.geometry != nil }
        let explicit = mapping.columns.keys.contains { [.lon, .lat, .x, .y, .wkt].contains($0) }
        if table.driver != "CSV" && hasGeometry && !explicit { return .geometry }
        if mapping[.lon] != nil && mapping[.lat] != nil { return .lonLat }
        if mapping[.x] != nil && mapping[.y] != nil { return .xy }
        if mapping[.wkt] != nil { return .wkt }
        if hasGeometry { return .geometry }
        throw ImportError.missingColumn(file: table.file, field: "the coordinates (lon/lat, x/y or WKT)", columns: table.header,
                                        hint: "name them with --map lon=COLUMN --map lat=COLUMN (or x/y with --crs)")
    }

    private static let geographic: Set<Int> = [4326, 4258, 4979, 4937, 4230, 4314]

    private func sourceCRS(_ source: CoordinateSource, notes: inout [String]) throws -> CRS? {
        if let crsOverride { return crsOverride }
        switch source {
        case .lonLat: return .wgs84
        case .geometry where table.layerCRS != nil: return table.layerCRS
        default: break
        }
        // No CRS declared: judge from the values.
        var xs: [Double] = [], ys: [Double] = []
        for row in table.rows.prefix(1000) {
            if let (x, y) = rawPair(row, source) { xs.append(x); ys.append(y) }
        }
        guard !xs.isEmpty else { return .wgs84 }
        if xs.allSatisfy({ abs($0) <= 180 }) && ys.allSatisfy({ abs($0) <= 90 }) {
            notes.append("no CRS given: the coordinates look like WGS84 longitude/latitude (EPSG:4326)")
            return .wgs84
        }
        let utm = xs.allSatisfy { (100_000...900_000).contains($0) || (32_100_000...32_900_000).contains($0) }
            && ys.allSatisfy { (4_000_000...7_000_000).contains($0) }
        if utm {
            notes.append("no CRS given: the coordinates look like ETRS89 / UTM zone 32N (EPSG:25832); give --crs if they are not")
            return .utm32N
        }
        throw ImportError.missingColumn(file: table.file, field: "the coordinate reference system", columns: table.header,
                                        hint: "the coordinates are neither lon/lat nor UTM 32N; give --crs EPSG:CODE")
    }

    /// The two numbers of a row's position as written, without checks.
    private func rawPair(_ row: SourceRow, _ source: CoordinateSource) -> (Double, Double)? {
        switch source {
        case .geometry:
            if case .point(let p)? = row.geometry { return (p.x, p.y) }
            return nil
        case .wkt:
            return mapping[.wkt].flatMap { row.values[$0.index].trimmedText }.flatMap(Self.parseWKTPoint)
        case .lonLat, .xy:
            let (a, b): (ImportField, ImportField) = source == .lonLat ? (.lon, .lat) : (.x, .y)
            guard case .value(let x, _) = NumberReader.parse(row.values[mapping[a]!.index]),
                  case .value(let y, _) = NumberReader.parse(row.values[mapping[b]!.index]) else { return nil }
            return (x, y)
        }
    }

    /// Reads "POINT (6.69 51.2)", "POINT Z (6.69 51.2 40)", "SRID=4326;POINT(6.69 51.2)".
    static func parseWKTPoint(_ text: String) -> (Double, Double)? {
        var body = text.uppercased()
        if let semicolon = body.firstIndex(of: ";"), body.hasPrefix("SRID=") { body = String(body[body.index(after: semicolon)...]) }
        guard body.trimmingCharacters(in: .whitespaces).hasPrefix("POINT"),
              let open = body.firstIndex(of: "("), let close = body.lastIndex(of: ")"), open < close else { return nil }
        let numbers = body[body.index(after: open)..<close].split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
        guard numbers.count >= 2 else { return nil }
        return (numbers[0], numbers[1])
    }

    // MARK: Fields

    /// A row whose fields passed; its position is still to be transformed and checked.
    struct PartialRow {
        var number: Int, line: Int?
        var operatorName: String, siteID: String, sectorPart: String, name: String?
        var x: Double, y: Double
        var coordinateField: String
        var structureHeight: Double?, antennaHeight: Double, azimuth: Double?, tilt: Double
        var band: Band, centreFrequencyHz: Double, bandwidthHz: Double, eirpDBm: Double
        var isAssumption: Bool

        func valid(location: MapPoint) -> ValidRow {
            ValidRow(number: number, line: line, operatorName: operatorName, siteID: siteID, sectorPart: sectorPart, name: name,
                     location: location, structureHeight: structureHeight, antennaHeight: antennaHeight,
                     azimuth: azimuth, tilt: tilt, band: band, centreFrequencyHz: centreFrequencyHz, bandwidthHz: bandwidthHz, eirpDBm: eirpDBm,
                     isAssumption: isAssumption)
        }
    }

    private func cell(_ row: SourceRow, _ field: ImportField) -> FieldValue? {
        let index = columnIndex[field.ordinal]
        return index < 0 ? nil : row.values[index]
    }

    private func text(_ row: SourceRow, _ field: ImportField) -> String? { cell(row, field)?.trimmedText }

    /// Reads a number; nil when missing; reports "not a number" and non-finite values.
    private func number(_ row: SourceRow, _ field: ImportField, reject: (String, String, String) -> Void) -> (Double, HeaderUnit?)?? {
        guard let value = cell(row, field) else { return .some(nil) }
        switch NumberReader.parse(value) {
        case .missing: return .some(nil)
        case .invalid:
            reject(field.rawValue, value.description, "not a number")
            return nil
        case .value(let v, let unit):
            guard v.isFinite else {
                reject(field.rawValue, value.description, "not a finite number")
                return nil
            }
            return .some((v, unit ?? mapping[field]?.unit))
        }
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private func checkFields(_ row: SourceRow, source: CoordinateSource, crs: CRS?,
                             reject: (String, String, String) -> Void, warn: (String) -> Void) -> PartialRow? {
        var ok = true
        func fail(_ field: String, _ value: String, _ reason: String) { ok = false; reject(field, value, reason) }

        // Identity.
        let siteID = text(row, .site)
        if siteID == nil { fail(ImportField.site.rawValue, "", "missing site id") }
        var operatorName = operatorOverride ?? text(row, .operator) ?? emf.flatMap { $0.operatorName.isEmpty ? nil : $0.operatorName }
        if let emf, let fault = emf.serviceFault(row), let column = emf.serviceColumn {
            fail(table.header[column], fault.value, fault.reason)
        }
        if operatorName == nil { fail(ImportField.operator.rawValue, "", "missing operator (give --operator NAME)") }
        if let name = operatorName {
            if let known = cache.operators[name] { operatorName = known } else {
                let canonical = canonicalOperator(name)
                cache.operators[name] = canonical
                operatorName = canonical
            }
        }

        // Position as written.
        var x = 0.0, y = 0.0, coordinateField = "lon/lat"
        // The coordinates as written, for messages only (built when a message needs them).
        var coordinateText: String { self.coordinateText(row, source) }
        switch source {
        case .geometry:
            coordinateField = "geometry"
            switch row.geometry {
            case .point(let p)?: (x, y) = (p.x, p.y)
            case .multiPoint(let ps)? where ps.count == 1: (x, y) = (ps[0].x, ps[0].y)
            case nil: fail("geometry", "", "missing geometry")
            case let other?: fail("geometry", "\(other.kindName)", "not a point")
            }
        case .wkt:
            coordinateField = "wkt"
            let written = text(row, .wkt) ?? ""
            if let (a, b) = Self.parseWKTPoint(written) { (x, y) = (a, b) } else if let geometry = row.geometry, case .point(let p) = geometry {
                (x, y) = (p.x, p.y)
            } else {
                fail("wkt", written, written.isEmpty ? "missing coordinates" : "not a WKT point")
            }
        case .lonLat, .xy:
            let (a, b): (ImportField, ImportField) = source == .lonLat ? (.lon, .lat) : (.x, .y)
            coordinateField = source == .lonLat ? "lon/lat" : "x/y"
            var ta: String { cell(row, a)?.description ?? "" }
            var tb: String { cell(row, b)?.description ?? "" }
            let pa = NumberReader.parse(cell(row, a) ?? .null), pb = NumberReader.parse(cell(row, b) ?? .null)
            switch (pa, pb) {
            case (.value(let va, _), .value(let vb, _)):
                if !va.isFinite { fail(a.rawValue, ta, "not a finite number") }
                if !vb.isFinite { fail(b.rawValue, tb, "not a finite number") }
                (x, y) = (va, vb)
            default:
                if pa == .missing { fail(a.rawValue, ta, "missing coordinate") }
                if pa == .invalid { fail(a.rawValue, ta, "not a number") }
                if pb == .missing { fail(b.rawValue, tb, "missing coordinate") }
                if pb == .invalid { fail(b.rawValue, tb, "not a number") }
            }
        }
        if ok, let crs, Self.geographic.contains(crs.epsg) {
            if x == 0 && y == 0 {
                fail(coordinateField, coordinateText, "0/0 is a placeholder, not a position")
            } else if abs(y) > 90 {
                fail(coordinateField, coordinateText, abs(x) <= 90 && abs(y) <= 180
                     ? "latitude \(y) is outside ±90°: longitude and latitude look swapped"
                     : "latitude \(y) is outside ±90°")
            } else if abs(x) > 180 {
                fail(coordinateField, coordinateText, "longitude \(x) is outside ±180°")
            }
        } else if ok, x == 0 && y == 0 {
            fail(coordinateField, coordinateText, "0/0 is a placeholder, not a position")
        }
        // Zone prefix of German UTM eastings ("32345678.9" → 345678.9).
        if let crs, [25832, 32632, 4647].contains(crs.epsg), x >= 32_000_000, x < 33_000_000 { x -= 32_000_000 }

        // Heights.
        var antennaHeight = 0.0
        switch number(row, .height, reject: fail) {
        case .some(.some((let h, _))):
            if h < 0 || h > 300 { fail(ImportField.height.rawValue, cellText(row, .height), "antenna height \(format(h)) m is outside 0–300 m") }
            antennaHeight = h
        case .some(.none): fail(ImportField.height.rawValue, "", "missing antenna height")
        case .none: break
        }
        var structureHeight: Double?
        if case .some(.some((let h, _))) = number(row, .structureHeight, reject: fail) {
            if h < 0 || h > 300 { fail(ImportField.structureHeight.rawValue, cellText(row, .structureHeight), "structure height \(format(h)) m is outside 0–300 m") }
            structureHeight = h
        }

        // Direction.
        var azimuth: Double?
        if case .some(.some((let a, _))) = number(row, .azimuth, reject: fail) {
            if a < 0 || a > 360 { fail(ImportField.azimuth.rawValue, cellText(row, .azimuth), "azimuth \(format(a))° is outside 0–360°") }
            azimuth = a == 360 ? 0 : a
        }
        var tilt: Double?
        if case .some(.some((let t, _))) = number(row, .tilt, reject: fail) {
            tilt = t
        } else {
            var parts: [Double] = []
            if case .some(.some((let m, _))) = number(row, .mechanicalTilt, reject: fail) { parts.append(m) }
            if case .some(.some((let e, _))) = number(row, .electricalTilt, reject: fail) { parts.append(e) }
            if !parts.isEmpty { tilt = parts.reduce(0, +) }
        }
        if let t = tilt, abs(t) > 90 {
            fail(ImportField.tilt.rawValue, mapping[.tilt] != nil ? cellText(row, .tilt) : format(t), "tilt \(format(t))° is outside ±90°")
        }
        if tilt == nil {
            tilt = context.assumptions.macroSites.downtiltDegrees.value
            warn("no tilt given: took \(format(tilt!))° (the scenario's assumed macro downtilt)")
        }

        // Technology and band.
        var technology: TechnologyValue?
        if let t = text(row, .technology) {
            if let known = cache.technologies[t] { technology = known } else {
                technology = TechnologyValue(text: t)
                cache.technologies[t] = technology
            }
            switch technology! {
            case .unsupported: fail(ImportField.technology.rawValue, t, "\(t) is not modelled (LTE and NR only)")
            case .unknown: fail(ImportField.technology.rawValue, t, "unknown technology (expected LTE/4G or NR/5G)")
            default: break
            }
        }
        let tech = technology?.radio
        var band: Band?
        if let written = text(row, .band) {
            let key = tech.map { "\($0.rawValue)|" + written } ?? written
            if let known = cache.bands[key] { band = known } else {
                band = BandResolver.band(named: written, technology: tech)
                cache.bands[key] = band
            }
            if band == nil { fail(ImportField.band.rawValue, written, "unknown band (known: \(BandResolver.knownNames))") }
        }
        var centre: Double?
        if case .some(.some((let f, let unit))) = number(row, .frequency, reject: fail) {
            let hz = Self.hertz(f, unit: unit)
            let written = cellText(row, .frequency)
            if let known = band {
                let halfWidth = known.channelBandwidthHz / 2
                if hz >= known.downlinkLowHz - halfWidth && hz <= known.downlinkHighHz + halfWidth {
                    centre = hz
                } else if BandResolver.nominalBand(mhz: hz / 1e6, technology: known.technology) != known {
                    fail(ImportField.frequency.rawValue, written,
                         "\(format(hz / 1e6)) MHz is outside band \(known.name) (\(format(known.downlinkLowHz / 1e6))–\(format(known.downlinkHighHz / 1e6)) MHz)")
                }
            } else if band == nil && mapping[.band].flatMap({ row.values[$0.index].trimmedText }) == nil {
                if let found = BandResolver.bands(containing: hz, technology: tech).first {
                    band = found
                    centre = hz
                } else if let found = BandResolver.nominalBand(mhz: hz / 1e6, technology: tech) {
                    band = found
                } else {
                    fail(ImportField.frequency.rawValue, written, "\(format(hz / 1e6)) MHz is in no known band (\(BandResolver.knownNames))")
                }
            }
        }
        if band == nil, mapping[.band] == nil, mapping[.frequency] == nil, let emf { band = emf.band }
        if band == nil && ok { fail(mapping[.band] != nil ? ImportField.band.rawValue : ImportField.frequency.rawValue, "", "missing band and frequency") }
        if let band, let tech, band.technology != tech, case .some = technology {
            fail(ImportField.technology.rawValue, text(row, .technology) ?? "", "\(band.name) is \(band.technology.rawValue), not \(tech.rawValue)")
        }

        // Defaults for this operator and band from the scenario's assumptions.
        let carrier = band.flatMap { b in
            context.assumptions.operators.first { $0.name == operatorName }?.carriers.first { $0.band == b.name }
                ?? context.assumptions.operators.lazy.compactMap { $0.carriers.first { $0.band == b.name } }.first
        }
        var bandwidth: Double?
        if case .some(.some((let w, let unit))) = number(row, .bandwidth, reject: fail) {
            let hz = unit.map { Self.hertz(w, unit: $0) } ?? (w > 1000 ? w : w * 1e6)
            if hz < 1.4e6 || hz > 400e6 { fail(ImportField.bandwidth.rawValue, cellText(row, .bandwidth), "bandwidth \(format(hz / 1e6)) MHz is outside 1.4–400 MHz") }
            bandwidth = hz
        }

        // Power.
        var eirp: Double?
        if case .some(.some((let p, let unit))) = number(row, .eirp, reject: fail) {
            if let dBm = Self.dBm(p, unit: unit) {
                eirp = dBm + (mapping[.eirp]?.isERP == true ? 2.15 : 0)
            } else {
                fail(ImportField.eirp.rawValue, cellText(row, .eirp), "a power in watts must be positive")
            }
        } else if case .some(.some((let p, let unit))) = number(row, .power, reject: fail) {
            if let dBm = Self.dBm(p, unit: unit) {
                if dBm < -10 || dBm > 70 { fail(ImportField.power.rawValue, cellText(row, .power), "transmit power \(format(dBm)) dBm is outside −10–70 dBm") }
                var gain = 0.0
                if case .some(.some((let g, _))) = number(row, .gain, reject: fail) {
                    if g < -10 || g > 40 { fail(ImportField.gain.rawValue, cellText(row, .gain), "antenna gain \(format(g)) dBi is outside −10–40 dBi") }
                    gain = g
                } else {
                    warn("no antenna gain given: transmit power taken as EIRP")
                }
                eirp = dBm + gain
            } else {
                fail(ImportField.power.rawValue, cellText(row, .power), "a power in watts must be positive")
            }
        } else if let carrier {
            eirp = carrier.eirpDBm.value
            warn("no EIRP given: took the scenario's assumed EIRP for the band")
        } else if band != nil {
            fail(mapping[.eirp] != nil ? ImportField.eirp.rawValue : ImportField.power.rawValue, "", "missing EIRP and no assumption for band \(band!.name)")
        }
        if let e = eirp, e < 0 || e > 90 {
            let field = mapping[.eirp] != nil ? ImportField.eirp : ImportField.power
            fail(field.rawValue, cellText(row, field), "EIRP \(format(e)) dBm is outside 0–90 dBm")
        }

        guard ok, let siteID, let operatorName, let band, let eirp, let tilt else { return nil }
        let sectorPart = text(row, .sector) ?? emf?.sectorPart(rowIndex: row.number - 1) ?? azimuth.map(format) ?? "omni"
        return PartialRow(number: row.number, line: row.line, operatorName: operatorName, siteID: siteID, sectorPart: sectorPart,
                          name: text(row, .name), x: x, y: y, coordinateField: coordinateField,
                          structureHeight: structureHeight, antennaHeight: antennaHeight, azimuth: azimuth, tilt: tilt, band: band,
                          centreFrequencyHz: centre ?? carrier.map { $0.centreFrequencyMHz.value * 1e6 } ?? band.centreFrequencyHz,
                          bandwidthHz: bandwidth ?? carrier.map { $0.bandwidthMHz.value * 1e6 } ?? band.channelBandwidthHz,
                          eirpDBm: eirp, isAssumption: emf != nil)
    }

    private func cellText(_ row: SourceRow, _ field: ImportField) -> String { cell(row, field)?.description ?? "" }

    /// A row's position as written: "6,6912 51,1983", the WKT text, or the geometry's point.
    func coordinateText(_ row: SourceRow, _ source: CoordinateSource) -> String {
        switch source {
        case .geometry:
            switch row.geometry {
            case .point(let p)?: return "POINT (\(p.x) \(p.y))"
            case .multiPoint(let ps)? where ps.count == 1: return "POINT (\(ps[0].x) \(ps[0].y))"
            case let other?: return other.kindName
            case nil: return ""
            }
        case .wkt: return text(row, .wkt) ?? ""
        case .lonLat: return cellText(row, .lon) + " " + cellText(row, .lat)
        case .xy: return cellText(row, .x) + " " + cellText(row, .y)
        }
    }

    /// The operator as the scenario spells it ("telekom", "Deutsche Telekom" → "Telekom";
    /// "Telefónica" → "Telefonica"); others as written.
    private func canonicalOperator(_ name: String) -> String {
        let fold = { (s: String) in s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        let key = fold(name)
        let known = context.assumptions.operators.map(\.name)
        if let exact = known.first(where: { fold($0) == key }) { return exact }
        if let contained = known.first(where: { key.contains(fold($0)) }) { return contained }
        return name
    }

    static func hertz(_ value: Double, unit: HeaderUnit?) -> Double {
        switch unit {
        case .hertz?: return value
        case .kilohertz?: return value * 1e3
        case .megahertz?: return value * 1e6
        case .gigahertz?: return value * 1e9
        default:
            // By magnitude: 3.6 → GHz, 1842.5 → MHz, 806000000 → Hz.
            if value < 100 { return value * 1e9 }
            if value < 100_000 { return value * 1e6 }
            return value
        }
    }

    /// A power in dBm; nil for a non-positive value in watts.
    static func dBm(_ value: Double, unit: HeaderUnit?) -> Double? {
        switch unit {
        case .watt?: return value > 0 ? 10 * log10(value) + 30 : nil
        case .dBW?: return value + 30
        default: return value
        }
    }

    // MARK: Positions

    enum Located {
        case success(MapPoint, warning: String?)
        case failure(String)
    }

    /// Transforms every position to EPSG:25832 and checks it against the scenario area.
    private func locate(_ rows: [PartialRow], crs: CRS?) throws -> [Located] {
        guard !rows.isEmpty else { return [] }
        let source = crs ?? .utm32N
        let projection: Projection?
        do { projection = source == .utm32N ? nil : try Projection(from: source, to: .utm32N) } catch {
            throw ImportError.unreadable(file: table.file, reason: "coordinate system \(source) is unknown to PROJ")
        }
        func transform(_ xs: [Double], _ ys: [Double]) -> [MapPoint?] {
            guard let projection else { return zip(xs, ys).map { MapPoint(x: $0, y: $1) } }
            var tx = xs, ty = ys
            if (try? projection.transform(x: &tx, y: &ty)) != nil { return zip(tx, ty).map { MapPoint(x: $0, y: $1) } }
            // Some point failed: one by one.
            return zip(xs, ys).map { x, y in
                var px = [x], py = [y]
                guard (try? projection.transform(x: &px, y: &py)) != nil else { return nil }
                return MapPoint(x: px[0], y: py[0])
            }
        }
        let points = transform(rows.map(\.x), rows.map(\.y))
        guard let area = context.area else {
            return points.map { $0.map { .success($0, warning: nil) } ?? .failure("cannot be transformed from \(source) to EPSG:25832") }
        }
        // Far points: would they lie in the area with the two coordinates exchanged?
        let far = points.indices.filter { points[$0].map { distance($0, area) > 100_000 } ?? true }
        let swapped = transform(far.map { rows[$0].y }, far.map { rows[$0].x })
        var swappedAt: [Int: MapPoint?] = [:]
        for (k, index) in far.enumerated() { swappedAt[index] = swapped[k] }
        let names = Self.geographic.contains(source.epsg) ? "longitude and latitude" : "x and y"
        return points.indices.map { index in
            if let s = swappedAt[index], let s, distance(s, area) <= 20_000 {
                return .failure("\(names) look swapped: exchanged, the site lies in the scenario area")
            }
            guard let point = points[index] else { return .failure("cannot be transformed from \(source) to EPSG:25832") }
            let d = distance(point, area)
            if d == 0 { return .success(point, warning: nil) }
            if d > 1_000_000 {
                return .failure("\(Int((d / 1000).rounded())) km from the scenario area: wrong coordinates or --crs?")
            }
            return .success(point, warning: "outside the scenario area (accepted)")
        }
    }

    private func distance(_ p: MapPoint, _ box: BoundingBox) -> Double {
        let dx = max(box.minX - p.x, 0, p.x - box.maxX), dy = max(box.minY - p.y, 0, p.y - box.maxY)
        return (dx * dx + dy * dy).squareRoot()
    }
}

/// Hands a value to `concurrentPerform`'s workers, each of which touches only its own part of it.
struct UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Short decimal text: "120", "6.5", "0.25".
func format(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

extension Geometry {
    var kindName: String {
        switch self {
        case .point: return "point"
        case .lineString: return "line"
        case .polygon: return "polygon"
        case .multiPoint: return "multipoint"
        case .multiLineString: return "multiline"
        case .multiPolygon: return "multipolygon"
        case .collection: return "geometry collection"
        }
    }
}

/// Checks rows while the file is still being read (GeoJSON: GDAL parses on one thread, this runs on
/// the other), in runs of `runLength` rows; the result is the one `RowValidator.validate()` gives
/// for the whole table (every check is per row; lookups are only memoised).
///
/// Started only where the first rows decide everything `validate()` decides from the whole
/// table: every required column is there, positions come from the layer's point geometries (a
/// non-CSV layer whose first rows have geometries) and the layer declares its CRS (or `--crs`).
final class StreamingValidation {
    static let runLength = 32_768
    private let validator: RowValidator
    private let crs: CRS?
    private var pending: [SourceRow] = []
    private var chunks: [RowValidator.Chunk] = []
    private var failure: (any Error)?

    private init(validator: RowValidator, crs: CRS?) {
        self.validator = validator
        self.crs = crs
    }

    /// A streaming validation for a table whose header, driver and CRS are known and whose first
    /// rows are `first`; nil when the whole table must be seen first (then `validate()` runs after the read).
    static func start(file: String, header: [String], driver: String, layerCRS: CRS?, first: ArraySlice<SourceRow>,
                      mapping: ColumnMapping, operatorOverride: String?, crsOverride: CRS?, context: ValidationContext) -> StreamingValidation? {
        guard driver != "CSV", first.contains(where: { $0.geometry != nil }), let crs = crsOverride ?? layerCRS,
              mapping[.site] != nil, operatorOverride != nil || mapping[.operator] != nil, mapping[.height] != nil,
              mapping[.band] != nil || mapping[.frequency] != nil else { return nil }
        let table = SourceTable(file: file, driver: driver, layer: "", header: header, rows: Array(first), layerCRS: layerCRS,
                                checksum: "", encodingNote: nil)
        let validator = RowValidator(table: table, mapping: mapping, operatorOverride: operatorOverride, crsOverride: crsOverride,
                                     context: context)
        guard (try? validator.coordinateSource()) == .geometry else { return nil }
        return StreamingValidation(validator: validator, crs: crs)
    }

    /// Takes the next rows (in file order).
    func add(_ rows: ArraySlice<SourceRow>) {
        pending += rows
        if pending.count >= Self.runLength { check() }
    }

    private func check() {
        guard failure == nil, !pending.isEmpty else { pending = []; return }
        do { chunks.append(try validator.validate(pending[...], source: .geometry, crs: crs)) } catch { failure = error }
        pending = []
    }

    /// The result for every row added, as `RowValidator.validate()` gives it.
    /// - Throws: what checking a run threw (a CRS PROJ does not know).
    func result() throws -> RowValidator.Result {
        check()
        if let failure { throw failure }
        var merged = RowValidator.Chunk()
        for chunk in chunks {
            merged.rows += chunk.rows
            merged.rejects += chunk.rejects
            merged.rejectedRows += chunk.rejectedRows
            merged.warnings += chunk.warnings
        }
        merged.rejects.sort { ($0.row, $0.field) < ($1.row, $1.field) }
        return RowValidator.Result(rows: merged.rows, rejects: merged.rejects, rejectedRows: merged.rejectedRows,
                                   warnings: merged.warnings, notes: [], sourceCRS: crs)
    }
}
