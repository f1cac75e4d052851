import Foundation
import LitfassGeo

/// A continuous colour ramp between stops, clamped at both ends.
struct ColorRamp: Sendable {
    var minimum: Double
    var maximum: Double
    var stops: [RGBA]
    /// Tick values for the legend.
    var ticks: [Double]

    func color(_ value: Double) -> RGBA {
        let t = max(0, min(1, (value - minimum) / (maximum - minimum)))
        let scaled = t * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(scaled))
        let f = scaled - Double(i)
        let a = stops[i], b = stops[i + 1]
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * f).rounded()) }
        return RGBA(r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b))
    }

    static let viridis: [RGBA] = [0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725].map(RGBA.init(hex:))
    static let redYellowGreen: [RGBA] = [0xD73027, 0xFC8D59, 0xFEE08B, 0xD9EF8B, 0x91CF60, 0x1A9850].map(RGBA.init(hex:))
    static let yellowGreenBlue: [RGBA] = [0xFFFFCC, 0xA1DAB4, 0x41B6C4, 0x2C7FB8, 0x253494].map(RGBA.init(hex:))
    static let greys: [RGBA] = [0xF7F7F7, 0xBDBDBD, 0x737373, 0x252525].map(RGBA.init(hex:))

    /// A ramp from 0 to a round number at or above `maximum`, with about five ticks.
    static func fromZero(to maximum: Double, stops: [RGBA]) -> ColorRamp {
        let top = niceCeiling(max(maximum, 1))
        let step = niceCeiling(top / 5)
        return ColorRamp(minimum: 0, maximum: top, stops: stops, ticks: stride(from: 0, through: top + step / 100, by: step).map { $0 })
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k at or above x.
    static func niceCeiling(_ x: Double) -> Double {
        let p = pow(10, floor(log10(x)))
        for m in [1, 2, 2.5, 5, 10] as [Double] where m * p >= x * (1 - 1e-9) { return m * p }
        return 10 * p
    }
}

/// How a preview colours its cells.
enum PreviewStyle: Sendable {
    /// A value map with a colour ramp.
    case ramp(ColorRamp)
    /// A category map (best server): value k gets `colors[k]`; the legend lists `legend`.
    case categories(colors: [RGBA], legend: [(RGBA, String)], footnote: String)

    static let palette: [RGBA] = [0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F,
                                  0xBCBD22, 0x17BECF, 0xAEC7E8, 0xFFBB78, 0x98DF8A, 0xFF9896, 0xC5B0D5, 0xC49C94].map(RGBA.init(hex:))
    static func categoryColor(_ k: Int) -> RGBA { palette[k % palette.count] }
}

/// A site marker: position and the azimuths of its directional sectors [degrees from north].
struct SiteMarker: Sendable {
    var position: MapPoint
    var azimuthsDegrees: [Double]
}

/// Renders a map preview: the coloured grid with building outlines and site markers, a title, a
/// legend with units, a scale bar, a north arrow, the data attribution and, when assumptions
/// drive the map, the label "ILLUSTRATIVE".
struct PreviewRenderer: Sendable {
    var title: String
    var subtitle: String
    /// Legend heading with the unit, e.g. "RSRP [dBm]".
    var legendTitle: String
    var style: PreviewStyle
    var attribution: String
    /// Nil, or why the map is illustrative.
    var illustrative: String?
    var outlines: [Polygon]
    var sites: [SiteMarker]
    /// Legend text for nodata cells.
    var noDataLabel = "no service"
    /// Polygons drawn thick on top (e.g. the building an address query is about).
    var highlights: [Polygon] = []
    /// Lines drawn on top with their colour (e.g. a fibre route, links to serving sites).
    var overlayLines: [(points: [MapPoint], color: RGBA)] = []
    /// Legend entries for the overlay lines: label and colour.
    var overlayLegend: [(String, RGBA)] = []

    static let margin = 16
    static let legendWidth = 250
    static let headerHeight = 56
    static let footerHeight = 72
    static let minimumContentHeight = 440
    static let minimumWidth = 760

