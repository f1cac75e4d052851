import Foundation
import LitfassGeo

/// The exact optimum of the relaxed (pairwise) model, found by GLPK's `glpsol`.
public struct ExactResult: Sendable {
    /// Chosen candidate indices, ascending.
    public var selection: [Int]
    /// The relaxed objective of the selection (covered weight added over the existing network; with
    /// no SINR condition this is the true gain, with one an upper bound on every selection's gain).
    public var relaxedGain: Double
    /// True when GLPK proved optimality; false when it stopped at the time limit with a feasible solution.
    public var provenOptimal: Bool
    /// The LP relaxation's value when asked for (an upper bound on `relaxedGain`).
    public var lpBound: Double?
    /// Model size: binary candidate variables, coverage rows (units with identical covering sets merged).
    public var candidateVariables: Int
    /// Coverage rows of the model.
    public var coverageRows: Int
    /// Wall-clock time of glpsol [s].
    public var seconds: Double
}

/// Solves the budgeted maximum-coverage problem exactly with GLPK (`glpsol`, CPLEX LP format).
///
/// Model — the RSRP-only linearisation of the SINR condition: candidate j can cover unit i when its
/// RSRP there reaches `CoverageProblem.relaxedThreshold[i]` (the RSRP threshold, the existing best
/// server and, with a SINR threshold, γ·(existing interference + noise); the interference the other
/// new sites would add is left out). Then
///
///     maximise   Σ_i w_i y_i
///     subject to y_i ≤ Σ_{j can cover i} x_j      for every unit i not covered already
///                Σ_j c_j x_j ≤ B   (or Σ_j x_j ≤ K)
///                0 ≤ y_i ≤ 1,  x_j ∈ {0, 1}
///
/// Units with the same covering set are merged into one row (weights summed). Without a SINR
/// threshold this is exactly the problem the heuristic solves; with one its optimum bounds the
/// true optimum from above.
public struct ExactSolver: Sendable {
    /// Path of `glpsol`; found on PATH (and /usr/bin, /usr/local/bin) when nil.
    public var glpsolPath: String?
    /// Time limit handed to glpsol (`--tmlim`) [s].
    public var timeLimitSeconds: Int = 300

    /// A solver using `glpsol` from PATH.
    public init(glpsolPath: String? = nil, timeLimitSeconds: Int = 300) {
        self.glpsolPath = glpsolPath
        self.timeLimitSeconds = timeLimitSeconds
    }

