/// A word that names a day, in English or in the shops' languages: `tomorrow`, `αύριο`, `rytoj`, `فردا`, `fri`,
/// `Παρασκευή`, `penktadienį`, `جمعه`. Read whatever the laptop's locale, with or without accents.
enum DayWord: Equatable {
    /// A day counted from today: 0 is today, 1 tomorrow, -1 yesterday.
    case relative(Int)
    /// A weekday, numbered as `Calendar` numbers them: 1 is Sunday, 7 Saturday.
    case weekday(Int)

    /// Reads the longest name of a day (up to three words, as "day after tomorrow") at the start of `words` and
    /// removes it from them; nil when they do not start with one.
    static func read(_ words: inout ArraySlice<String>) -> DayWord? {
        for count in stride(from: min(3, words.count), through: 1, by: -1) {
            if let word = names[words.prefix(count).joined(separator: " ")] {
                words.removeFirst(count)
                return word
            }
        }
        return nil
    }

    /// Every name, folded as typed text is, so that "αυριο", "siandien" and "پس فردا" find theirs.
    private static let names: [String: DayWord] = Dictionary(
        (english + greek + lithuanian + persian).map { (WhenText.fold($0.0), $0.1) },
        uniquingKeysWith: { first, _ in first }
    )

    private static let english: [(String, DayWord)] = [
        ("yesterday", .relative(-1)), ("today", .relative(0)), ("tomorrow", .relative(1)), ("day after tomorrow", .relative(2)),
        ("sunday", .weekday(1)), ("sun", .weekday(1)),
        ("monday", .weekday(2)), ("mon", .weekday(2)),
        ("tuesday", .weekday(3)), ("tue", .weekday(3)), ("tues", .weekday(3)),
        ("wednesday", .weekday(4)), ("wed", .weekday(4)),
        ("thursday", .weekday(5)), ("thu", .weekday(5)), ("thur", .weekday(5)), ("thurs", .weekday(5)),
        ("friday", .weekday(6)), ("fri", .weekday(6)),
        ("saturday", .weekday(7)), ("sat", .weekday(7)),
    ]

    /// Greek weekdays read the same after "την" (on), which is left out.
    private static let greek: [(String, DayWord)] = [
        ("χθες", .relative(-1)), ("χτες", .relative(-1)), ("σήμερα", .relative(0)), ("αύριο", .relative(1)), ("μεθαύριο", .relative(2)),
        ("Κυριακή", .weekday(1)), ("Κυρ", .weekday(1)),
        ("Δευτέρα", .weekday(2)), ("Δευ", .weekday(2)),
        ("Τρίτη", .weekday(3)), ("Τρί", .weekday(3)),
        ("Τετάρτη", .weekday(4)), ("Τετ", .weekday(4)),
        ("Πέμπτη", .weekday(5)), ("Πέμ", .weekday(5)),
        ("Παρασκευή", .weekday(6)), ("Παρ", .weekday(6)),
        ("Σάββατο", .weekday(7)), ("Σάβ", .weekday(7)),
    ]

    /// Lithuanian weekdays as named and as said for "on" (penktadienį, on Friday). The calendar's two-letter
    /// abbreviations (Pr, An, Tr, Kt, Pn, Š, S) are left out: "an" is English and Š and S fold alike.
    private static let lithuanian: [(String, DayWord)] = [
        ("vakar", .relative(-1)), ("šiandien", .relative(0)), ("rytoj", .relative(1)), ("poryt", .relative(2)),
        ("sekmadienis", .weekday(1)), ("sekmadienį", .weekday(1)),
        ("pirmadienis", .weekday(2)), ("pirmadienį", .weekday(2)),
        ("antradienis", .weekday(3)), ("antradienį", .weekday(3)),
        ("trečiadienis", .weekday(4)), ("trečiadienį", .weekday(4)),
        ("ketvirtadienis", .weekday(5)), ("ketvirtadienį", .weekday(5)),
        ("penktadienis", .weekday(6)), ("penktadienį", .weekday(6)),
        ("šeštadienis", .weekday(7)), ("šeštadienį", .weekday(7)),
    ]

    /// Persian names written with a zero-width non-joiner are also written with nothing or a space between their
    /// parts; folding drops the non-joiner, and the spaced forms are listed.
    private static let persian: [(String, DayWord)] = [
        ("دیروز", .relative(-1)), ("امروز", .relative(0)), ("فردا", .relative(1)), ("پس\u{200C}فردا", .relative(2)), ("پس فردا", .relative(2)),
        ("یکشنبه", .weekday(1)), ("یک شنبه", .weekday(1)),
        ("دوشنبه", .weekday(2)), ("دو شنبه", .weekday(2)),
        ("سه\u{200C}شنبه", .weekday(3)), ("سه شنبه", .weekday(3)),
        ("چهارشنبه", .weekday(4)), ("چهار شنبه", .weekday(4)),
        ("پنجشنبه", .weekday(5)), ("پنج شنبه", .weekday(5)),
        ("جمعه", .weekday(6)),
        ("شنبه", .weekday(7)),
    ]
}