    /// Size of the map part [pixels] for a grid: the longer side 900 px for large grids (at least
    /// 480 px, magnified for small ones), the aspect of the grid kept.
    static func mapSize(for grid: RasterGrid) -> (width: Int, height: Int) {
        let long = Double(max(grid.columns, grid.rows))
        let target = min(900, max(480, long))
        let scale = target / long
        return (max(1, Int((Double(grid.columns) * scale).rounded())), max(1, Int((Double(grid.rows) * scale).rounded())))
    }

    /// Size of the whole image [pixels] for a grid.
    static func imageSize(for grid: RasterGrid) -> (width: Int, height: Int) {
        let map = mapSize(for: grid)
        return (max(minimumWidth, margin + map.width + margin + legendWidth + margin),
                headerHeight + max(map.height, minimumContentHeight) + footerHeight)
    }

    /// Draws the preview of `values` (nodata where `noData`).
    func render(values: [Float], noData: Float, grid: RasterGrid) -> Canvas {
        let size = Self.imageSize(for: grid)
        let map = Self.mapSize(for: grid)
        var canvas = Canvas(width: size.width, height: size.height)
        let mx = Self.margin, my = Self.headerHeight
        // Cells: each pixel shows the cell under its centre (the map lies inside the canvas).
        let columnOf = (0..<map.width).map { px in min(grid.columns - 1, Int((Double(px) + 0.5) * Double(grid.columns) / Double(map.width))) }
        let width = canvas.width
        canvas.pixels.withUnsafeMutableBufferPointer { pixels in
            for py in 0..<map.height {
                let row = min(grid.rows - 1, Int((Double(py) + 0.5) * Double(grid.rows) / Double(map.height)))
                for px in 0..<map.width {
                    let v = values[row * grid.columns + columnOf[px]]
                    let color: RGBA
                    if v == noData || v.isNaN { color = .noService } else {
                        switch style {
                        case .ramp(let ramp): color = ramp.color(Double(v))
                        case .categories(let colors, _, _): color = Int(v) < colors.count ? colors[Int(v)] : .black
                        }
                    }
                    Canvas.paint(pixels, at: ((my + py) * width + mx + px) * 4, color)
                }
            }
        }
        let pxPerMeter = Double(map.width) / (Double(grid.columns) * grid.cellSizeMeters)
        func pixel(_ p: MapPoint) -> (Int, Int) {
            (mx + Int(((p.x - grid.minX) * pxPerMeter).rounded()), my + Int(((grid.maxY - p.y) * pxPerMeter).rounded()))
        }
        // Building outlines, clipped to the map.
        let outlineColor = RGBA(r: 30, g: 30, b: 30, a: 150)
        for polygon in outlines {
            for ring in [polygon.exterior] + polygon.holes where ring.count > 1 {
                for (a, b) in zip(ring, ring.dropFirst()) {
                    let (x0, y0) = pixel(a), (x1, y1) = pixel(b)
                    canvas.clippedLine(x0, y0, x1, y1, outlineColor, clip: (mx, my, map.width, map.height))
                }
            }
        }
        // Sites: sector azimuth strokes and a ringed dot.
        for site in sites {
            let (x, y) = pixel(site.position)
            guard x >= mx, y >= my, x < mx + map.width, y < my + map.height else { continue }
            for azimuth in site.azimuthsDegrees {
                let r = azimuth * .pi / 180
                canvas.line(x, y, x + Int((16 * sin(r)).rounded()), y - Int((16 * cos(r)).rounded()), .black, thickness: 3)
            }
            canvas.disc(cx: x, cy: y, radius: 6, .black)
            canvas.disc(cx: x, cy: y, radius: 4, .white)
            canvas.disc(cx: x, cy: y, radius: 1, .black)
        }
        // Overlays: lines, then highlighted polygons.
        let clip = (mx, my, map.width, map.height)
        for overlay in overlayLines {
            for (a, b) in zip(overlay.points, overlay.points.dropFirst()) {
                let (x0, y0) = pixel(a), (x1, y1) = pixel(b)
                for d in -1...1 {
                    canvas.clippedLine(x0 + d, y0, x1 + d, y1, overlay.color, clip: clip)
                    canvas.clippedLine(x0, y0 + d, x1, y1 + d, overlay.color, clip: clip)
                }
            }
        }
        for polygon in highlights {
            for (a, b) in zip(polygon.exterior, polygon.exterior.dropFirst()) {
                let (x0, y0) = pixel(a), (x1, y1) = pixel(b)
                for d in -1...1 {
                    canvas.clippedLine(x0 + d, y0, x1 + d, y1, RGBA(r: 220, g: 0, b: 120), clip: clip)
                    canvas.clippedLine(x0, y0 + d, x1, y1 + d, RGBA(r: 220, g: 0, b: 120), clip: clip)
                }
            }
        }
        canvas.frame(x: mx - 1, y: my - 1, width: map.width + 2, height: map.height + 2, .black)

        // Header.
        canvas.text(title, x: mx, y: 10, scale: 2)
        canvas.text(subtitle, x: mx, y: 34, scale: 1, RGBA(r: 60, g: 60, b: 60))

        // North arrow in the map's top-right corner.
        let nx = mx + map.width - 24, ny = my + 8
        canvas.fill(x: nx - 10, y: ny - 4, width: 22, height: 38, RGBA.white.withAlpha(200))
        canvas.text("N", x: nx - 4, y: ny, scale: 2)
        canvas.line(nx + 1, ny + 18, nx + 1, ny + 31, .black, thickness: 2)
        canvas.line(nx + 1, ny + 18, nx - 3, ny + 23, .black, thickness: 2)
        canvas.line(nx + 1, ny + 18, nx + 5, ny + 23, .black, thickness: 2)

        // Illustrative label in the map's top-left corner.
        if illustrative != nil {
            let label = "ILLUSTRATIVE"
            let w = Canvas.textWidth(label, scale: 2) + 12
            canvas.fill(x: mx + 6, y: my + 6, width: w, height: 26, RGBA(r: 200, g: 30, b: 30, a: 230))
            canvas.text(label, x: mx + 12, y: my + 11, scale: 2, .white)
        }

        // Scale bar under the map.
        let sy = my + map.height + 10
        var meters = ColorRamp.niceCeiling(Double(map.width) / 4 / pxPerMeter)
        if meters * pxPerMeter > Double(map.width) / 3 { meters /= 2 }
        let barWidth = Int((meters * pxPerMeter).rounded())
        for k in 0..<4 {
            let x0 = mx + k * barWidth / 4, x1 = mx + (k + 1) * barWidth / 4
            canvas.fill(x: x0, y: sy, width: x1 - x0, height: 6, k % 2 == 0 ? .black : .white)
        }
        canvas.frame(x: mx, y: sy, width: barWidth, height: 6, .black)
        canvas.text("0", x: mx, y: sy + 9)
        let scaleLabel = meters >= 1000 ? "\(formatNumber(meters / 1000)) km" : "\(formatNumber(meters)) m"
        canvas.text(scaleLabel, x: mx + barWidth - Canvas.textWidth(scaleLabel) / 2, y: sy + 9)
        canvas.text("EPSG:25832, \(formatNumber(grid.cellSizeMeters)) m cells", x: mx + barWidth + 40, y: sy + 9, RGBA(r: 60, g: 60, b: 60))

        // Footer: attribution and the illustrative note.
        let footerTop = my + max(map.height, Self.minimumContentHeight) + 34
        canvas.text(attribution, x: mx, y: footerTop, scale: 1)
        if let illustrative {
            canvas.text(illustrative, x: mx, y: footerTop + 14, scale: 1, RGBA(r: 180, g: 20, b: 20))
        }

        // Legend.
        drawLegend(on: &canvas, x: mx + map.width + Self.margin, y: my)
        return canvas
    }

