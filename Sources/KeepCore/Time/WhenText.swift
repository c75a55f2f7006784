/// What the shop owner typed, tidied as search text is (no case, no accents, one spelling of Persian letters, ASCII
/// digits, no zero-width non-joiners) and split into words; an ISO date and time joined by a space stays one word.
struct WhenText {
    let words: [String]

    init(_ text: String) {
        var words = SearchText.fold(text).split(whereSeparator: \.isWhitespace).map(String.init)
        if words.count == 2, Self.isISODate(words[0]), words[1].first?.isASCIIDigit == true,
            words[1].contains(where: { $0 == "z" || $0 == "+" || $0 == "-" }) || words[1].filter({ $0 == ":" }).count == 2
        {
            // "2026-11-25 17:00:00Z" is one instant, not a day and a time of day.
            words = [words[0] + " " + words[1]]
        }
        self.words = words
    }

    /// Folds a word as typed text is folded, for tables of words to compare with it.
    static func fold(_ word: String) -> String { SearchText.fold(word) }

    private static func isISODate(_ word: String) -> Bool {
        word.count >= 8 && word.filter { $0 == "-" }.count == 2 && word.allSatisfy { $0 == "-" || $0.isASCIIDigit }
    }
}

extension Character {
    /// 0-9 only; `isNumber` would also accept other scripts' digits and fractions.
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
