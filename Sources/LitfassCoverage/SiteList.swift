import Foundation
import LitfassGeo
import LitfassRadio
import LitfassScenario

/// A site list: one row per sector, read from a CSV file through GDAL's CSV driver.
///
/// Columns (header names, case-insensitive): `id`, `lon`, `lat` (WGS84 degrees), `height` (antenna
/// centre above ground [m]), `azimuth` [degrees from north], `tilt` (downtilt [degrees]), `band`
/// (a preset name: n78, B3, B20, …), `eirp` (EIRP over the carrier at the pattern maximum [dBm]),
/// `operator`. Optional: `pattern` ("omni", "3gpp-sector" or an .msi file relative to the CSV;
/// default "3gpp-sector"), `frequency_mhz` and `bandwidth_mhz` (default: the operator's carrier in
/// the scenario's assumptions for that band, else the band preset's typical carrier).
/// Rows with the same `id` are sectors of one site (the first row's position is the site's).
public struct SiteList: Sendable {
    /// Sites, one per distinct id, in file order.
    public var sites: [Site]
    /// Sectors, one per row, in file order.
    public var sectors: [Sector]

    static let required = ["id", "lon", "lat", "height", "azimuth", "tilt", "band", "eirp", "operator"]

    /// Reads a site list.
    /// - Parameter assumptions: the scenario's assumptions, for carrier frequencies and bandwidths.
    /// - Throws: `CoverageError.siteList` naming the file, the row (1-based, header not counted)
    ///   and the column of a bad value.
    public static func load(path: String, assumptions: Assumptions) throws -> SiteList {
        let dataset: VectorDataset
        do {
            dataset = try VectorDataset(path: path, openOptions: ["X_POSSIBLE_NAMES=lon*", "Y_POSSIBLE_NAMES=lat*", "KEEP_GEOM_COLUMNS=NO"],
                                        drivers: ["CSV"])
        } catch {
            throw CoverageError.siteList(file: path, row: nil, column: nil, message: "cannot open as CSV: \(error)")
        }
        guard let layer = dataset.layerNames.first else { throw CoverageError.siteList(file: path, row: nil, column: nil, message: "no table") }
        let info: VectorLayerInfo, features: [VectorFeature]
        do {
            info = try dataset.info(layer: layer)
            features = try dataset.features(layer: layer)
        } catch {
            throw CoverageError.siteList(file: path, row: nil, column: nil, message: "\(error)")
        }
        // Field names as written, found case-insensitively; lon/lat became the geometry.
        var names: [String: String] = [:]
        for field in info.fields { names[field.name.lowercased()] = field.name }
        for column in required where column != "lon" && column != "lat" && names[column] == nil {
            throw CoverageError.siteList(file: path, row: nil, column: column,
                                         message: "missing column (needs \(required.joined(separator: ", ")); has \(info.fields.map(\.name).joined(separator: ", ")))")
        }
        guard !features.isEmpty else { throw CoverageError.siteList(file: path, row: nil, column: nil, message: "no rows") }
        let projection: Projection
        do { projection = try Projection(from: .wgs84, to: .utm32N) } catch {
            throw CoverageError.siteList(file: path, row: nil, column: nil, message: "\(error)")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var sites: [Site] = []
        var sectors: [Sector] = []
        var sectorIDs = Set<String>()
        for (offset, feature) in features.enumerated() {
            let row = offset + 1
            func fail(_ column: String?, _ message: String) -> CoverageError {
                CoverageError.siteList(file: path, row: row, column: column, message: message)
            }
            func text(_ column: String) throws -> String {
                guard let value = names[column].flatMap({ feature[$0] })?.text?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                    throw fail(column, "empty")
                }
                return value
            }
            func number(_ column: String, _ unit: String, _ range: ClosedRange<Double>) throws -> Double {
                let raw = try text(column)
                guard let value = Double(raw), value.isFinite else { throw fail(column, "expected a number [\(unit)], got '\(raw)'") }
                guard range.contains(value) else {
                    throw fail(column, "\(raw) \(unit) is outside \(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound))")
                }
                return value
            }
            func optionalNumber(_ column: String, _ unit: String) throws -> Double? {
                guard let name = names[column], let raw = feature[name]?.text?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
                guard let value = Double(raw), value.isFinite, value > 0 else { throw fail(column, "expected a positive number [\(unit)], got '\(raw)'") }
                return value
            }
            guard case .point(let p)? = feature.geometry else {
                throw fail("lon/lat", "expected longitude and latitude in degrees (columns lon…, lat…), found none or not numbers")
            }
            guard (-180...180).contains(p.x), p.x != 0 || p.y != 0 else { throw fail("lon", "\(p.x) is not a longitude in degrees") }
            guard (-90...90).contains(p.y) else { throw fail("lat", "\(p.y) is not a latitude in degrees") }
            let id = try text("id")
            let height = try number("height", "m", 0...1000)
            let azimuth = try number("azimuth", "degrees", -360...360)
            let tilt = try number("tilt", "degrees", -90...90)
            let bandName = try text("band")
            guard let band = Band.named(bandName) else {
                throw fail("band", "unknown band '\(bandName)' (known: \(Band.all.map(\.name).joined(separator: ", ")))")
            }
            let eirp = try number("eirp", "dBm", -30...100)
            let operatorName = try text("operator")
            var pattern = "3gpp-sector"
            if let name = names["pattern"], let value = feature[name]?.text?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                pattern = value
                if !["omni", "macro-panel", "3gpp-sector"].contains(value.lowercased()) {
                    pattern = try Self.patternPath(value, under: directory, fail: { fail("pattern", $0) })
                }
            }
            let carrier = assumptions.operators.first { $0.name == operatorName }?.carriers.first { Band.named($0.band)?.name == band.name }
            let frequency = try optionalNumber("frequency_mhz", "MHz").map { $0 * 1e6 } ?? carrier.map { $0.centreFrequencyMHz.value * 1e6 } ?? band.centreFrequencyHz
            let bandwidth = try optionalNumber("bandwidth_mhz", "MHz").map { $0 * 1e6 } ?? carrier.map { $0.bandwidthMHz.value * 1e6 } ?? band.channelBandwidthHz
            let location: MapPoint
            do { location = try projection.forward([LonLat(lon: p.x, lat: p.y)])[0] } catch {
                throw fail("lon/lat", "cannot be transformed to EPSG:25832: \(error)")
            }
            if !sites.contains(where: { $0.id == id }) {
                sites.append(Site(id: id, kind: .imported, location: location, structureHeightMeters: height, isEquipped: true))
            }
            var sectorID = "\(id)/\(operatorName)/\(band.name)/\(formatNumber(azimuth))"
            if sectorIDs.contains(sectorID) { sectorID += "#\(row)" }
            sectorIDs.insert(sectorID)
            sectors.append(Sector(id: sectorID, siteID: id, operatorName: operatorName, band: band.name, centreFrequencyHz: frequency,
                                  bandwidthHz: bandwidth, eirpDBm: eirp, antennaHeightMeters: height, azimuthDegrees: azimuth,
                                  downtiltDegrees: tilt, pattern: pattern, isAssumption: false))
        }
        return SiteList(sites: sites, sectors: sectors)
    }

    /// The scenario with its sites and sectors replaced by this list (candidate sites kept).
    public func applied(to scenario: Scenario) -> Scenario {
        var s = scenario
        s.sites = sites
        s.sectors = sectors
        return s
    }

    /// Resolves a `pattern` cell to an .msi file under `folder` (the list's folder): a relative
    /// path without `..`, whose real path (symbolic links resolved) lies inside the folder's real
    /// path and is a regular file. Absolute paths and paths leaving the folder are refused, so a
    /// list cannot make Litfass read (or quote) files elsewhere.
    static func patternPath(_ value: String, under folder: URL, fail: (String) -> CoverageError) throws -> String {
        guard !value.hasPrefix("/"), !value.hasPrefix("~") else {
            throw fail("'\(value)' is an absolute path; give omni, macro-panel, 3gpp-sector or an .msi file relative to the site list's folder")
        }
        guard !value.split(separator: "/").contains("..") else {
            throw fail("'\(value)' leaves the site list's folder ('..'); pattern files must lie in it or below it")
        }
        let candidate = folder.appendingPathComponent(value).path
        guard let realFolder = realPath(folder.path), let realFile = realPath(candidate) else {
            throw fail("'\(value)' is neither omni, macro-panel, 3gpp-sector nor an existing .msi file in the site list's folder")
        }
        guard realFile.hasPrefix(realFolder.hasSuffix("/") ? realFolder : realFolder + "/") else {
            throw fail("'\(value)' is a link to a file outside the site list's folder; pattern files must lie in it or below it")
        }
        var info = stat()
        guard stat(realFile, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw fail("'\(value)' is not a regular file")
        }
        return realFile
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
