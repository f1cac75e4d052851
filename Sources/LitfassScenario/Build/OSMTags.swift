/// Parses the `other_tags` column of GDAL's OSM driver: `"key"=>"value","key2"=>"value2"` with
/// `\"` and `\\` escapes inside quotes.
enum OSMTags {
    static func parse(_ text: String) -> [String: String] {
        var tags: [String: String] = [:]
        var strings: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in text {
            if inQuotes {
                if escaped { current.append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == "\"" { inQuotes = false; strings.append(current); current = "" }
                else { current.append(character) }
            } else if character == "\"" {
                inQuotes = true
            }
        }
        var index = 0
        while index + 1 < strings.count {
            tags[strings[index]] = strings[index + 1]
            index += 2
        }
        return tags
    }
}
