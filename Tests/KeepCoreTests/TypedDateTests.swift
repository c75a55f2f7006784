import Foundation
import KeepCore
import Testing

/// The dates people type (issue #14, item 10), each as a user wrote it, read on Tuesday 24 November 2026 at 10:00
/// in Athens (08:00 UTC), where the working day ends at 17:00 (15:00 UTC).
@Suite("Dates people type")
struct TypedDateTests {
    private let athens = ShopClock("Europe/Athens")
    private let now = utc("2026-11-24T08:00:00Z")
    private var parser: WhenParser { athens.parser(now: now) }

    /// The end of the working day on `day`, in November or December (UTC+2).
    private func endOfWorkday(_ day: String) -> Date { utc(day + "T15:00:00Z") }

    // MARK: - Spans from now

    @Test(arguments: [
        ("in 2 days", "2026-11-26"), ("in 3 weeks", "2026-12-15"), ("in 1 month", "2026-12-24"), ("in 1 year", "2027-11-24"),
        ("in a week", "2026-12-01"), ("in a month", "2026-12-24"), ("In 2 Days", "2026-11-26"), ("in 2days", "2026-11-26"),
        ("in 2 wks", "2026-12-08"), ("+2 days", "2026-11-26"), ("+3mo", "2027-02-24"), ("+1 month", "2026-12-24"), ("+1y", "2027-11-24"),
        ("+2yrs", "2028-11-24"), ("in 0 days", "2026-11-24"),
    ])
    func spansOfDaysAndLongerEndAtTheWorkingDaysEnd(_ text: String, _ day: String) throws {
        #expect(try parser.parse(text) == endOfWorkday(day))
    }

    @Test(arguments: [
        ("in 2 hours", "2026-11-24T10:00:00Z"), ("in 30 minutes", "2026-11-24T08:30:00Z"), ("in an hour", "2026-11-24T09:00:00Z"),
        ("in 1 minute", "2026-11-24T08:01:00Z"), ("+30min", "2026-11-24T08:30:00Z"), ("+90 mins", "2026-11-24T09:30:00Z"),
        ("+2 hours", "2026-11-24T10:00:00Z"), ("+1hr", "2026-11-24T09:00:00Z"), ("+4h", "2026-11-24T12:00:00Z"),
    ])
    func minutesAndHoursAreExactlyThatLongFromNow(_ text: String, _ expected: String) throws {
        #expect(try parser.parse(text) == utc(expected))
    }

    @Test func aSpanInDaysTakesATime() throws {
        #expect(try parser.parse("in 2 days 10:00") == utc("2026-11-26T08:00:00Z"))
        #expect(try parser.parse("+1mo 9:30") == utc("2026-12-24T07:30:00Z"))
    }

    // MARK: - Weekdays and days

    @Test(arguments: [
        ("next friday", "2026-11-27"), ("next fri", "2026-11-27"), ("Next Friday", "2026-11-27"), ("next mon", "2026-11-30"),
        ("this friday", "2026-11-27"), ("this fri", "2026-11-27"), ("this mon", "2026-11-30"), ("next Παρασκευή", "2026-11-27"),
    ])
    func nextAndThisWeekday(_ text: String, _ day: String) throws {
        #expect(try parser.parse(text) == endOfWorkday(day))
    }

    @Test("said on a Tuesday, next tue is a week away and this tue is today")
    func nextAndThisOnTheDayItself() throws {
        #expect(try parser.parse("next tue") == endOfWorkday("2026-12-01"))
        #expect(try parser.parse("this tue") == endOfWorkday("2026-11-24"))
        let evening = athens.parser(now: utc("2026-11-24T17:30:00Z"))
        #expect(try evening.parse("this tuesday") == utc("2026-11-24T21:59:00Z"))
    }

    @Test(arguments: [("day after tomorrow", "2026-11-26"), ("yesterday", "2026-11-23"), ("Day After Tomorrow", "2026-11-26")])
    func otherDaysInWords(_ text: String, _ day: String) throws {
        #expect(try parser.parse(text) == endOfWorkday(day))
    }

    @Test(arguments: [
        ("next friday 10:00", "2026-11-27T08:00:00Z"), ("tomorrow at 10:00", "2026-11-25T08:00:00Z"), ("10:00 tomorrow", "2026-11-25T08:00:00Z"),
        ("day after tomorrow 9:30", "2026-11-26T07:30:00Z"), ("this fri at 18:00", "2026-11-27T16:00:00Z"),
        ("yesterday 12:00", "2026-11-23T10:00:00Z"),
    ])
    func aDayWithATime(_ text: String, _ expected: String) throws {
        #expect(try parser.parse(text) == utc(expected))
    }

