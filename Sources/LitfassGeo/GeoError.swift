/// An error of the geo foundation, carrying the C library's own message.
public enum GeoError: Error, Sendable, CustomStringConvertible {
    /// PROJ could not create or apply a transformation.
    case projection(String)
    /// GEOS failed on a geometry operation.
    case geometry(String)
    /// A vector file could not be opened, read or written.
    case vector(file: String, message: String)
    /// A raster could not be written.
    case raster(file: String, message: String)
    /// An output file may not be written there (a directory, link or device) or cannot be written.
    case output(file: String, message: String)

    public var description: String {
        switch self {
        case .projection(let message): return "projection failed: \(message)"
        case .geometry(let message): return "geometry operation failed: \(message)"
        case .vector(let file, let message): return "\(file): \(message)"
        case .raster(let file, let message): return "\(file): \(message)"
        case .output(let file, let message): return "\(file): \(message)"
        }
    }
}
