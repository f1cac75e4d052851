import LitfassQuery
import LitfassCoverage
import Foundation

/// Settings of the heuristic.
public struct SolverSettings: Sendable {
    /// Worker threads for evaluating moves (≥ 1). The result does not depend on it.
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Whether to improve the greedy start by local search (add, drop, swap).
    public var localSearch: Bool = true
    /// Budget limit only: the ratio greedy is also completed from every affordable single candidate
    /// when there are at most this many candidates (partial enumeration of size 1).
    public var seededStartsUpTo: Int = 400
    /// Local search also tries exchanging one chosen candidate for two, and two for one, when a pass
    /// of such moves costs at most this many unit evaluations (small instances).
    public var pairMoveWorkLimit: Int = 50_000_000
    /// Upper limit of improving moves in the local search (a guard; it normally stops much earlier).
    public var maxMoves: Int = 10_000

    /// The defaults: all cores, local search on.
    public init() {}
}

/// One chosen candidate in build-out order.
public struct ChosenCandidate: Sendable, Hashable {
    /// Index into the problem's candidates.
    public var candidate: Int
    /// Covered weight it adds given the ones before it.
    public var marginalGain: Double
    /// Its cost [EUR].
    public var cost: Double
    /// Covered weight (existing network included) and cost after it.
    public var cumulativeCovered: Double
    /// Cost after it [EUR].
    public var cumulativeCost: Double
}

/// One point of the curve of covered demand against the number of sites or the budget.
public struct CurvePoint: Sendable, Hashable {
    /// Number of sites.
    public var sites: Int
    /// Total cost [EUR].
    public var cost: Double
    /// Covered weight, existing network included.
    public var covered: Double
    /// Covered weight added by the sites.
    public var gain: Double
    /// Whether the point lies beyond the limit (the greedy continued past it, for the picture).
    public var beyondLimit: Bool
}

/// What the heuristic found, with the bound on the optimum.
public struct OptimisationResult: Sendable {
    /// The limit the choice respects.
    public var limit: SelectionLimit
    /// The chosen candidates in build-out order (greedy order within the final set).
    public var chosen: [ChosenCandidate]
    /// Covered weight with the existing network alone and with the chosen sites.
    public var baselineCovered: Double
    /// Covered weight with the chosen sites (existing network included).
    public var covered: Double
    /// covered − baselineCovered: what the new sites add (it can be smaller than the sum of what
    /// they cover, as they also interfere).
    public var gain: Double { covered - baselineCovered }
    /// Total cost [EUR].
    public var cost: Double
    /// Σ weights of all units.
    public var totalWeight: Double
    /// An upper bound on the best achievable covered weight (existing network included): the
    /// data-dependent bound of Leskovec et al. (2007) on the relaxed submodular objective, the
    /// smallest over every selection the greedy passed through; or the exact relaxed optimum when
    /// `applyExactBound` was called.
    public var upperBound: Double
    /// Where the bound comes from.
    public var boundSource: String
    /// Which start won: "ratio greedy", "gain greedy" or "best single candidate".
    public var start: String
    /// Covered weight of the start and the number of improving local-search moves.
    public var startCovered: Double
    /// Number of improving local-search moves made.
    public var localSearchMoves: Int
    /// Candidates the greedy evaluated lazily vs. all evaluations (for the report).
    public var evaluations: Int
    /// The curve: the build-out order, then the greedy continued past the limit.
    public var curve: [CurvePoint]
    /// Notes for the user (e.g. the count is larger than the candidates, no site adds coverage).
    public var notes: [String]

    /// Tightens the bound with GLPK's proven optimum of the relaxed model (which bounds the true
    /// optimum from above); nothing changes when GLPK stopped at its time limit.
    public mutating func applyExactBound(_ exact: ExactResult) {
        guard exact.provenOptimal, baselineCovered + exact.relaxedGain < upperBound else { return }
        upperBound = max(covered, baselineCovered + exact.relaxedGain)
        boundSource = "GLPK's proven optimum of the relaxed model (exact without a SINR threshold, an upper bound with one)"
    }

