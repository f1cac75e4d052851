import Foundation
import LitfassGeo
import LitfassScenario

/// Writes a coverage result into a folder: per operator Cloud-Optimised GeoTIFFs (RSRP, best
/// server + legend CSV, SINR, downlink and uplink throughput; band 1 the operator's combination,
/// one more band per carrier), `height.tif`, PNG previews of every map, and `summary.json`.
public struct CoverageWriter: Sendable {
    /// Whether to draw the PNG previews (they take a moment on large grids).
    public var previews: Bool

    /// A writer; previews on by default.
    public init(previews: Bool = true) { self.previews = previews }

    /// The file-name stem of an operator: lower case, letters and digits, other characters as "-"
    /// ("Telekom" → "telekom", "Telefónica" → "telef-nica").
    public static func slug(_ name: String) -> String {
        let mapped = name.lowercased().map { c -> Character in c.isASCII && (c.isLetter || c.isNumber) ? c : "-" }
        return String(mapped)
    }

    /// For tests only: fail after this many files have been written (a stand-in for a full disk).
    var failAfterFiles: Int?

    /// Writes every output; creates the folder when needed.
    ///
    /// The output is whole or absent: every file is first written into a staging folder beside
    /// `directory` (or in it, when its parent is not writable; the same file system either way); only when all of them are written are the outputs of an
    /// earlier run in `directory` (`isCoverageOutput`) removed, `summary.json` first, and the new files
    /// renamed into place, `summary.json` last. A failure leaves `directory` as it was. Other files
    /// in `directory` are left alone.
    /// - Parameter summary: the result's summary when the caller has it already; without it, it is computed beside
    ///   the maps (it is not cheap on large grids).
    /// - Returns: the paths written, in writing order.
    /// - Throws: `CoverageError.output` naming the file that failed.
    @discardableResult
    public func write(_ result: CoverageResult, to directory: String, summary: CoverageSummary? = nil) throws -> [String] {
        try writeReturningSummary(result, to: directory, summary: summary).files
    }