    /// The glpsol executable, or nil when none is installed.
    public static func findGlpsol() -> String? {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        dirs += ["/usr/bin", "/usr/local/bin"]
        for dir in dirs {
            let path = URL(fileURLWithPath: dir).appendingPathComponent("glpsol").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The model as CPLEX LP text.
    /// - Returns: the text, the number of coverage rows.
    public static func lpModel(_ problem: CoverageProblem, limit: SelectionLimit) -> (text: String, rows: Int) {
        // Covering set per unit (candidates that can cover it), merged by identical sets.
        var sets: [Int: [Int32]] = [:]
        for (j, column) in problem.columns.enumerated() {
            for (u, p) in zip(column.units, column.milliwatts) where p >= problem.relaxedThreshold[Int(u)] {
                sets[Int(u), default: []].append(Int32(j))
            }
        }
        var merged: [[Int32]: Double] = [:]
        var order: [[Int32]] = []
        for i in sets.keys.sorted() where problem.weights[i] > 0 {
            let s = sets[i]!
            if merged[s] == nil { order.append(s) }
            merged[s, default: 0] += problem.weights[i]
        }
        var out = "\\* Litfass optimise: budgeted maximum coverage, RSRP-only linearisation of the SINR condition *\\\n"
        out += "Maximize\n obj:"
        func wrap(_ terms: [String]) -> String {
            var lines: [String] = []
            var line = ""
            for t in terms {
                if line.count + t.count > 200 { lines.append(line); line = "  " }
                line += " " + t
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }
        // Every x first (coefficient 0), so the solution lists columns x0…x(n−1), then y0…
        var objective = (0..<problem.candidateCount).map { "\($0 == 0 ? "" : "+ ")0 x\($0)" }
        for (r, s) in order.enumerated() { objective.append("+ \(format(merged[s]!)) y\(r)") }
        out += wrap(objective) + "\nSubject To\n"
        for (r, s) in order.enumerated() {
            out += " u\(r):" + wrap(["y\(r)"] + s.map { "- x\($0)" }) + " <= 0\n"
        }
        switch limit {
        case .count(let k):
            out += " limit:" + wrap((0..<problem.candidateCount).map { "\($0 == 0 ? "" : "+ ")x\($0)" }) + " <= \(k)\n"
        case .budget(let b):
            out += " limit:" + wrap((0..<problem.candidateCount).map { "\($0 == 0 ? "" : "+ ")\(format(problem.costs[$0])) x\($0)" }) + " <= \(format(b))\n"
        }
        out += "Bounds\n"
        for r in 0..<order.count { out += " 0 <= y\(r) <= 1\n" }
        out += "Binary\n" + wrap((0..<problem.candidateCount).map { "x\($0)" }) + "\nEnd\n"
        return (out, order.count)
    }

    static func format(_ v: Double) -> String { String(format: "%.12g", v) }

    /// Writes the model into `directory` (`exact-model.lp`), runs glpsol and reads the solution.
    /// - Parameter lpRelaxation: also solve the LP relaxation (`--nomip`) for its bound.
    /// - Throws: `OptimiseError.exactSolver` when glpsol is missing, fails, or finds no solution.
    public func solve(_ problem: CoverageProblem, limit: SelectionLimit, directory: String, lpRelaxation: Bool = false) throws -> ExactResult {
        guard let glpsol = glpsolPath ?? Self.findGlpsol() else {
            throw OptimiseError.exactSolver("glpsol (GLPK) is not installed; install the Debian package glpk-utils (scripts/setup.sh does)")
        }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw OptimiseError.output(file: directory, message: "cannot create the folder: \(error.localizedDescription)")
        }
        let (text, rows) = Self.lpModel(problem, limit: limit)
        let model = URL(fileURLWithPath: directory).appendingPathComponent("exact-model.lp").path
        do { try OutputTarget.write(Data(text.utf8), to: model) } catch let error as GeoError {
            throw OptimiseError.output(file: model, message: error.description.replacingOccurrences(of: model + ": ", with: ""))
        }
        let start = Date()
        let solutionPath = URL(fileURLWithPath: directory).appendingPathComponent("exact-solution.txt").path
        let (status, objective, values) = try run(glpsol, model: model, solution: solutionPath, nomip: false)
        guard status == "o" || status == "f" else {
            throw OptimiseError.exactSolver("glpsol found no integer solution (status '\(status)'); see \(model)")
        }
        _ = objective
        let selection = (0..<problem.candidateCount).filter { values.count > $0 && values[$0] > 0.5 }
        var lp: Double?
        if lpRelaxation {
            let lpPath = URL(fileURLWithPath: directory).appendingPathComponent("exact-lp-relaxation.txt").path
            let (lpStatus, lpObjective, _) = try run(glpsol, model: model, solution: lpPath, nomip: true)
            if lpStatus == "o" { lp = lpObjective }
        }
        return ExactResult(selection: selection, relaxedGain: problem.relaxedGain(of: selection), provenOptimal: status == "o",
                           lpBound: lp, candidateVariables: problem.candidateCount, coverageRows: rows,
                           seconds: Date().timeIntervalSince(start))
    }

    /// Runs glpsol and parses its plain-text solution (`-w`): status, objective, column values.
    private func run(_ glpsol: String, model: String, solution: String, nomip: Bool) throws -> (String, Double, [Double]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: glpsol)
        process.arguments = ["--lp", model, "-w", solution, "--tmlim", String(timeLimitSeconds)] + (nomip ? ["--nomip"] : [])
        let log = URL(fileURLWithPath: solution + ".log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw OptimiseError.exactSolver("cannot run \(glpsol): \(error.localizedDescription)") }
        process.waitUntilExit()
        try? handle.close()
        guard process.terminationStatus == 0, let text = try? String(contentsOfFile: solution, encoding: .utf8) else {
            let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").suffix(3).joined(separator: " | ") ?? ""
            throw OptimiseError.exactSolver("glpsol failed (exit \(process.terminationStatus)) on \(model): \(tail)")
        }
        var status = "?", objective = 0.0
        var values: [Double] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard let tag = f.first else { continue }
            if tag == "s", f.count >= 5 {
                // MIP: "s mip ROWS COLS STATUS OBJ"; LP: "s bas ROWS COLS PSTAT DSTAT OBJ".
                if f[1] == "mip" { status = String(f[4]); objective = Double(f[5]) ?? 0 }
                else if f.count >= 7 { status = f[4] == "f" && f[5] == "f" ? "o" : String(f[4]); objective = Double(f[6]) ?? 0 }
            } else if tag == "j", f.count >= 3 {
                guard let index = Int(f[1]) else { continue }
                // MIP: "j COL VAL"; LP: "j COL STAT VAL DUAL".
                let value = f[1] == f[1] && f.count >= 5 ? Double(f[3]) : Double(f[2])
                if values.count < index { values += [Double](repeating: 0, count: index - values.count) }
                values[index - 1] = value ?? 0
            }
        }
        return (status, objective, values)
    }
}
