import Foundation
import KeepCore
import Testing

/// Folding and FTS5 queries over real Greek, Lithuanian and Persian customer-service text (from /work/shared/corpus).
@Suite("Search text")
struct SearchTextTests {
    // MARK: - Greek

    @Test func greekCaseAndTonosNeverMatter() {
        let forms = ["Απάντηση", "απαντηση", "ΑΠΑΝΤΗΣΗ", "ΑΠΆΝΤΗΣΗ", "απάντηση"]
        #expect(Set(forms.map(SearchText.fold)) == ["απαντηση"])
    }

    @Test func greekFinalSigmaFoldsToSigma() {
        #expect(SearchText.fold("πελάτης") == "πελατησ")
        #expect(SearchText.fold("ΠΕΛΑΤΗΣ") == SearchText.fold("πελάτης"))
        // Lowercasing a capital Σ at the end of a word gives σ, not ς; both must meet.
        #expect(SearchText.fold("ΤΟΥΣ") == SearchText.fold("τους"))
    }

    @Test func greekDialytikaAndTonosTogether() {
        #expect(SearchText.fold("προϊόν") == "προιον")
        #expect(SearchText.fold("ΐ") == "ι")
        #expect(SearchText.fold("Ευχαριστημένοι") == "ευχαριστημενοι")
    }

    @Test func greekCorpusSentence() {
        let sentence = "Η υποστήριξη πελατών είναι ένας άλλος όρος για την εξυπηρέτηση πελατών."
        #expect(SearchText.fold(sentence) == "η υποστηριξη πελατων ειναι ενασ αλλοσ οροσ για την εξυπηρετηση πελατων.")
    }

    // MARK: - Lithuanian

    @Test func lithuanianOgonekCaronAndDotFold() {
        #expect(SearchText.fold("klientų") == SearchText.fold("klientu"))
        #expect(SearchText.fold("KLIENTŲ") == "klientu")
        #expect(SearchText.fold("Klientų aptarnavimo prasmė") == "klientu aptarnavimo prasme")
        #expect(SearchText.fold("įmonės savininkai") == "imones savininkai")
        #expect(SearchText.fold("Išspręskite problemą visų šalių pasitenkinimui") == "isspreskite problema visu saliu pasitenkinimui")
        #expect(SearchText.fold("žinių") == "ziniu")
        #expect(SearchText.fold("Kalėdų kortelių") == "kaledu korteliu")
    }

    // MARK: - Persian

    @Test func persianArabicYehAndKafFoldToPersian() {
        // The corpus writes Persian yeh ی and kaf ک; keyboards set to Arabic type ي and ك.
        #expect(SearchText.fold("مشتريان") == "مشتریان")
        #expect(SearchText.fold("كار") == "کار")
        #expect(SearchText.fold("كسبوكار") == SearchText.fold("کسبوکار"))
        #expect(SearchText.fold("مشترى") == SearchText.fold("مشتری"))
    }

    @Test func persianAndArabicIndicDigitsBecomeASCII() {
        #expect(SearchText.fold("۱۲۳۴۵۶۷۸۹۰") == "1234567890")
        #expect(SearchText.fold("١٢٣٤٥٦٧٨٩٠") == "1234567890")
        #expect(SearchText.fold("انتشار یافته : ۰") == "انتشار یافته : 0")
        #expect(SearchText.fold("۱. برای ارتباطات شخصی") == "1. برای ارتباطات شخصی")
    }

    @Test func persianZWNJTatweelAndHarakatDisappear() {
        #expect(SearchText.fold("می‌خواهم") == SearchText.fold("میخواهم"))
        #expect(SearchText.fold("می\u{200C}دهند") == "میدهند")
        #expect(SearchText.fold("مشـــتری") == "مشتری")
        #expect(SearchText.fold("مُشتَری") == "مشتری")
    }

    @Test func persianHamzaForms() {
        // ۀ and ه with a separate hamza are both ه to a reader searching.
        #expect(SearchText.fold("خانۀ") == "خانه")
        #expect(SearchText.fold("خانهٔ") == "خانه")
        // ئ decomposes to Arabic yeh + hamza; the yeh must still become Persian.
        #expect(SearchText.fold("مسئول") == "مسیول")
    }

    // MARK: - Everything else

    @Test func latinAndTurkish() {
        #expect(SearchText.fold("Crème Brûlée") == "creme brulee")
        #expect(SearchText.fold("İstanbul") == "istanbul")
    }

    @Test func invisibleCharactersInsideWordsAreDropped() {
        #expect(SearchText.fold("pa\u{00AD}slaugos") == "paslaugos")
        #expect(SearchText.fold("\u{2068}مریم\u{2069}") == "مریم")
        #expect(SearchText.fold("\u{FEFF}Jonas") == "jonas")
    }

