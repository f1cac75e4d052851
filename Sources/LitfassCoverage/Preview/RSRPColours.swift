import Foundation

extension ColorRamp {
    /// The RSRP previews' ramp (`<op>-rsrp.png`): viridis from −130 to −50 dBm per resource element, clamped.
    static let rsrp = ColorRamp(minimum: RSRPColours.minimumDBm, maximum: RSRPColours.maximumDBm, stops: ColorRamp.viridis,
                                ticks: RSRPColours.ticksDBm)
}

/// The colours of the RSRP previews for other renderings of an RSRP map (the overlay of `litfass serve`), so a
/// colour means the same value everywhere.
public enum RSRPColours {
    /// The ramp's ends [dBm per resource element]: values below or above take the end colours.
    public static let minimumDBm = -130.0, maximumDBm = -50.0
    /// Legend ticks [dBm].
    public static let ticksDBm: [Double] = [-130, -120, -110, -100, -90, -80, -70, -60, -50]
    /// The ramp's colour stops, evenly spaced from `minimumDBm` to `maximumDBm`, as "#rrggbb" (a CSS
    /// `linear-gradient` through them draws the same ramp).
    public static var stopsHex: [String] { ColorRamp.viridis.map { String(format: "#%02x%02x%02x", $0.r, $0.g, $0.b) } }

    /// The preview's colour of an RSRP value [dBm per RE] (red, green, blue).
    public static func rgb(_ dBm: Double) -> (r: UInt8, g: UInt8, b: UInt8) {
        let c = ColorRamp.rsrp.color(dBm)
        return (c.r, c.g, c.b)
    }
}
