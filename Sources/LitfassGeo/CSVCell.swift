/// Text cells of the CSV files Litfass writes. A cell that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return is read as a formula by spreadsheet programs (CSV injection, OWASP); such
/// a cell is written with a leading apostrophe, which spreadsheets show as text. Numbers
/// ("-12.5", "+3e2") stay as they are.
public enum CSVCell {
    /// The text, with a leading `'` when a spreadsheet would take it for a formula.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        if first != "=" && first != "@" && isNumber(text) { return text }
        return "'" + text
    }

    /// The inverse of `neutralised(_:)` for CSV Litfass reads: a leading `'` that `neutralised`
    /// would have written (before `=`, `@`, or `+`, `-`, tab, carriage return not starting a
    /// number) is a spreadsheet's text marker and is dropped; any other text stays as it is
    /// ("'quoted'", "'12", "'Neuss").
    public static func restored(_ text: String) -> String {
        guard text.utf8.first == 0x27 else { return text }
        let rest = String(text.utf8.dropFirst())!
        return neutralised(rest) == text ? rest : text
    }

    /// `neutralised(_:)`, then quoted as RFC 4180 asks when it holds a comma, quote or line break.
    public static func field(_ text: String) -> String {
        let safe = neutralised(text)
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func isNumber(_ text: String) -> Bool {
        var digit = false
        for c in text.utf8 {
            switch c {
            case 0x30...0x39: digit = true
            case 0x2E, 0x2B, 0x2D, 0x65, 0x45: continue
            default: return false
            }
        }
        return digit && Double(text) != nil
    }
}
