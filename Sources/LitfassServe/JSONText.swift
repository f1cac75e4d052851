import Foundation

/// JSON text of the values `QueryFormatter.jsonObject` and the map layers build (`[String: Any]`, `[Any]`, `String`,
/// `Bool`, `Int`, `Double`, `NSNull`), byte for byte as `JSONSerialization.data(withJSONObject:options:)` writes it with
/// `.sortedKeys`, `.withoutEscapingSlashes` and optionally `.prettyPrinted` (swift-corelibs-foundation's writer: two
/// spaces per level, `" : "` between key and value, numbers as `description` without a trailing ".0", keys ordered
/// by `compare(_:options: [.numeric, .caseInsensitive, .forcedOrdering], locale: .system)`), without its per-value
/// bridging casts, which cost the server more than a tenth of an answer's CPU. Any other kind of value (e.g. an
/// `NSNumber`) is left to `JSONSerialization` for the whole object, so the text is always the same.
/// Tests compare it with `JSONSerialization` on every kind of answer.
enum JSONText {
    /// The JSON text of `value`.
    static func write(_ value: Any, pretty: Bool) throws -> String {
        var writer = Writer(pretty: pretty)
        if writer.value(value) { return writer.output }
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: options), as: UTF8.self)
    }

    /// The order `JSONSerialization` gives a dictionary's keys, remembered per set of keys (the answers use a few
    /// fixed sets; at most `keyOrderCapacity` sets are kept, others are sorted each time).
    static func sortedKeys(_ keys: [String]) -> [String] {
        let set = Set(keys)
        keyOrderLock.lock()
        let known = keyOrders[set]
        keyOrderLock.unlock()
        if let known { return known }
        let sorted = keys.sorted { a, b in
            a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex, locale: NSLocale.system) == .orderedAscending
        }
        keyOrderLock.lock()
        if keyOrders.count < keyOrderCapacity { keyOrders[set] = sorted }
        keyOrderLock.unlock()
        return sorted
    }

    nonisolated(unsafe) private static var keyOrders: [Set<String>: [String]] = [:]
    private static let keyOrderLock = NSLock()
    static let keyOrderCapacity = 512

    struct Writer {
        let pretty: Bool
        var output = ""
        var indent = 0

        init(pretty: Bool) {
            self.pretty = pretty
            output.reserveCapacity(8_192)
        }

        /// Appends `value`; false when it is of a kind this writer leaves to `JSONSerialization`.
        mutating func value(_ value: Any) -> Bool {
            switch value {
            case let s as String: string(s)
            case let b as Bool: output += b ? "true" : "false"
            case let n as Int: output += n.description
            case let array as [Any]: return self.array(array)
            case let dictionary as [String: Any]: return self.dictionary(dictionary)
            case let d as Double:
                guard d.isFinite else { return false }
                var text = d.description
                if text.hasSuffix(".0") { text.removeLast(2) }
                output += text
            case is NSNull: output += "null"
            default: return false
            }
            return true
        }

        mutating func newlineAndIndent() {
            output += "\n"
            output += String(repeating: " ", count: indent)
        }

        mutating func array(_ array: [Any]) -> Bool {
            output += "["
            if pretty { indent += 2 }
            var first = true
            for element in array {
                if !first { output += "," }
                first = false
                if pretty { newlineAndIndent() }
                guard value(element) else { return false }
            }
            if pretty {
                if array.isEmpty { output += "\n" }
                indent -= 2
                newlineAndIndent()
            }
            output += "]"
            return true
        }

        mutating func dictionary(_ dictionary: [String: Any]) -> Bool {
            output += "{"
            if pretty { indent += 2 }
            var first = true
            for key in JSONText.sortedKeys(Array(dictionary.keys)) {
                if !first { output += "," }
                first = false
                if pretty { newlineAndIndent() }
                string(key)
                output += pretty ? " : " : ":"
                guard value(dictionary[key]!) else { return false }
            }
            if pretty {
                if dictionary.isEmpty { output += "\n" }
                indent -= 2
                newlineAndIndent()
            }
            output += "}"
            return true
        }

        mutating func string(_ s: String) {
            output += "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\u{8}": output += "\\b"
                case "\u{c}": output += "\\f"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case "\u{0}"..."\u{f}": output += "\\u000" + String(scalar.value, radix: 16)
                case "\u{10}"..."\u{1f}": output += "\\u00" + String(scalar.value, radix: 16)
                default: output.unicodeScalars.append(scalar)
                }
            }
            output += "\""
        }
    }
}