    @Test func foldedTextIsComposedAndStable() {
        let samples = [
            "한국어 고객", "Αικατερίνη Οικονόμου", "Rūta Žilinskienė", "مریم رضایی ۰۹۱۲", "e\u{301}", "Ωραία", "",
        ]
        for sample in samples {
            let folded = SearchText.fold(sample)
            #expect(SearchText.fold(folded) == folded)
            #expect(folded.precomposedScalars == Array(folded.unicodeScalars))
        }
        #expect(SearchText.fold("한국어") == "한국어")
    }

    // MARK: - FTS5 expressions

    @Test func oneWordIsAPrefixQuery() {
        #expect(SearchText.matchExpression(for: "Απάντηση") == "\"απαντηση\" *")
    }

    @Test func wordsAreJoinedWithANDAndOnlyTheLastIsAPrefix() {
        #expect(SearchText.matchExpression(for: "Klientų aptarnavim") == "\"klientu\" AND \"aptarnavim\" *")
        #expect(SearchText.matchExpression(for: "  εξυπηρέτηση   ΠΕΛΑΤΩΝ ") == "\"εξυπηρετηση\" AND \"πελατων\" *")
    }

    @Test func persianQueriesFoldLikeTheIndex() {
        #expect(SearchText.matchExpression(for: "مشتري") == "\"مشتری\" *")
        #expect(SearchText.matchExpression(for: "می‌خواهم ۱۲۳") == "\"میخواهم\" AND \"123\" *")
    }

    @Test func punctuationSeparatesWords() {
        #expect(SearchText.matchExpression(for: "+370 612-34567") == "\"370\" AND \"612\" AND \"34567\" *")
        #expect(SearchText.matchExpression(for: "jonas@example.lt") == "\"jonas\" AND \"example\" AND \"lt\" *")
        #expect(SearchText.matchExpression(for: "ό,τι") == "\"ο\" AND \"τι\" *")
    }

    @Test(
        arguments: [
            "foo\" OR bar", "NEAR(a b)", "body:secret", "^start", "-minus", "a*", "(x", "{a b}: c", "AND", "OR NOT",
            "a AND", "x + y", "col : \"val\"",
        ]
    )
    func fts5SyntaxIsOnlyEverWords(_ query: String) throws {
        let expression = try #require(SearchText.matchExpression(for: query))
        #expect(Self.isSafe(expression), "\(expression)")
    }

    @Test(arguments: ["", "   ", "\n\t", "!!! ... ---", "\"", "\"\"", "*", "* *", "🙂 👍", "\u{200C}\u{0640}", "\u{301}"])
    func nothingSearchableGivesNil(_ query: String) {
        #expect(SearchText.matchExpression(for: query) == nil)
    }

    @Test func keywordsAreQuotedAsPlainWords() {
        #expect(SearchText.matchExpression(for: "foo\" OR bar") == "\"foo\" AND \"or\" AND \"bar\" *")
        #expect(SearchText.matchExpression(for: "NEAR(a b)") == "\"near\" AND \"a\" AND \"b\" *")
    }

    /// Random text from an alphabet rich in FTS5 syntax, scripts, marks and invisibles never escapes the safe shape.
    @Test func randomInputNeverEscapesTheSafeShape() {
        let alphabet: [String] =
            "aZ09 \"'*^:-+(){}[],.;!?\\/\t\n_@#ςσΆάΐϊųėšž۱٣يكـ\u{200C}\u{200F}\u{202E}\u{301}\u{64E}\u{0}🙂한中".map(String.init) + [
                "AND", "OR", "NOT", "NEAR",
            ]
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 24)
            let query = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
            guard let expression = SearchText.matchExpression(for: query) else {
                #expect(SearchText.fold(query).unicodeScalars.allSatisfy { !$0.properties.isAlphabetic && !$0.properties.numericType.isSome })
                continue
            }
            #expect(Self.isSafe(expression), "\(query.debugDescription) gave \(expression)")
        }
    }

    /// `"w1" AND "w2" ... *`, each word non-empty, folded and free of quotes: nothing FTS5 could read as syntax.
    private static func isSafe(_ expression: String) -> Bool {
        guard expression.hasSuffix("\" *") else { return false }
        let phrases = expression.dropLast(2).components(separatedBy: " AND ")
        return phrases.allSatisfy { phrase in
            guard phrase.count >= 3, phrase.first == "\"", phrase.last == "\"" else { return false }
            let word = phrase.dropFirst().dropLast()
            return !word.contains("\"") && !word.contains(" ") && SearchText.fold(String(word)) == String(word)
        }
    }
}

extension String {
    fileprivate var precomposedScalars: [Unicode.Scalar] { Array(precomposedStringWithCanonicalMapping.unicodeScalars) }
}

extension Optional {
    fileprivate var isSome: Bool { self != nil }
}
