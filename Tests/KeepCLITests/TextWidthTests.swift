import Testing

@testable import KeepCLI

@Suite("Display width")
struct TextWidthTests {
    @Test(arguments: [
        ("", 0),
        ("abc", 3),
        ("Αικατερίνη Οικονόμου", 20),
        ("ΑΠΆΝΤΗΣΗ", 8),
        ("Klientų aptarnavimo prasmė", 26),
        ("Rūta Žilinskienė", 16),
        ("مریم رضایی", 10),
        ("مُشتَری", 5),
        ("می‌خواهم", 7),
        ("۰۹۱۲", 4),
    ])
    func lettersOfGreekLithuanianAndPersianTakeOneColumn(_ text: String, _ width: Int) {
        #expect(TextWidth.of(text) == width)
    }

    @Test func combiningMarksTakeNoColumn() {
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of("klientu\u{328}") == 7)
        #expect(TextWidth.of("\u{301}") == 0)
        #expect(TextWidth.of("α\u{301}\u{308}") == 1)
    }

    @Test(arguments: ["\u{200B}", "\u{200C}", "\u{200D}", "\u{200F}", "\u{2068}\u{2069}", "\u{FEFF}", "\u{00AD}", "\u{FE0F}"])
    func invisibleFormatCharactersTakeNoColumn(_ text: String) {
        #expect(TextWidth.of(text) == 0)
    }

    @Test func isolatesAroundTextAddNothing() {
        #expect(TextWidth.of("\u{2068}مریم\u{2069}") == 4)
    }

    @Test(arguments: [
        ("中文", 4),
        ("顧客", 4),
        ("한국어", 6),
        ("\u{1112}\u{1161}\u{11AB}", 2),
        ("ｶﾀｶﾅ", 4),
        ("ＡＢ", 4),
        ("カタカナ", 8),
        ("、。", 4),
        ("𠀋", 2),
    ])
    func eastAsianWideTakesTwoColumns(_ text: String, _ width: Int) {
        #expect(TextWidth.of(text) == width)
    }

    @Test(arguments: [("😀", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("🇬🇷", 2), ("❤️", 2), ("❤", 1), ("✔", 1), ("1️⃣", 2), ("a😀b", 4)])
    func emojiPresentationTakesTwoColumns(_ text: String, _ width: Int) {
        #expect(TextWidth.of(text) == width)
    }

    @Test func colourSequencesTakeNoColumn() {
        #expect(TextWidth.of("\u{1B}[31m2h late\u{1B}[0m") == 7)
        #expect(TextWidth.of("\u{1B}[1;31mΑ\u{1B}[0m") == 1)
    }

    // MARK: - Truncation

    @Test func textThatFitsIsUnchanged() {
        #expect(TextWidth.truncate("Αικατερίνη", to: 10) == "Αικατερίνη")
        #expect(TextWidth.truncate("Αικατερίνη", to: 80) == "Αικατερίνη")
    }

    @Test func cutTextEndsInAnEllipsisWithinTheWidth() {
        #expect(TextWidth.truncate("Αικατερίνη Οικονόμου", to: 10) == "Αικατερίν…")
        #expect(TextWidth.truncate("Klientų aptarnavimo prasmė", to: 8) == "Klientų…")
        #expect(TextWidth.truncate("مریم رضایی", to: 6) == "مریم…")
    }

    @Test func spacesBeforeTheEllipsisAreDropped() {
        #expect(TextWidth.truncate("ab cd", to: 4) == "ab…")
    }

    @Test func tinyWidths() {
        #expect(TextWidth.truncate("abc", to: 1) == "…")
        #expect(TextWidth.truncate("abc", to: 0) == "")
        #expect(TextWidth.truncate("abc", to: -3) == "")
        #expect(TextWidth.truncate("", to: 0) == "")
    }

    @Test func graphemeClustersAreNeverSplit() {
        let decomposed = "e\u{301}e\u{301}e\u{301}"
        #expect(TextWidth.truncate(decomposed, to: 2) == "e\u{301}…")
        #expect(TextWidth.truncate("مُشتَری مشتریان", to: 4) == "مُشتَ…")
        #expect(TextWidth.truncate("👨‍👩‍👧👨‍👩‍👧", to: 3) == "👨‍👩‍👧…")
        #expect(TextWidth.truncate("🇬🇷🇱🇹", to: 3) == "🇬🇷…")
    }

    @Test func wideCharactersAreNotHalved() {
        #expect(TextWidth.truncate("中文字", to: 4) == "中…")
        #expect(TextWidth.truncate("中文字", to: 5) == "中文…")
    }

    @Test func colourIsResetAfterACut() {
        let red = "\u{1B}[31mhello world\u{1B}[0m"
        #expect(TextWidth.truncate(red, to: 6) == "\u{1B}[31mhello…\u{1B}[0m")
        #expect(TextWidth.truncate(red, to: 11) == red)
    }

    @Test(arguments: 0...24)
    func truncationNeverExceedsTheWidth(_ width: Int) {
        let samples = [
            "Η υποστήριξη πελατών είναι ένας άλλος όρος", "Nuoseklus ir apgalvotas klientų aptarnavimas",
            "برای ارتباطات شخصی هیچ جایگزینی وجود ندارد", "中文和한국어 mixed 😀 text", "e\u{301}\u{301}x\u{308}",
        ]
        for sample in samples {
            let cut = TextWidth.truncate(sample, to: width)
            #expect(TextWidth.of(cut) <= max(width, 0))
            #expect(sample.hasPrefix(cut.hasSuffix("…") ? String(cut.dropLast()) : cut))
        }
    }
}
