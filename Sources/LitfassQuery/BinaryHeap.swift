/// An element of a `BinaryHeap`: says which of two elements comes out first.
public protocol HeapOrdered {
    /// Whether `a` leaves the heap before `b`. Must be a strict order; break ties explicitly so
    /// that the heap's output is deterministic.
    static func precedes(_ a: Self, _ b: Self) -> Bool
}

/// A binary heap (priority queue) over a flat array: `push` and `pop` in O(log n). Used by the
/// fibre router (Dijkstra) and the optimiser (lazy greedy).
public struct BinaryHeap<Element: HeapOrdered> {
    private var items: [Element] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func push(_ element: Element) {
        items.append(element)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Element.precedes(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the first element; nil when empty.
    public mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, Element.precedes(items[l], items[m]) { m = l }
                if r < items.count, Element.precedes(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