    /// The chosen candidate indices, in build-out order.
    public var selection: [Int] { chosen.map(\.candidate) }
    /// gain / (upperBound − baselineCovered): the share of the best possible gain reached at least.
    public var guaranteedShare: Double {
        let possible = upperBound - baselineCovered
        return possible <= 0 ? 1 : min(1, max(0, gain / possible))
    }
}

/// Budgeted maximum coverage by lazy greedy and local search, with a data-dependent bound.
///
/// 1. Starts: the cost-benefit greedy (largest gain per euro that still fits; Khuller, Moss & Naor
///    1999), the plain greedy (largest gain that fits) and the best single candidate; the best of
///    the three. With a count limit the two greedies coincide. Gains are evaluated lazily (CELF,
///    Leskovec et al. 2007): a candidate's stale gain is its priority, and only the top of the queue
///    is re-evaluated. This is exact for submodular objectives; with the SINR condition the
///    objective is not submodular, so the lazy greedy is a heuristic there — the local search after
///    it evaluates every move exactly.
/// 2. Local search: best improving move among add, drop and swap (all that fit the limit) until none
///    improves the covered weight (or, at equal weight, lowers the cost).
/// 3. Bound: on the relaxed objective (pairwise coverage, `CoverageProblem.relaxedThreshold`),
///    which is submodular and ≥ the true gain for every selection, f(OPT) ≤ g(OPT) ≤ g(S) +
///    max{Σ δ_g(s|S) x_s : Σ c_s x_s ≤ B, 0 ≤ x ≤ 1} for any S (fractional knapsack; top-K sum
///    with a count limit). Taken at every greedy prefix and at the final selection, the smallest.
public struct SiteOptimiser: Sendable {
    /// The problem to solve.
    public let problem: CoverageProblem
    /// Threads and local-search switches.
    public var settings: SolverSettings

    /// An optimiser for one problem.
    public init(problem: CoverageProblem, settings: SolverSettings = SolverSettings()) {
        self.problem = problem
        self.settings = settings
    }

