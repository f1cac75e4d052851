import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassQuery
import LitfassScenario

/// `litfass query`: what bandwidth can this building get — fibre and mobile, indoor, explained.
enum QueryCommand: Command {
    static let name = "query"
    static let summary = "what bandwidth an address can get: fibre and mobile, indoor and outdoor, explained"
    static let help = """
    Usage: litfass query "<street> <number>[, <postcode> <city>]" [options]
           litfass query --lonlat LON,LAT [options]
           litfass query --batch FILE.csv [--out FILE] [--format csv|json]

    Finds the building (street, number, postcode and city in any order, with or without commas;
    tolerant of case, ß/ss, ae/oe/ue, Str./Straße, "Nr.", country names, typos in the street,
    ranges like 2-10 or 2 - 10 and suffixes like 12a or 12 a; postcode and city are checked
    against the scenario), routes fibre along the streets to the nearest access point with an
    estimated cost, and computes every operator's links to the building with the same physics as
    the coverage maps: serving site, RSRP, SINR, download and upload (cautious–median), outdoor at
    the façade and indoor on the requested floor; says why, and which candidate Litfaßsäule would
    improve it most.

    Options:
    \(ScenarioArgument.help)
      --format FORMAT     text (default), json or markdown; for --batch: csv (default) or json (JSON lines)
      --floor N           storey for the indoor answer (0 = ground floor, default 0)
      --lonlat LON,LAT    answer for a WGS84 position instead of an address
      --batch FILE.csv    one address per row (column 'address', else the first column)
      --out FILE          where --batch writes (default: standard output)
      --map FILE.png      also draw the building, the fibre route, the serving sites and the coverage around

    Exit codes: 0 answered, 1 data error, 2 bad input, 3 address not found, 4 several buildings match.
    JSON fields: docs/QUERY.md.
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let lonLatText = try arguments.option("--lonlat")
        let batch = try arguments.option("--batch")
        let out = try arguments.option("--out")
        let mapPath = try arguments.option("--map")
        let formatText = try arguments.option("--format")
        let floorText = try arguments.option("--floor")
        let scenarioPath = try arguments.option("--scenario")
        let words = arguments.positionals()
        try arguments.finish()
        let floor = try floorText.map { text -> Int in
            guard let n = Int(text), n >= 0, n <= 200 else { throw UsageError("--floor expects a storey 0–200, got '\(text)'") }
            return n
        } ?? 0
        let modes = [words.isEmpty ? nil : "address", lonLatText == nil ? nil : "--lonlat", batch == nil ? nil : "--batch"].compactMap { $0 }
        guard modes.count == 1 else {
            throw UsageError(modes.isEmpty ? "give an address, --lonlat LON,LAT or --batch FILE" : "give one of an address, --lonlat or --batch, not \(modes.joined(separator: " and "))")
        }
        if batch == nil, out != nil { throw UsageError("--out goes with --batch") }
        let formats = batch == nil ? ["text", "json", "markdown"] : ["csv", "json"]
        let format = formatText ?? formats[0]
        guard formats.contains(format) else { throw UsageError("--format expects one of \(formats.joined(separator: ", ")), got '\(format)'") }
        var lonLat: LonLat?
        if let lonLatText {
            let parts = lonLatText.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, abs(parts[0]) <= 180, abs(parts[1]) <= 90 else {
                throw UsageError("--lonlat expects LON,LAT in degrees, e.g. 6.6799,51.1924; got '\(lonLatText)'")
            }
            lonLat = LonLat(lon: parts[0], lat: parts[1])
        }
        var scenarioArguments = Arguments(scenarioPath.map { ["--scenario", $0] } ?? [])
        let path = try ScenarioArgument.path(&scenarioArguments)
        let engine = try QueryEngine(scenario: try ScenarioStore.load(path: path))

        if let batch { return try runBatch(engine: engine, file: batch, out: out, format: format, floor: floor, output: output) }
        let answer: QueryAnswer
        if let lonLat {
            answer = try engine.answer(lonLat: lonLat, floor: floor)
        } else {
            let text = words.joined(separator: " ")
            let outcome: QueryOutcome
            do { outcome = try engine.answer(address: text, floor: floor) } catch let error as QueryError {
                if case .unreadableAddress = error { throw UsageError(error.description) }
                throw error
            }
            switch outcome {
            case .answer(let a):
                answer = a
            case .ambiguous(let addresses):
                let reason = (try? engine.lookup(address: text).reason) ?? nil
                output.printError("litfass query: '\(text)' matches \(addresses.count) buildings\(reason.map { " (\($0))" } ?? ""); say which:")
                for label in engine.choiceLabels(for: addresses) { output.printError("  \(label)") }
                return ExitCode.ambiguous
            case .notFound(let suggestions):
                let reason = (try? engine.lookup(address: text).reason) ?? nil
                output.printError("litfass query: no address '\(text)' in the scenario" + (reason.map { ": \($0)" } ?? "")
                                  + (suggestions.isEmpty ? "" : "; closest: " + suggestions.joined(separator: "; ")))
                return ExitCode.notFound
            }
        }
        switch format {
        case "json": output.print(try JSONOutput.string(QueryFormatter.jsonObject(answer)))
        case "markdown": output.print(QueryFormatter.markdown(answer))
        default: output.print(QueryFormatter.text(answer))
        }
        if let mapPath { try QueryMap.write(answer, engine: engine, to: mapPath) }
        return ExitCode.success
    }
}

extension QueryCommand {
    static func runBatch(engine: QueryEngine, file: String, out: String?, format: String, floor: Int, output: Output) throws -> Int32 {
        // The CSV table needs only the key figures; JSON lines carry whole answers.
        let rows = BatchQuery.answer(try BatchQuery.addresses(file: file), engine: engine, floor: floor,
                                     scope: format == "json" ? .full : .keyFigures)
        let text = format == "json" ? try BatchQuery.jsonLines(rows) : BatchQuery.csv(rows, operators: engine.scenario.operatorNames)
        if let out {
            try OutputTarget.write(Data(text.utf8), to: out)
            let answered = rows.filter { $0.status == "ok" }.count
            output.printError("litfass query: \(rows.count) rows, \(answered) answered, \(rows.count - answered) not (see the status column) -> \(out)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        return ExitCode.success
    }
}
