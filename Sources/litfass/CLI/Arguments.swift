import Foundation

/// The arguments of one command, consumed option by option.
///
/// Options are `--name value` or `--name=value`; flags are `--name`. Whatever is left after a
/// command took what it knows is an error, so a mistyped option is never silently ignored.
struct Arguments {
    private(set) var items: [String]

    init(_ items: [String]) { self.items = items }

    /// Whether `--help` or `-h` was given.
    var wantsHelp: Bool { items.contains("--help") || items.contains("-h") }

    /// Removes a flag and tells whether it was present.
    mutating func flag(_ name: String) -> Bool {
        guard let index = items.firstIndex(of: name) else { return false }
        items.remove(at: index)
        return true
    }

    /// Removes an option and returns its value, or nil when absent.
    /// - Throws: `UsageError` when the option is given without a value or more than once.
    mutating func option(_ name: String) throws -> String? {
        let values = try options(name)
        if values.count > 1 { throw UsageError("\(name) given \(values.count) times; give it once") }
        return values.first
    }

    /// Removes every occurrence of a repeatable option and returns the values in order.
    mutating func options(_ name: String) throws -> [String] {
        var values: [String] = []
        var index = 0
        while index < items.count {
            let item = items[index]
            if item == name {
                guard index + 1 < items.count, !items[index + 1].hasPrefix("--") || Double(items[index + 1]) != nil else {
                    throw UsageError("\(name) needs a value")
                }
                values.append(items[index + 1])
                items.removeSubrange(index...(index + 1))
            } else if item.hasPrefix(name + "=") {
                values.append(String(item.dropFirst(name.count + 1)))
                items.remove(at: index)
            } else {
                index += 1
            }
        }
        return values
    }

    /// Removes an option whose value must be a number.
    mutating func doubleOption(_ name: String) throws -> Double? {
        guard let text = try option(name) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw UsageError("\(name) expects a number, got '\(text)'")
        }
        return value
    }

    /// Removes an option whose value must be one of `choices`.
    mutating func choice(_ name: String, among choices: [String]) throws -> String? {
        guard let value = try option(name) else { return nil }
        guard choices.contains(value) else {
            throw UsageError("\(name) expects one of \(choices.joined(separator: ", ")), got '\(value)'")
        }
        return value
    }

    /// Removes and returns the positional arguments (those not starting with `--`).
    mutating func positionals() -> [String] {
        let values = items.filter { !$0.hasPrefix("-") || Double($0) != nil }
        items.removeAll { !$0.hasPrefix("-") || Double($0) != nil }
        return values
    }

    /// Fails when anything is left that the command did not take.
    func finish() throws {
        if let first = items.first {
            throw UsageError("unknown argument '\(first)'")
        }
    }
}
