/// "Did you mean …?": the candidates nearest to what a person typed, by edit distance over folded text.
public enum Suggestion {
    /// The candidates at most `maxDistance` edits from `typed` (ignoring case and accents), nearest first.
    public static func closest(to typed: String, among candidates: some Sequence<String>, maxDistance: Int = 2, limit: Int = 3) -> [String] {
        let target = Array(SearchText.fold(typed))
        guard !target.isEmpty else { return [] }
        var scored: [(distance: Int, candidate: String)] = []
        for candidate in candidates {
            let distance = editDistance(target, Array(SearchText.fold(candidate)), bound: maxDistance)
            if distance <= maxDistance { scored.append((distance, candidate)) }
        }
        var seen = Set<String>()
        return scored.sorted { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }.map(\.candidate).filter { seen.insert($0).inserted }
            .prefix(limit).map { $0 }
    }

    /// Levenshtein distance, giving up (returning `bound + 1`) once it must exceed `bound`.
    static func editDistance(_ a: [Character], _ b: [Character], bound: Int) -> Int {
        guard abs(a.count - b.count) <= bound else { return bound + 1 }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            var rowMinimum = current[0]
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
                rowMinimum = min(rowMinimum, current[j + 1])
            }
            if rowMinimum > bound { return bound + 1 }
            previous = current
        }
        return previous[b.count]
    }
}