    @Test(arguments: [
        "next week", "next tomorrow", "this", "next", "next 10:00", "in 2 hours 10:00", "tomorrow at", "at 10:00", "tomorrow at at 10:00",
        "in", "in a", "in a fortnight", "in 2", "10:00 11:00", "day after", "fri next",
    ])
    func unreadableWords(_ text: String) {
        #expect(throws: WhenError(.unreadableDate, input: text)) { try parser.parse(text) }
    }

    // MARK: - Minutes and months

    @Test func aBareMIsRefusedWithBothReadings() throws {
        let error = WhenError(
            .ambiguousUnit,
            input: "+1m",
            readings: [WhenError.Reading(meaning: "1 minute", written: "+1min"), WhenError.Reading(meaning: "1 month", written: "+1mo")]
        )
        #expect(throws: error) { try parser.parse("+1m") }
        #expect(error.description == "\"+1m\" could be 1 minute (+1min) or 1 month (+1mo): write the one you mean")
    }

    @Test(arguments: ["+1m", "+1M", "+30m", "in 3m", "in 3 m", "+3 m", "+999999999m", "+5m 10:00"])
    func everyBareMIsAmbiguousInADueDate(_ text: String) {
        #expect(reason(of: { try parser.parse(text) }) == .ambiguousUnit)
    }

