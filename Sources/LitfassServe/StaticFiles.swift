import Foundation

/// The page's files (`Web/`: `index.html`, `app.js`, `style.css`, the vendored Leaflet), read once into memory.
///
/// Files ship as a SwiftPM resource folder (`Bundle.module`, found beside the executable or test bundle, in the
/// build folder or installed with it). A request names a file by its path relative to `Web/`; only paths of
/// files read at start are served, so no request can reach any other file (no path traversal by construction;
/// `..` segments are refused before the lookup anyway).
public struct StaticFiles: Sendable {
    /// Relative path (e.g. `vendor/leaflet/leaflet.js`) → content type and bytes.
    let files: [String: (contentType: String, body: Data)]

    /// Reads every file under `Web/` of this module's resources.
    /// - Throws: `ServeError.missingWebFiles` when the folder or its `index.html` is not found.
    public init() throws {
        guard let root = Bundle.module.url(forResource: "Web", withExtension: nil) else {
            throw ServeError.missingWebFiles("no 'Web' folder in \(Bundle.module.bundlePath)")
        }
        try self.init(root: root)
    }

    /// Reads every regular file under `root`.
    public init(root: URL) throws {
        var files: [String: (String, Data)] = [:]
        let rootPath = root.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: rootPath) else { throw ServeError.missingWebFiles(rootPath) }
        while let relative = walker.nextObject() as? String {
            let url = URL(fileURLWithPath: rootPath).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[relative] = (Self.contentType(of: relative), try Data(contentsOf: url))
        }
        guard files["index.html"] != nil else { throw ServeError.missingWebFiles("no index.html in \(rootPath)") }
        self.files = files
    }

    /// The file for a request path (`/` is `index.html`), or nil.
    public func file(at path: String) -> HTTPResponse? {
        var relative = String(path.drop { $0 == "/" })
        if relative.isEmpty { relative = "index.html" }
        guard let file = files[relative] else { return nil }
        return HTTPResponse(status: 200, contentType: file.contentType, body: file.body,
                            headers: ["Cache-Control": relative.hasPrefix("vendor/") ? "public, max-age=86400" : "no-cache"])
    }

    /// Paths of all files served (relative to `Web/`), sorted.
    public var paths: [String] { files.keys.sorted() }

    static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "png": return "image/png"
        case "svg": return "image/svg+xml"
        case "json": return "application/json; charset=utf-8"
        default: return "text/plain; charset=utf-8"
        }
    }
}