    /// Chooses candidates under the limit.
    /// - Throws: `OptimiseError.limit` for a count < 1 or a budget ≤ 0, `.budgetTooSmall` when no
    ///   candidate fits the budget, `.noCandidates` for a problem without candidates.
    /// - Parameters:
    ///   - candidateIDs: names for messages (candidate index otherwise).
    ///   - extraStarts: further starting selections (e.g. GLPK's), used when they fit the limit.
    ///   - progress: called with the stage and a fraction 0…1.
    public func optimise(limit: SelectionLimit, candidateIDs: [String]? = nil, extraStarts: [(String, [Int])] = [],
                         progress: @Sendable (String, Double) -> Void = { _, _ in }) throws -> OptimisationResult {
        let n = problem.candidateCount
        guard n > 0 else { throw OptimiseError.noCandidates("there are no candidates to choose from") }
        var notes: [String] = []
        func name(_ j: Int) -> String { candidateIDs?[j] ?? "candidate \(j)" }
        switch limit {
        case .count(let k):
            guard k >= 1 else { throw OptimiseError.limit("--count must be at least 1, got \(k)") }
            if k > n { notes.append("--count \(k) is larger than the \(n) candidates: choosing among all of them") }
        case .budget(let b):
            guard b > 0, b.isFinite else { throw OptimiseError.limit("--budget must be a positive amount in EUR, got \(b)") }
            let cheapest = (0..<n).min { (problem.costs[$0], $0) < (problem.costs[$1], $1) }!
            if problem.costs[cheapest] > b {
                throw OptimiseError.budgetTooSmall(budgetEUR: b, cheapestEUR: problem.costs[cheapest], candidateID: name(cheapest))
            }
        }
        let eps = 1e-9 * max(1, problem.totalWeight)
        var evaluations = 0
        progress("greedy", 0)

        // Gains of every single candidate from the empty selection (shared by all starts).
        let empty = SelectionState(problem: problem)
        let singles = parallelMap(n, threads: settings.threads) { empty.addGain($0) }
        evaluations += n

        var boundState = BoundTracker(problem: problem, limit: limit, threads: settings.threads)
        boundState.consider(empty)

        let fits: (SelectionState, Int) -> Bool = { state, j in
            switch limit {
            case .count(let k): return state.members.count < k
            case .budget(let b): return state.cost + problem.costs[j] <= b * (1 + 1e-12)
            }
        }

        func key(_ gain: Double, _ j: Int, _ ratio: Bool) -> Double { Self.key(gain, problem.costs[j], ratio) }
        var starts: [(String, SelectionState)] = []
        let (byRatio, e1) = lazyGreedy(from: empty, gains: singles, ratio: true, limit: limit, eps: eps) { boundState.consider($0) }
        evaluations += e1
        starts.append(("ratio greedy", byRatio))
        if case .budget = limit {
            let (byGain, e2) = lazyGreedy(from: empty, gains: singles, ratio: false, limit: limit, eps: eps) { boundState.consider($0) }
            evaluations += e2
            starts.append(("gain greedy", byGain))
            // Partial enumeration of size 1 (the seeds of Khuller, Moss & Naor's algorithm, one
            // instead of three): the ratio greedy completed from every affordable candidate.
            if n <= settings.seededStartsUpTo {
                let seeds = (0..<n).filter { fits(empty, $0) && singles[$0] > eps }
                let problem = self.problem
                let runs = parallelMap(seeds.count, threads: settings.threads) { k -> (SelectionState, Int) in
                    let seeded = SelectionState(problem: problem, selection: [seeds[k]])
                    var sequential = self
                    sequential.settings.threads = 1
                    return sequential.lazyGreedy(from: seeded, gains: nil, ratio: true, limit: limit, eps: eps) { _ in }
                }
                for (k, run) in runs.enumerated() {
                    evaluations += run.1
                    starts.append(("ratio greedy from \(candidateIDs?[seeds[k]] ?? "candidate \(seeds[k])")", run.0))
                }
            }
        }
        if let single = (0..<n).filter({ fits(empty, $0) && singles[$0] > eps }).max(by: { (singles[$0], -$0) < (singles[$1], -$1) }) {
            starts.append(("best single candidate", SelectionState(problem: problem, selection: [single])))
        }
        for (label, selection) in extraStarts where selection.allSatisfy({ (0..<n).contains($0) }) {
            let start = SelectionState(problem: problem, selection: Array(Set(selection)).sorted())
            switch limit {
            case .count(let k): guard start.members.count <= k else { continue }
            case .budget(let b): guard start.cost <= b * (1 + 1e-12) else { continue }
            }
            starts.append((label, start))
        }
        // Best start: highest covered weight, then lowest cost, then first listed.
        var (startName, state) = starts[0]
        for (label, s) in starts.dropFirst() where s.value > state.value + eps || (abs(s.value - state.value) <= eps && s.cost < state.cost - 0.005) {
            startName = label
            state = s
        }
        let startCovered = state.value
        progress("local search", 0.3)

        // Local search.
        var moves = 0
        if settings.localSearch {
            while moves < settings.maxMoves {
                guard let move = bestMove(state, limit: limit, eps: eps) else { break }
                var next = state
                switch move.kind {
                case .add(let j): next.add(j)
                case .drop(let j): next.drop(j)
                case .swap(let out, let into): next.drop(out); next.add(into)
                case .exchange(let out, let into): for j in out { next.drop(j) }; for j in into { next.add(j) }
                }
                next.resum()
                evaluations += move.evaluated
                // Accept only when the exact recomputation confirms the improvement.
                let better = next.value > state.value + eps || (next.value >= state.value - eps && next.cost < state.cost - 0.005)
                guard better else { break }
                state = next
                moves += 1
                boundState.consider(state)
                progress("local search", min(0.9, 0.3 + 0.02 * Double(moves)))
            }
        }
        boundState.consider(state)

        // Build-out order: greedy order within the final set (largest gain, or gain per euro).
        var ordered = SelectionState(problem: problem)
        var remaining = state.members.sorted()
        var chosen: [ChosenCandidate] = []
        let ratio: Bool = { if case .budget = limit { return true } else { return false } }()
        while !remaining.isEmpty {
            let gains = remaining.map { ordered.addGain($0) }
            var best = 0
            for k in 1..<remaining.count where key(gains[k], remaining[k], ratio) > key(gains[best], remaining[best], ratio) { best = k }
            let j = remaining.remove(at: best)
            let before = ordered.value
            ordered.add(j)
            ordered.resum()
            chosen.append(ChosenCandidate(candidate: j, marginalGain: ordered.value - before, cost: problem.costs[j],
                                          cumulativeCovered: ordered.value, cumulativeCost: ordered.cost))
        }

        // Curve: the build-out, then the greedy continued beyond the limit (up to 50 more points).
        var curve = [CurvePoint(sites: 0, cost: 0, covered: problem.baselineWeight, gain: 0, beyondLimit: false)]
        for (k, c) in chosen.enumerated() {
            curve.append(CurvePoint(sites: k + 1, cost: c.cumulativeCost, covered: c.cumulativeCovered,
                                    gain: c.cumulativeCovered - problem.baselineWeight, beyondLimit: false))
        }
        var extended = ordered
        for _ in 0..<min(50, n - chosen.count) {
            let outside = (0..<n).filter { !extended.selected[$0] }
            let snapshot = extended
            let gains = parallelMap(outside.count, threads: settings.threads) { snapshot.addGain(outside[$0]) }
            guard let k = gains.indices.max(by: { (key(gains[$0], outside[$0], ratio), -$0) < (key(gains[$1], outside[$1], ratio), -$1) }),
                  gains[k] > eps else { break }
            extended.add(outside[k])
            extended.resum()
            curve.append(CurvePoint(sites: extended.members.count, cost: extended.cost, covered: extended.value,
                                    gain: extended.value - problem.baselineWeight, beyondLimit: true))
        }

        if chosen.isEmpty {
            notes.append("no candidate adds covered demand under the thresholds: nothing is worth equipping")
        } else if case .count(let k) = limit, chosen.count < min(k, n) {
            notes.append("only \(chosen.count) of the \(min(k, n)) allowed sites add covered demand; more would not help (or would interfere)")
        }
        progress("done", 1)
        return OptimisationResult(
            limit: limit, chosen: chosen, baselineCovered: problem.baselineWeight, covered: ordered.value, cost: ordered.cost,
            totalWeight: problem.totalWeight,
            upperBound: max(ordered.value, problem.baselineWeight + boundState.best),
            boundSource: problem.minSINR == nil
                ? "data-dependent submodular bound (Leskovec et al. 2007), smallest over the greedy's selections"
                : "data-dependent submodular bound (Leskovec et al. 2007) on the pairwise relaxation (RSRP and SINR against the existing network only), smallest over the greedy's selections",
            start: startName, startCovered: startCovered, localSearchMoves: moves, evaluations: evaluations, curve: curve, notes: notes)
    }