    private func drawLegend(on canvas: inout Canvas, x: Int, y: Int) {
        canvas.text(legendTitle, x: x, y: y, scale: 2)
        var cursor = y + 28
        switch style {
        case .ramp(let ramp):
            let barHeight = 240, barWidth = 26
            for k in 0..<barHeight {
                let value = ramp.maximum - (ramp.maximum - ramp.minimum) * Double(k) / Double(barHeight - 1)
                canvas.fill(x: x, y: cursor + k, width: barWidth, height: 1, ramp.color(value))
            }
            canvas.frame(x: x - 1, y: cursor - 1, width: barWidth + 2, height: barHeight + 2, .black)
            for tick in ramp.ticks {
                let k = Int(((ramp.maximum - tick) / (ramp.maximum - ramp.minimum) * Double(barHeight - 1)).rounded())
                // Tick marks inside the bar, so they never read as minus signs.
                canvas.fill(x: x, y: cursor + k, width: 6, height: 1, .black)
                canvas.fill(x: x + barWidth - 6, y: cursor + k, width: 6, height: 1, .black)
                let label = (tick == ramp.ticks.first && ramp.minimum != 0 ? "≤ " : tick == ramp.ticks.last ? "≥ " : "") + formatNumber(tick)
                canvas.text(label, x: x + barWidth + 8, y: cursor + k - 7, scale: 2)
            }
            cursor += barHeight + 16
        case .categories(_, let legend, let footnote):
            let room = 14
            let shown = min(legend.count, 16)
            for k in 0..<shown {
                canvas.fill(x: x, y: cursor, width: 12, height: 10, legend[k].0)
                canvas.text(String(legend[k].1.prefix(38)), x: x + 16, y: cursor + 1)
                cursor += room
            }
            if legend.count > shown {
                canvas.text("… \(legend.count - shown) more (colours repeat)", x: x, y: cursor + 1)
                cursor += room
            }
            for line in footnote.split(separator: "\n") {
                canvas.text(String(line), x: x, y: cursor + 4)
                cursor += room
            }
            cursor += 8
        }
        // Common symbols.
        canvas.fill(x: x, y: cursor, width: 26, height: 14, .noService)
        canvas.frame(x: x, y: cursor, width: 26, height: 14, RGBA(r: 150, g: 150, b: 150))
        canvas.text(noDataLabel, x: x + 34, y: cursor + 3)
        cursor += 22
        canvas.frame(x: x, y: cursor, width: 26, height: 14, RGBA(r: 30, g: 30, b: 30, a: 150))
        canvas.text("building outline", x: x + 34, y: cursor + 3)
        cursor += 24
        canvas.disc(cx: x + 13, cy: cursor + 6, radius: 6, .black)
        canvas.disc(cx: x + 13, cy: cursor + 6, radius: 4, .white)
        canvas.disc(cx: x + 13, cy: cursor + 6, radius: 1, .black)
        canvas.text("site, strokes = sector azimuths", x: x + 34, y: cursor + 3)
        // Overlay entries, when the map has them (address queries).
        if !highlights.isEmpty {
            cursor += 22
            canvas.frame(x: x, y: cursor, width: 26, height: 14, RGBA(r: 220, g: 0, b: 120), thickness: 3)
            canvas.text("the building asked about", x: x + 34, y: cursor + 3)
        }
        for (label, color) in overlayLegend {
            cursor += 22
            canvas.fill(x: x, y: cursor + 5, width: 26, height: 3, color)
            canvas.text(label, x: x + 34, y: cursor + 3)
        }
    }
}

extension Canvas {
    /// A line drawn only inside the clip rectangle (x, y, width, height).
    mutating func clippedLine(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: RGBA, clip: (Int, Int, Int, Int)) {
        let (cx, cy, cw, ch) = clip
        if max(x0, x1) < cx || min(x0, x1) >= cx + cw || max(y0, y1) < cy || min(y0, y1) >= cy + ch { return }
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            if x >= cx, y >= cy, x < cx + cw, y < cy + ch { plot(x, y, color) }
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }
}

/// "12", "2.5", "-110".
func formatNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%g", x)
}
