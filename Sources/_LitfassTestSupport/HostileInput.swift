import Foundation
import LitfassRadio

/// Seeded hostile values for fuzz tests: numbers a parser may mistake (`nan`, `0x1p6`, `1e309`),
/// huge and tiny magnitudes, formula text, control and stray non-UTF-8 bytes, separators,
/// quotes and overlong cells. The same seed gives the same sequence on every machine.
public struct HostileInput {
    private var generator: SeededGenerator

    /// A generator starting from `seed`.
    public init(seed: UInt64) { generator = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    /// The next 64 random bits (SplitMix64, `SeededGenerator`).
    public mutating func next() -> UInt64 { generator.next() }

    /// A uniform integer in `0..<n`.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// One of `items`.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A damaged GeoPackage: SQLite's header, then garbage. GDAL's GeoPackage driver takes it by its header and SQLite
    /// refuses it ("file is not a database").
    public static let damagedGeoPackage = Data("SQLite format 3\u{0}".utf8) + Data(repeating: 0xAB, count: 4080)

    /// Numbers written as text the way hostile or broken files write them.
    public static let numberTexts = ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "0x1p6", "0X1P-3", "1e309", "-1e309", "1e19",
                                     "1e300", "3.4e38", "-3.4e38", "4.9e-324", "0", "-0", "00000000000000000000001", "1,2,3", "1.2.3",
                                     "١٢٣", "１２", "12e", "e12", "--5", "+-5", "9223372036854775808", "-9223372036854775809",
                                     "1_000", " 5 ", "5 m m", "5°°", "0.0000001", "360", "361", "-91", "6,6912", "51.2"]

    /// Text cells: formulas, quotes, separators, control characters, long and odd Unicode.
    public static let textCells = ["=1+2", "+49", "-cmd", "@SUM(A1)", "\"", "\"\"", ",", ";", "\t", "a\nb", "a\rb", "\u{0}", "\u{7}",
                                   "Süd", "Ⓢⓤⓓ", "🙂", "\u{202E}abc", "\u{FEFF}", "  ", "", "null", "n/a", "../../etc/passwd", "/dev/zero",
                                   String(repeating: "x", count: 5000), "%s%n", "'; DROP TABLE sites; --", "\\", "\u{FFFD}"]

    /// A number-like text cell.
    public mutating func numberText() -> String {
        switch below(4) {
        case 0: return pick(Self.numberTexts)
        case 1: return String(Double(bitPattern: next()))
        case 2: return String(format: "%.3f", Double(below(2_000_000)) / 1000 - 1000)
        default: return pick(Self.textCells)
        }
    }

    /// Any cell.
    public mutating func cell() -> String { below(3) == 0 ? pick(Self.textCells) : numberText() }

    /// Raw bytes of a cell: sometimes with a stray byte that is not UTF-8.
    public mutating func cellBytes() -> [UInt8] {
        var bytes = Array(cell().utf8)
        if below(8) == 0 { bytes.insert(UInt8(0x80 + below(128)), at: below(bytes.count + 1)) }
        return bytes
    }

    /// A 32-bit float a raster may hold: mostly plausible heights, sometimes NaN, ±infinity,
    /// ±3.4e38, denormals or values far outside any terrain.
    public mutating func rasterValue() -> Float {
        switch below(10) {
        case 0: return .nan
        case 1: return pick([Float.infinity, -Float.infinity, 3.4e38, -3.4e38, .leastNonzeroMagnitude, -32768, 1e10, -1e10, 9001, -501])
        case 2: return Float(bitPattern: UInt32(truncatingIfNeeded: next()))
        default: return Float(below(20_000)) / 100
        }
    }
}