    /// `write`, returning the summary written as `summary.json` too (computed beside the maps when not given).
    public func writeReturningSummary(_ result: CoverageResult, to directory: String,
                                      summary: CoverageSummary? = nil) throws -> (files: [String], summary: CoverageSummary) {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw CoverageError.output(file: directory, message: "cannot create the output folder: \(error.localizedDescription)")
        }
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        // Beside the target; inside it when its parent is not writable (the same file system either way, so renames are atomic).
        func makeStaging(_ template: String) -> String? {
            var bytes = Array(template.utf8CString)
            return bytes.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!).map { String(cString: $0) } }
        }
        guard let staging = makeStaging(target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).litfass-XXXXXX").path)
                ?? makeStaging(target.appendingPathComponent(".litfass-staging-XXXXXX").path) else {
            throw CoverageError.output(file: directory, message: "cannot create a staging folder beside it or in it: \(String(cString: strerror(errno)))")
        }
        defer { try? fm.removeItem(atPath: staging) }
        let (names, written) = try writeFiles(result, into: staging, summary: summary)
        // Commit: stale outputs out (summary first, so a half-moved folder never looks complete), new files in (summary last).
        let existing = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
        let stale = existing.filter { Self.isCoverageOutput($0) }.sorted { ($0 == "summary.json" ? 0 : 1, $0) < ($1 == "summary.json" ? 0 : 1, $1) }
        for name in stale where name == "summary.json" || !names.contains(name) {
            let file = target.appendingPathComponent(name).path
            guard unlink(file) == 0 || errno == ENOENT else {
                throw CoverageError.output(file: file, message: "cannot remove the earlier run's file: \(String(cString: strerror(errno)))")
            }
        }
        let order = names.filter { $0 != "summary.json" } + names.filter { $0 == "summary.json" }
        for name in order {
            let file = target.appendingPathComponent(name).path
            guard rename(staging + "/" + name, file) == 0 else {
                throw CoverageError.output(file: file, message: "cannot move into place: \(String(cString: strerror(errno)))")
            }
        }
        return (names.map { URL(fileURLWithPath: directory).appendingPathComponent($0).path }, written)
    }

    /// Whether a file name is one `write` produces (`summary.json`, `height.tif`, `height.png`,
    /// `<op>-<map>.tif`/`.png`, `<op>-best-server-legend.csv`): the files a rerun replaces or removes.
    public static func isCoverageOutput(_ name: String) -> Bool {
        if ["summary.json", "height.tif", "height.png"].contains(name) { return true }
        if name.hasSuffix("-best-server-legend.csv") { return true }
        let maps = ["-rsrp", "-best-server", "-sinr", "-dl-throughput", "-ul-throughput"]
        return maps.contains { name.hasSuffix($0 + ".tif") || name.hasSuffix($0 + ".png") }
    }

    /// Writes every output into `directory` (an empty staging folder).
    /// - Returns: the file names written, in writing order, and the summary written.
    func writeFiles(_ result: CoverageResult, into directory: String, summary: CoverageSummary?) throws -> ([String], CoverageSummary) {
        // The files are collected as jobs and written in parallel (`threads` at a time, each GeoTIFF's tiles compressed on
        // `threads` threads too), each job deriving what it draws or writes itself; the summary, when not given, is computed
        // beside them. Every file's content is the same as when written one after the other.
        var jobs: [(name: String, write: @Sendable () throws -> Void)] = []
        let grid = result.grid
        let base = baseMetadata(result)
        func path(_ name: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(name).path }
        let threads = max(1, result.options.threads)
        /// A GeoTIFF job. With `sceneCacheKey`, the file is copied from the scene cache when this build wrote the same file for
        /// the same scene before (`SceneCache.heightRasterPath`), else written and stored there.
        func tiff(_ name: String, _ bands: @escaping @Sendable () -> [RasterBand], _ extra: [String: String], overviews: OverviewResampling = .average,
                  sceneCacheKey: String? = nil) {
            let file = path(name), metadata = base.merging(extra) { $1 }
            let cached = sceneCacheKey.flatMap { key in
                result.options.sceneCacheDirectory.flatMap { SceneCache.heightRasterPath(directory: $0, sceneKey: key, metadata: metadata) }
            }
            jobs.append((name, {
                if let cached, SceneCache.copyHeightRaster(from: cached, to: file) { return }
                do { try RasterIO.writeGeoTIFF(path: file, grid: grid, bands: bands(), metadata: metadata, overviews: overviews, threads: threads) } catch {
                    throw CoverageError.output(file: file, message: "\(error)")
                }
                if let cached, let sceneCacheKey { SceneCache.storeHeightRaster(file, at: cached, sceneKey: sceneCacheKey) }
            }))
        }
        func png(_ name: String, _ renderer: @escaping @Sendable () -> PreviewRenderer, _ values: @escaping @Sendable () -> [Float], noData: Float) {
            guard previews else { return }
            let file = path(name)
            jobs.append((name, {
                let canvas = renderer().render(values: values(), noData: noData, grid: grid)
                do { try RasterIO.writePNG(path: file, rgba: canvas.pixels, width: canvas.width, height: canvas.height) } catch {
                    throw CoverageError.output(file: file, message: "\(error)")
                }
            }))
        }
        let noData = CoverageResult.noData
        let attribution = result.provenance.attribution.isEmpty ? "© OpenStreetMap contributors, ODbL 1.0" : result.provenance.attribution
        let illustrative = result.isIllustrative
            ? "ILLUSTRATIVE: antenna configurations (sites, powers, azimuths, tilts) are assumptions, not operator data" : nil
        let outlines = result.buildings.flatMap(\.footprint).filter { $0.boundingBox.intersects(grid.boundingBox) }
        let subtitleTail = "\(formatNumber(grid.cellSizeMeters)) m grid · model \(result.options.model.rawValue) · Litfass \(LitfassVersion.string)"

        // Heights: they depend only on the scene, so the file comes from the scene cache when the scene does.
        let scene = result.scene
        tiff("height.tif", {
            [RasterBand(values: (0..<grid.cellCount).map { scene.groundHeightMeters[$0] + scene.buildingHeightMeters[$0] }, noDataValue: nil,
                        description: "Surface height [m] (ground + building)"),
             RasterBand(values: scene.buildingHeightMeters, noDataValue: nil, description: "Building height above ground [m]"),
             RasterBand(values: scene.groundHeightMeters, noDataValue: nil, description: "Ground height [m]")]
        }, ["LITFASS_QUANTITY": "height raster used by the kernel", "LITFASS_UNIT": "m"], sceneCacheKey: result.sceneCacheKey)
        let allSites = result.sites.map { SiteMarker(position: $0.location, azimuthsDegrees: []) }
        png("height.png", {
            let top = Self.heightRampTop(scene.buildingHeightMeters)
            var heightPreview = PreviewRenderer(
                title: "Building heights used by the kernel", subtitle: "height of the building above ground · " + subtitleTail,
                legendTitle: "Height [m]", style: .ramp(.fromZero(to: top, stops: ColorRamp.viridis)),
                attribution: attribution, illustrative: nil, outlines: [], sites: allSites)
            heightPreview.noDataLabel = "no building"
            return heightPreview
        }, { scene.buildingHeightMeters.map { $0 > 0 ? $0 : -1 } }, noData: -1)

        for op in result.operators {
            let stem = Self.slug(op.name)
            let carriers = op.carriers
            let combination = "band 1: strongest carrier per cell (RSRP, SINR, best server) or sum over carriers (downlink throughput) or best single carrier (uplink throughput); bands 2-\(carriers.count + 1): "
                + carriers.map(\.label).joined(separator: ", ")
            let meta = ["LITFASS_OPERATOR": op.name, "LITFASS_COMBINATION": combination]
            /// The map's bands, made when its job runs.
            func bands(_ name: String, _ combined: @escaping @Sendable () -> [Float], _ perCarrier: @escaping @Sendable (CarrierCoverage) -> [Float],
                       nodata: Float, combinedNote: String) -> @Sendable () -> [RasterBand] {
                { [RasterBand(values: combined(), noDataValue: nodata, description: "\(name), \(combinedNote)")]
                    + carriers.map { RasterBand(values: perCarrier($0), noDataValue: nodata, description: "\(name), \($0.label)") } }
            }
            let markers = Self.markers(for: op, sites: result.sites)
            let strongest = "strongest carrier"
            /// The map's preview, drawn when its job runs.
            func renderer(_ title: String, _ legend: String, _ style: @escaping @Sendable () -> PreviewStyle, _ what: String) -> @Sendable () -> PreviewRenderer {
                { PreviewRenderer(title: "\(op.name) · \(title)", subtitle: what + " · " + subtitleTail, legendTitle: legend, style: style(),
                                  attribution: attribution, illustrative: illustrative, outlines: outlines, sites: markers) }
            }

            tiff("\(stem)-rsrp.tif", bands("RSRP [dBm per resource element]", { op.combined.rsrpDBm }, { $0.maps.rsrpDBm }, nodata: noData, combinedNote: strongest),
                     meta.merging(["LITFASS_QUANTITY": "RSRP", "LITFASS_UNIT": "dBm per resource element"]) { $1 })
            png("\(stem)-rsrp.png", renderer("RSRP", "RSRP [dBm]", { .ramp(ColorRamp(minimum: -130, maximum: -50, stops: ColorRamp.viridis,
                                                                                           ticks: [-130, -120, -110, -100, -90, -80, -70, -60, -50])) },
                                                 "per resource element, strongest carrier"), { op.combined.rsrpDBm }, noData: noData)

            let serverValues: @Sendable () -> [Float] = { op.combined.bestServer.map { Float($0) } }
            tiff("\(stem)-best-server.tif", bands("Best server (row of \(stem)-best-server-legend.csv)", serverValues,
                                                       { $0.maps.bestServer.map { Float($0) } }, nodata: -1, combinedNote: strongest),
                     meta.merging(["LITFASS_QUANTITY": "best server", "LITFASS_UNIT": "index into \(stem)-best-server-legend.csv",
                                   "LITFASS_LEGEND": "\(stem)-best-server-legend.csv"]) { $1 }, overviews: .nearest)
            let legend = path("\(stem)-best-server-legend.csv"), legendText = Self.legendCSV(op)
            jobs.append(("\(stem)-best-server-legend.csv", {
                do { try legendText.write(toFile: legend, atomically: true, encoding: .utf8) } catch {
                    throw CoverageError.output(file: legend, message: "cannot write: \(error.localizedDescription)")
                }
            }))
            let (colors, legendEntries) = Self.serverColors(op)
            png("\(stem)-best-server.png", renderer("Best server", "Site", { .categories(colors: colors, legend: legendEntries,
                                                                                            footnote: "shades: the site's sectors\nsector ids: \(stem)-best-server-legend.csv") },
                                                        "sector with the strongest RSRP, strongest carrier"), serverValues, noData: -1)

            tiff("\(stem)-sinr.tif", bands("Downlink SINR [dB]", { op.combined.sinrDB }, { $0.maps.sinrDB }, nodata: noData, combinedNote: strongest),
                     meta.merging(["LITFASS_QUANTITY": "downlink SINR", "LITFASS_UNIT": "dB"]) { $1 })
            png("\(stem)-sinr.png", renderer("Downlink SINR", "SINR [dB]", { .ramp(ColorRamp(minimum: -10, maximum: 30, stops: ColorRamp.redYellowGreen,
                                                                                               ticks: [-10, 0, 10, 20, 30])) },
                                                 "serving vs. co-channel sectors + noise, strongest carrier"), { op.combined.sinrDB }, noData: noData)

            tiff("\(stem)-dl-throughput.tif", bands("Downlink throughput [Mbit/s]", { op.combined.downlinkMbps }, { $0.maps.downlinkMbps }, nodata: noData,
                                                         combinedNote: "sum over carriers"),
                     meta.merging(["LITFASS_QUANTITY": "downlink throughput", "LITFASS_UNIT": "Mbit/s"]) { $1 })
            png("\(stem)-dl-throughput.png", renderer("Downlink throughput", "DL [Mbit/s]",
                                                          { .ramp(.fromZero(to: Double(op.combined.downlinkMbps.max() ?? 1), stops: ColorRamp.yellowGreenBlue)) },
                                                          "TR 36.942 Shannon per layer, TS 38.306 cap, sum over carriers"), { op.combined.downlinkMbps }, noData: noData)

            tiff("\(stem)-ul-throughput.tif", bands("Uplink throughput [Mbit/s]", { op.combined.uplinkMbps }, { $0.maps.uplinkMbps }, nodata: noData,
                                                         combinedNote: "best single carrier"),
                     meta.merging(["LITFASS_QUANTITY": "uplink throughput", "LITFASS_UNIT": "Mbit/s"]) { $1 })
            png("\(stem)-ul-throughput.png", renderer("Uplink throughput", "UL [Mbit/s]",
                                                          { .ramp(.fromZero(to: Double(op.combined.uplinkMbps.max() ?? 1), stops: ColorRamp.yellowGreenBlue)) },
                                                          "TR 36.942 Shannon, UE \(formatNumber(result.options.assumptions.ueTransmitPowerDBm)) dBm on the best single carrier"),
                    { op.combined.uplinkMbps }, noData: noData)
        }

        // Index 0 computes the summary when the caller has none (beside the files), the others write the files.
        let computed = Slots<CoverageSummary>(count: 1)
        let first = summary == nil ? 1 : 0
        let outcomes = parallelMap(first + jobs.count, threads: threads) { [jobs] i -> CoverageError? in
            guard i >= first else { computed.set(0, CoverageSummary(result)); return nil }
            let job = jobs[i - first]
            do { try job.write(); return nil } catch let error as CoverageError { return error } catch {
                return CoverageError.output(file: job.name, message: "\(error)")
            }
        }.dropFirst(first)
        // Errors in writing order, so the same one is reported on any thread count.
        var written: [String] = []
        for (job, outcome) in zip(jobs, outcomes) {
            if let outcome { throw outcome }
            written.append(job.name)
            if let limit = failAfterFiles, written.count >= limit {
                throw CoverageError.output(file: directory, message: "stopped after \(limit) files (test)")
            }
        }
        let summaryPath = path("summary.json")
        let writtenSummary = summary ?? computed.values()[0]
        do { try writtenSummary.json().write(to: URL(fileURLWithPath: summaryPath)) } catch {
            throw CoverageError.output(file: summaryPath, message: "cannot write: \(error.localizedDescription)")
        }
        written.append("summary.json")
        return (written, writtenSummary)
    }

    /// The top of the height preview's ramp [m]: the 98th percentile of the building cells' heights (rank ⌊0.98 n⌋ of the
    /// n cells above 0 m, by selection, not sorting), so that one tower does not wash out the rest; 1 m without buildings.
    static func heightRampTop(_ buildingHeights: [Float]) -> Double {
        var heights = buildingHeights.compactMap { $0 > 0 ? Double($0) : nil }
        return heights.isEmpty ? 1 : CoverageSummary.select(rank: min(heights.count - 1, heights.count * 98 / 100), in: &heights)
    }

    /// Metadata every GeoTIFF carries.
    func baseMetadata(_ result: CoverageResult) -> [String: String] {
        let options = result.options
        return [
            "LITFASS_VERSION": LitfassVersion.string,
            "LITFASS_MODEL": options.model.rawValue,
            "LITFASS_CORNER_TURNS": String(options.cornerTurns),
            "LITFASS_RECEIVER_HEIGHT_M": formatNumber(options.receiverHeightMeters),
            "LITFASS_RESOLUTION_M": formatNumber(result.grid.cellSizeMeters),
            "LITFASS_TERRAIN": options.demPath ?? "flat (0 m)",
            "LITFASS_ASSUMPTIONS": options.assumptions.lines.joined(separator: "; "),
            "LITFASS_ILLUSTRATIVE": result.isIllustrative
                ? "illustrative: antenna configurations are assumptions, not operator data" : "no: sectors are given data, radio assumptions as listed",
            "LITFASS_INPUTS": result.provenance.sources.map { "\($0.role) \($0.fileName) sha256=\($0.sha256)" }.joined(separator: "; "),
            "LITFASS_ATTRIBUTION": result.provenance.attribution,
        ]
    }

    /// The best-server legend: one row per sector, `value` as in the best-server GeoTIFF.
    static func legendCSV(_ op: OperatorCoverage) -> String {
        func quote(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var lines = ["value,sector_id,site_id,operator,band,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_height_m,azimuth_deg,downtilt_deg,pattern,assumption"]
        for (i, s) in op.sectors.enumerated() {
            lines.append([String(i), quote(s.id), quote(s.siteID), quote(s.operatorName), quote(s.band), formatMHz(s.centreFrequencyHz),
                          formatMHz(s.bandwidthHz), formatNumber(s.eirpDBm), formatNumber(s.antennaHeightMeters), formatNumber(s.azimuthDegrees),
                          formatNumber(s.downtiltDegrees), quote(s.pattern), s.isAssumption ? "1" : "0"].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Best-server colours: one palette colour per site, a lighter or darker shade per sector of the site.
    static func serverColors(_ op: OperatorCoverage) -> ([RGBA], [(RGBA, String)]) {
        var siteOrder: [String] = []
        var sectorsSeen: [String: Int] = [:]
        var colors: [RGBA] = []
        let shades: [Double] = [1.0, 0.62, 1.35, 0.8, 1.18, 0.5]
        for sector in op.sectors {
            if !siteOrder.contains(sector.siteID) { siteOrder.append(sector.siteID) }
            let base = PreviewStyle.categoryColor(siteOrder.firstIndex(of: sector.siteID)!)
            let k = sectorsSeen[sector.siteID, default: 0]
            sectorsSeen[sector.siteID] = k + 1
            let f = shades[k % shades.count]
            func shade(_ c: UInt8) -> UInt8 {
                f <= 1 ? UInt8(Double(c) * f) : UInt8(min(255, Double(c) + (255 - Double(c)) * (f - 1)))
            }
            colors.append(RGBA(r: shade(base.r), g: shade(base.g), b: shade(base.b)))
        }
        return (colors, siteOrder.enumerated().map { (PreviewStyle.categoryColor($0.offset), $0.element) })
    }

    /// Site markers of an operator: its sites with the azimuths of their directional sectors.
    static func markers(for op: OperatorCoverage, sites: [Site]) -> [SiteMarker] {
        var order: [String] = []
        var azimuths: [String: Set<Double>] = [:]
        for s in op.sectors {
            if azimuths[s.siteID] == nil { order.append(s.siteID); azimuths[s.siteID] = [] }
            if s.pattern.lowercased() != "omni" { azimuths[s.siteID]!.insert(s.azimuthDegrees) }
        }
        return order.compactMap { id in
            sites.first { $0.id == id }.map { SiteMarker(position: $0.location, azimuthsDegrees: azimuths[id]!.sorted()) }
        }
    }
}