    /// Priority of a candidate in the greedy: its gain, or its gain per euro.
    static func key(_ gain: Double, _ cost: Double, _ ratio: Bool) -> Double { ratio ? gain / max(cost, 1e-9) : gain }

    /// The lazy greedy (CELF) from `start`: pops the candidate with the largest stale priority,
    /// re-evaluates it unless its value is from the current round, adds it when it is. Stops when
    /// nothing fits or the best gain is not positive.
    /// - Parameters:
    ///   - gains: the gains of every candidate at `start` when known (else evaluated here).
    ///   - onStep: called with the selection after each addition.
    /// - Returns: the selection and the number of gain evaluations.
    func lazyGreedy(from start: SelectionState, gains: [Double]?, ratio: Bool, limit: SelectionLimit, eps: Double,
                    onStep: (SelectionState) -> Void) -> (SelectionState, Int) {
        let n = problem.candidateCount
        var state = start
        var evals = 0
        let initial: [Double]
        if let gains { initial = gains } else {
            let snapshot = state
            initial = parallelMap(n, threads: settings.threads) { snapshot.selected[$0] ? 0 : snapshot.addGain($0) }
            evals += n
        }
        var heap = BinaryHeap<LazyItem>()
        for j in 0..<n where !state.selected[j] { heap.push(LazyItem(key: Self.key(initial[j], problem.costs[j], ratio), candidate: j, stamp: 0)) }
        var round = 0
        while let top = heap.pop() {
            let j = top.candidate
            switch limit {
            case .count(let k): if state.members.count >= k { return (state, evals) }
            case .budget(let b): if state.cost + problem.costs[j] > b * (1 + 1e-12) { continue }  // never fits again
            }
            if top.stamp == round {
                let gain = ratio ? top.key * max(problem.costs[j], 1e-9) : top.key
                guard gain > eps else { break }
                state.add(j)
                round += 1
                onStep(state)
            } else {
                let gain = state.addGain(j)
                evals += 1
                heap.push(LazyItem(key: Self.key(gain, problem.costs[j], ratio), candidate: j, stamp: round))
            }
        }
        return (state, evals)
    }

