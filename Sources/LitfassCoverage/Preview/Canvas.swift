/// An 8-bit RGBA colour.
struct RGBA: Sendable, Equatable {
    var r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255

    static let white = RGBA(r: 255, g: 255, b: 255)
    static let black = RGBA(r: 0, g: 0, b: 0)
    static let noService = RGBA(r: 222, g: 222, b: 222)

    /// This colour with another opacity (0…255).
    func withAlpha(_ alpha: UInt8) -> RGBA { RGBA(r: r, g: g, b: b, a: alpha) }

    /// From "#rrggbb".
    init(hex: UInt32) {
        r = UInt8((hex >> 16) & 0xFF); g = UInt8((hex >> 8) & 0xFF); b = UInt8(hex & 0xFF); a = 255
    }

    init(r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }
}

/// An RGBA image in memory, row-major from the top, with the drawing the previews need:
/// rectangles, lines, dots, and text in the bitmap font. Drawing outside the image is clipped.
struct Canvas {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, background: RGBA = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](unsafeUninitializedCapacity: width * height * 4) { buffer, count in
            for i in 0..<(width * height) {
                buffer[i * 4] = background.r; buffer[i * 4 + 1] = background.g
                buffer[i * 4 + 2] = background.b; buffer[i * 4 + 3] = background.a
            }
            count = width * height * 4
        }
    }

    /// Paints one pixel, blending by the colour's alpha over what is there.
    mutating func plot(_ x: Int, _ y: Int, _ color: RGBA) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        pixels.withUnsafeMutableBufferPointer { Self.paint($0, at: (y * width + x) * 4, color) }
    }

    /// Paints the pixel whose red byte is at `i`, blending by the colour's alpha over what is there.
    @inline(__always)
    static func paint(_ pixels: UnsafeMutableBufferPointer<UInt8>, at i: Int, _ color: RGBA) {
        if color.a == 255 {
            pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b; pixels[i + 3] = 255
            return
        }
        let a = Int(color.a), inv = 255 - a
        pixels[i] = UInt8((Int(color.r) * a + Int(pixels[i]) * inv) / 255)
        pixels[i + 1] = UInt8((Int(color.g) * a + Int(pixels[i + 1]) * inv) / 255)
        pixels[i + 2] = UInt8((Int(color.b) * a + Int(pixels[i + 2]) * inv) / 255)
        pixels[i + 3] = 255
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: RGBA) {
        let y0 = max(0, y), y1 = min(height, y + h), x0 = max(0, x), x1 = min(width, x + w)
        guard y0 < y1, x0 < x1 else { return }
        for yy in y0..<y1 {
            for xx in x0..<x1 { plot(xx, yy, color) }
        }
    }

    mutating func frame(x: Int, y: Int, width w: Int, height h: Int, _ color: RGBA, thickness: Int = 1) {
        fill(x: x, y: y, width: w, height: thickness, color)
        fill(x: x, y: y + h - thickness, width: w, height: thickness, color)
        fill(x: x, y: y, width: thickness, height: h, color)
        fill(x: x + w - thickness, y: y, width: thickness, height: h, color)
    }

    /// A line between two points (Bresenham), `thickness` pixels wide.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: RGBA, thickness: Int = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        let half = (thickness - 1) / 2
        while true {
            if thickness == 1 { plot(x, y, color) } else { fill(x: x - half, y: y - half, width: thickness, height: thickness, color) }
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// A filled disc.
    mutating func disc(cx: Int, cy: Int, radius: Int, _ color: RGBA) {
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius + radius { plot(cx + dx, cy + dy, color) }
        }
    }

    /// Text in the bitmap font, top-left at (x, y), each font pixel `scale` × `scale` image pixels.
    /// - Returns: the width drawn [pixels].
    @discardableResult
    mutating func text(_ string: String, x: Int, y: Int, scale: Int = 1, _ color: RGBA = .black) -> Int {
        var cursor = x
        for character in string {
            let glyph = BitmapFont.glyph(character)
            for (column, bits) in glyph.enumerated() {
                for row in 0..<BitmapFont.height where bits & (1 << row) != 0 {
                    fill(x: cursor + column * scale, y: y + row * scale, width: scale, height: scale, color)
                }
            }
            cursor += (glyph.count + BitmapFont.spacing) * scale
        }
        return cursor - x
    }

    /// Width of a text at a scale [pixels].
    static func textWidth(_ string: String, scale: Int = 1) -> Int { BitmapFont.width(string) * scale }
}