    @Test func aBareMIsAmbiguousInASpanToo() {
        #expect(
            message(of: { try parser.parseOffset("3m") }) == "\"3m\" could be 3 minutes (3min) or 3 months (3mo): write the one you mean"
        )
        #expect(
            message(of: { try parser.parseOffset("in 3m") }) == "\"in 3m\" could be 3 minutes (in 3min) or 3 months (in 3mo): write the one you mean"
        )
        #expect(reason(of: { try parser.parseOffset("+1m") }) == .ambiguousUnit)
    }

    @Test(arguments: [
        ("3mo", "2027-02-24T15:00:00Z"), ("3 months", "2027-02-24T15:00:00Z"), ("in 3 months", "2027-02-24T15:00:00Z"),
        ("2 weeks", "2026-12-08T15:00:00Z"),
        ("+90 days", "2027-02-22T15:00:00Z"), ("1 year", "2027-11-24T15:00:00Z"), ("90 d", "2027-02-22T15:00:00Z"),
        ("in a week", "2026-12-01T15:00:00Z"),
        ("4h", "2026-11-24T12:00:00Z"), ("30min", "2026-11-24T08:30:00Z"), ("+30h", "2026-11-25T14:00:00Z"), ("in an hour", "2026-11-24T09:00:00Z"),
    ])
    func followUpSpansTakeEveryUnit(_ text: String, _ expected: String) throws {
        #expect(try parser.parseOffset(text) == utc(expected))
    }

    // MARK: - Dates in numbers

    @Test(arguments: ["04/12/2026", "4.12.2026", "04-12-2026", "4/12/2026", "04.12.2026 ", "۰۴/۱۲/۲۰۲۶"])
    func dayFirstWhereTheLocaleWritesTheDayFirst(_ text: String) throws {
        #expect(try athens.parser(now: now, order: .dayFirst).parse(text) == endOfWorkday("2026-12-04"))
    }

    @Test(arguments: ["04/12/2026", "4.12.2026", "04-12-2026"])
    func monthFirstWhereTheLocaleWritesTheMonthFirst(_ text: String) throws {
        // 12 April is in summer time (UTC+3).
        #expect(try athens.parser(now: now, order: .monthFirst).parse(text) == utc("2026-04-12T14:00:00Z"))
    }

    @Test func anUnknownOrderRefusesADateThatReadsBothWays() {
        let error = WhenError(
            .ambiguousDate,
            input: "04/12/2026",
            readings: [
                WhenError.Reading(meaning: "4 December 2026", written: "2026-12-04"),
                WhenError.Reading(meaning: "12 April 2026", written: "2026-04-12"),
            ]
        )
        #expect(throws: error) { try parser.parse("04/12/2026") }
        #expect(error.description == "\"04/12/2026\" could be 4 December 2026 (2026-12-04) or 12 April 2026 (2026-04-12): write the one you mean")
        #expect(reason(of: { try parser.parse("04/12/2026 10:00") }) == .ambiguousDate)
    }

    @Test(arguments: [DateOrder.dayFirst, .monthFirst, .unknown])
    func aDateWithOneReadingIsReadSoUnderAnyOrder(_ order: DateOrder) throws {
        let parser = athens.parser(now: now, order: order)
        #expect(try parser.parse("13/4/2026") == utc("2026-04-13T14:00:00Z"))
        #expect(try parser.parse("4/13/2026") == utc("2026-04-13T14:00:00Z"))
        #expect(try parser.parse("25.11.2026") == endOfWorkday("2026-11-25"))
        #expect(try parser.parse("5/5/2026") == utc("2026-05-05T14:00:00Z"), "the same day read both ways")
        #expect(try parser.parse("2026-12-04") == endOfWorkday("2026-12-04"))
    }

    @Test func aDateInNumbersWithATime() throws {
        #expect(try athens.parser(now: now, order: .dayFirst).parse("04/12/2026 10:00") == utc("2026-12-04T08:00:00Z"))
        #expect(try athens.parser(now: now, order: .monthFirst).parse("12/4/2026 10:00") == utc("2026-12-04T08:00:00Z"))
    }

    @Test(arguments: [
        ("4/12", 2026, 12, 4), ("4.12", 2026, 12, 4), ("04-12", 2026, 12, 4), ("4/1", 2027, 1, 4), ("20/11", 2026, 11, 20),
        ("20/5", 2027, 5, 20), ("1/6", 2026, 6, 1),
    ])
    func withoutAYearTheNearestSuchDay(_ text: String, _ year: Int, _ month: Int, _ day: Int) throws {
        #expect(try athens.parser(now: now, order: .dayFirst).parse(text) == athens.local(year, month, day, 17))
    }

    @Test func withoutAYearBothReadingsAreNamedWithTheirYears() {
        #expect(
            message(of: { try parser.parse("4/12") })
                == "\"4/12\" could be 4 December 2026 (2026-12-04) or 12 April 2027 (2027-04-12): write the one you mean"
        )
    }

    @Test func the29thOfFebruaryWithoutAYearNeedsALeapYearNearby() throws {
        #expect(throws: WhenError(.noSuchDay, input: "29/2")) { try athens.parser(now: now, order: .dayFirst).parse("29/2") }
        let nearLeap = athens.parser(now: utc("2027-11-24T08:00:00Z"), order: .dayFirst)
        #expect(try nearLeap.parse("29/2") == endOfWorkday("2028-02-29"))
    }

    @Test(arguments: ["31/2/2026", "13/13/2026", "0/12/2026", "32/1", "30.02.2026", "4/12/0000"])
    func aDateInNumbersThatIsNoDay(_ text: String) {
        #expect(throws: WhenError(.noSuchDay, input: text)) { try athens.parser(now: now, order: .dayFirst).parse(text) }
    }

    @Test(arguments: ["04/12/26", "4/12/2026/1", "4//2026", "4/12-2026", "123/1/2026", "4/12/20266", "/4/12", "4/", "4.12.2026."])
    func otherNumbersAreNotDates(_ text: String) {
        #expect(throws: WhenError(.unreadableDate, input: text)) { try athens.parser(now: now, order: .dayFirst).parse(text) }
    }

    // MARK: - The shops' languages

    @Test(arguments: ["σήμερα", "Σήμερα", "σημερα", "ΣΗΜΕΡΑ", "šiandien", "siandien", "ŠIANDIEN", "امروز"])
    func todayInTheShopsLanguages(_ text: String) throws {
        #expect(try parser.parse(text) == endOfWorkday("2026-11-24"))
    }

    @Test(arguments: ["αύριο", "αυριο", "ΑΎΡΙΟ", "rytoj", "Rytoj", "فردا"])
    func tomorrowInTheShopsLanguages(_ text: String) throws {
        #expect(try parser.parse(text) == endOfWorkday("2026-11-25"))
    }

    @Test(arguments: ["μεθαύριο", "μεθαυριο", "poryt", "پس\u{200C}فردا", "پسفردا", "پس فردا"])
    func theDayAfterTomorrowInTheShopsLanguages(_ text: String) throws {
        #expect(try parser.parse(text) == endOfWorkday("2026-11-26"))
    }

    @Test(arguments: ["χθες", "χτες", "ΧΘΕΣ", "vakar", "دیروز"])
    func yesterdayInTheShopsLanguages(_ text: String) throws {
        #expect(try parser.parse(text) == endOfWorkday("2026-11-23"))
    }

    @Test(arguments: [
        ("Δευτέρα", "2026-11-30"), ("δευ", "2026-11-30"), ("Τρίτη", "2026-12-01"), ("Τρί", "2026-12-01"), ("Τετάρτη", "2026-11-25"),
        ("Τετ", "2026-11-25"), ("Πέμπτη", "2026-11-26"), ("Πέμ", "2026-11-26"), ("Παρασκευή", "2026-11-27"), ("παρασκευη", "2026-11-27"),
        ("Παρ", "2026-11-27"), ("Σάββατο", "2026-11-28"), ("Σάβ", "2026-11-28"), ("Κυριακή", "2026-11-29"), ("ΚΥΡΙΑΚΗ", "2026-11-29"),
        ("Κυρ", "2026-11-29"),
    ])
    func greekWeekdays(_ text: String, _ day: String) throws {
        #expect(try parser.parse(text) == endOfWorkday(day))
    }

    @Test(arguments: [
        ("pirmadienis", "2026-11-30"), ("antradienį", "2026-12-01"), ("antradienis", "2026-12-01"), ("trečiadienis", "2026-11-25"),
        ("treciadieni", "2026-11-25"), ("ketvirtadienis", "2026-11-26"), ("penktadienį", "2026-11-27"), ("Penktadienis", "2026-11-27"),
        ("šeštadienis", "2026-11-28"), ("sestadienis", "2026-11-28"), ("sekmadienis", "2026-11-29"), ("sekmadienį", "2026-11-29"),
    ])
    func lithuanianWeekdays(_ text: String, _ day: String) throws {
        #expect(try parser.parse(text) == endOfWorkday(day))
    }

    @Test(arguments: [
        ("دوشنبه", "2026-11-30"), ("دو شنبه", "2026-11-30"), ("سه\u{200C}شنبه", "2026-12-01"), ("سه شنبه", "2026-12-01"),
        ("چهارشنبه", "2026-11-25"), ("پنجشنبه", "2026-11-26"), ("پنج\u{200C}شنبه", "2026-11-26"), ("جمعه", "2026-11-27"),
        ("شنبه", "2026-11-28"), ("یکشنبه", "2026-11-29"), ("یک شنبه", "2026-11-29"),
        // Written with an Arabic keyboard's kaf and yeh.
        ("يكشنبه", "2026-11-29"),
    ])
    func persianWeekdays(_ text: String, _ day: String) throws {
        #expect(try parser.parse(text) == endOfWorkday(day))
    }

    @Test(arguments: ["αύριο 10:00", "Αύριο στις 10:00", "rytoj 10:00", "فردا ۱۰:۰۰", "۱۰:۰۰ فردا"])
    func aDayInTheShopsLanguagesWithATime(_ text: String) throws {
        #expect(try parser.parse(text) == utc("2026-11-25T08:00:00Z"))
    }

    @Test(arguments: ["pn", "an", "š", "pr", "αύριον", "farda"])
    func abbreviationsThatCouldMeanOtherThingsAreNotRead(_ text: String) {
        #expect(throws: WhenError(.unreadableDate, input: text)) { try parser.parse(text) }
    }

    // MARK: - Helpers

    private func reason(of body: () throws -> Date) -> WhenError.Reason? {
        failure(of: body)?.reason
    }

    private func message(of body: () throws -> Date) -> String? {
        failure(of: body)?.description
    }

    private func failure(of body: () throws -> Date) -> WhenError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? WhenError
        }
    }
}