    /// A local-search move.
    struct Move {
        enum Kind { case add(Int), drop(Int), swap(Int, Int), exchange(out: [Int], into: [Int]) }
        var kind: Kind
        var delta: Double
        var costDelta: Double
        var evaluated: Int
    }

    /// The best improving move: largest gain (> eps); or, with no gain possible, the largest cost
    /// saving at equal covered weight. Ties go to the first in a fixed order (adds, drops, swaps by index).
    func bestMove(_ state: SelectionState, limit: SelectionLimit, eps: Double) -> Move? {
        let n = problem.candidateCount
        let members = state.members.sorted()
        let outside = (0..<n).filter { !state.selected[$0] }
        var kinds: [Move.Kind] = []
        var costDeltas: [Double] = []
        switch limit {
        case .count(let k):
            if members.count < k { for j in outside { kinds.append(.add(j)); costDeltas.append(problem.costs[j]) } }
            for j in members { kinds.append(.drop(j)); costDeltas.append(-problem.costs[j]) }
            for out in members { for into in outside { kinds.append(.swap(out, into)); costDeltas.append(problem.costs[into] - problem.costs[out]) } }
        case .budget(let b):
            let room = b * (1 + 1e-12) - state.cost
            for j in outside where problem.costs[j] <= room { kinds.append(.add(j)); costDeltas.append(problem.costs[j]) }
            for j in members { kinds.append(.drop(j)); costDeltas.append(-problem.costs[j]) }
            for out in members {
                for into in outside where problem.costs[into] - problem.costs[out] <= room {
                    kinds.append(.swap(out, into)); costDeltas.append(problem.costs[into] - problem.costs[out])
                }
            }
        }
        let all = kinds
        let deltas = parallelMap(all.count, threads: settings.threads) { m -> Double in
            switch all[m] {
            case .add(let j): return state.addGain(j)
            case .drop(let j): return state.dropGain(j)
            case .swap(let out, let into): return state.swapGain(out: out, into: into)
            case .exchange: return 0
            }
        }
        var best: Int?
        for m in 0..<all.count where deltas[m] > eps {
            if best == nil || deltas[m] > deltas[best!] + eps || (abs(deltas[m] - deltas[best!]) <= eps && costDeltas[m] < costDeltas[best!] - 0.005) {
                best = m
            }
        }
        if best == nil {
            for m in 0..<all.count where deltas[m] >= -eps && costDeltas[m] < -0.005 {
                if best == nil || costDeltas[m] < costDeltas[best!] - 0.005 { best = m }
            }
        }
        guard let best else { return bestPairMove(state, limit: limit, eps: eps, evaluatedSoFar: all.count) }
        return Move(kind: all[best], delta: deltas[best], costDelta: costDeltas[best], evaluated: all.count)
    }