@Suite("The order of day and month from the locale")
struct DateOrderTests {
    @Test(arguments: [
        ("en_US.UTF-8", DateOrder.monthFirst), ("en_US", .monthFirst), ("es_US.UTF-8", .monthFirst), ("en_PH.UTF-8", .monthFirst),
        ("en-US", .monthFirst),
        ("el_GR.UTF-8", .dayFirst), ("lt_LT.UTF-8", .dayFirst), ("fa_IR", .dayFirst), ("en_GB.UTF-8", .dayFirst), ("de_DE@euro", .dayFirst),
        ("el", .dayFirst), ("sr_RS@latin", .dayFirst), ("en", .unknown), ("en_CA.UTF-8", .unknown), ("fr_CA", .unknown), ("C", .dayFirst),
        ("C.UTF-8", .dayFirst), ("POSIX", .dayFirst), ("", .dayFirst),
    ])
    func aLocaleNamesItsOrder(_ locale: String, _ order: DateOrder) {
        #expect(DateOrder(locale: locale) == order)
    }

    @Test func noLocaleIsUnknown() {
        #expect(DateOrder(locale: nil) == .dayFirst)
    }

    @Test func theEnvironmentIsReadAsTheCLibraryReadsIt() {
        #expect(DateOrder(environment: ["LC_ALL": "el_GR.UTF-8", "LC_TIME": "en_US.UTF-8", "LANG": "en_US.UTF-8"]) == .dayFirst)
        #expect(DateOrder(environment: ["LC_TIME": "en_US.UTF-8", "LANG": "el_GR.UTF-8"]) == .monthFirst)
        #expect(DateOrder(environment: ["LC_ALL": "", "LC_TIME": "", "LANG": "en_US.UTF-8"]) == .monthFirst, "empty is unset")
        #expect(DateOrder(environment: ["LANG": "lt_LT.UTF-8"]) == .dayFirst)
        #expect(DateOrder(environment: ["LC_MESSAGES": "en_US.UTF-8"]) == .dayFirst, "only the locale for dates counts")
        #expect(DateOrder(environment: [:]) == .dayFirst)
    }
}