    /// The best improving exchange of one chosen candidate for two others, or two for one, on
    /// instances small enough (`SolverSettings.pairMoveWorkLimit`); nil when none improves.
    func bestPairMove(_ state: SelectionState, limit: SelectionLimit, eps: Double, evaluatedSoFar: Int) -> Move? {
        let n = problem.candidateCount
        let members = state.members.sorted()
        let outside = (0..<n).filter { !state.selected[$0] }
        let s = Double(members.count), m = Double(outside.count)
        let averageReach = Double(problem.columns.reduce(0) { $0 + $1.count }) / Double(max(1, n))
        let work = (s * m * m / 2 + s * s * m / 2) * averageReach + (s * m + s * s / 2) * Double(problem.unitCount) * 8
        guard work <= Double(settings.pairMoveWorkLimit), !members.isEmpty || !outside.isEmpty else { return nil }
        let costs = problem.costs
        let fits: @Sendable (Int, Double) -> Bool = { count, cost in
            switch limit {
            case .count(let k): return count <= k
            case .budget(let b): return cost <= b * (1 + 1e-12)
            }
        }
        // Groups: (out, in1) then every in2 > in1; (out1, out2) then every in.
        var pairs: [(out: [Int], into: Int?)] = []
        for out in members { for in1 in outside { pairs.append(([out], in1)) } }
        for (a, out1) in members.enumerated() { for out2 in members[(a + 1)...] { pairs.append(([out1, out2], nil)) } }
        let groups = pairs
        let base = state
        let results = parallelMap(groups.count, threads: settings.threads) { g -> (Double, Double, [Int], [Int], Int)? in
            var partial = base
            for j in groups[g].out { partial.drop(j) }
            var fixedIn: [Int] = []
            if let in1 = groups[g].into { partial.add(in1); fixedIn = [in1] }
            let already = partial.value - base.value
            var best: (Double, Double, [Int], [Int], Int)?
            var evaluated = 0
            for j in outside where !partial.selected[j] && (fixedIn.isEmpty || j > fixedIn[0]) {
                let cost = partial.cost + costs[j]
                guard fits(partial.members.count + 1, cost) else { continue }
                let delta = already + partial.addGain(j)
                evaluated += 1
                let costDelta = cost - base.cost
                if delta > eps, best == nil || delta > best!.0 + eps || (abs(delta - best!.0) <= eps && costDelta < best!.1 - 0.005) {
                    best = (delta, costDelta, groups[g].out, fixedIn + [j], 0)
                }
            }
            return best.map { ($0.0, $0.1, $0.2, $0.3, evaluated) }
        }
        var best: (Double, Double, [Int], [Int], Int)?
        var evaluated = evaluatedSoFar
        for r in results {
            guard let r else { continue }
            evaluated += r.4
            if best == nil || r.0 > best!.0 + eps || (abs(r.0 - best!.0) <= eps && r.1 < best!.1 - 0.005) { best = r }
        }
        guard let best else { return nil }
        return Move(kind: .exchange(out: best.2, into: best.3), delta: best.0, costDelta: best.1, evaluated: evaluated)
    }
}

/// Keeps the smallest data-dependent bound on the relaxed objective seen so far.
struct BoundTracker {
    let problem: CoverageProblem
    let limit: SelectionLimit
    let threads: Int
    /// Smallest bound on the relaxed optimum (gain over the existing network).
    private(set) var best = Double.infinity

    init(problem: CoverageProblem, limit: SelectionLimit, threads: Int) {
        self.problem = problem
        self.limit = limit
        self.threads = threads
    }

    /// g(S) + the best fractional use of the limit on the relaxed marginal gains at S.
    mutating func consider(_ state: SelectionState) {
        let gains = state.relaxedGains(threads: threads)
        var bound = state.relaxedValue
        switch limit {
        case .count(let k):
            bound += gains.sorted(by: >).prefix(k).reduce(0, +)
        case .budget(let b):
            let order = gains.indices.filter { gains[$0] > 0 }.sorted { a, c in
                let ra = problem.costs[a] > 0 ? gains[a] / problem.costs[a] : .infinity
                let rc = problem.costs[c] > 0 ? gains[c] / problem.costs[c] : .infinity
                return ra != rc ? ra > rc : a < c
            }
            var room = b
            for j in order {
                let c = problem.costs[j]
                if c <= room { bound += gains[j]; room -= c } else { bound += gains[j] * room / c; break }
            }
        }
        best = min(best, bound)
    }
}

/// A candidate waiting in the lazy greedy's queue: highest key first, ties to the lower candidate
/// index; `stamp` is the round its key was computed in.
struct LazyItem: HeapOrdered {
    var key: Double
    var candidate: Int
    var stamp: Int
    static func precedes(_ a: LazyItem, _ b: LazyItem) -> Bool { a.key != b.key ? a.key > b.key : a.candidate < b.candidate }
}
