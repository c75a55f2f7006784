import Foundation
import KeepCore
import Testing

/// A clock pinned in one time zone, for reading typed dates as a shop there would.
struct ShopClock {
    let calendar: Calendar

    init(_ zone: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        self.calendar = calendar
    }

    /// A local wall-clock time in this zone.
    func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
        calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    func parser(now: Date, workdayEnd: DayTime = DayTime(hour: 17, minute: 0), order: DateOrder = .unknown) -> WhenParser {
        WhenParser(now: now, calendar: calendar, workdayEnd: workdayEnd, dateOrder: order)
    }
}

/// An instant written in UTC, independent of any parser.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
}

@Suite("Reading due dates")
struct WhenParserTests {
    private let athens = ShopClock("Europe/Athens")
    /// Tuesday 24 November 2026, 10:00 in Athens (UTC+2).
    private var parser: WhenParser { athens.parser(now: utc("2026-11-24T08:00:00Z")) }

    // MARK: - Absolute dates

    @Test func isoDateIsThatDayAtTheEndOfTheWorkingDay() throws {
        #expect(try parser.parse("2026-11-25") == utc("2026-11-25T15:00:00Z"))
    }

    @Test(arguments: ["2026-11-25T17:00", "2026-11-25 17:00", "2026-11-25t17:00", " 2026-11-25   17:00 ", "2026-11-25 17:00:00"])
    func isoDateAndTimeAreOnTheShopsClock(_ text: String) throws {
        #expect(try parser.parse(text) == utc("2026-11-25T15:00:00Z"))
    }

    @Test func isoWithSecondsKeepsThem() throws {
        #expect(try parser.parse("2026-11-25T17:00:30") == utc("2026-11-25T15:00:30Z"))
    }

    @Test func isoWithZoneIsAbsolute() throws {
        #expect(try parser.parse("2026-11-25T17:00:00Z") == utc("2026-11-25T17:00:00Z"))
        #expect(try parser.parse("2026-11-25 17:00Z") == utc("2026-11-25T17:00:00Z"))
        #expect(try parser.parse("2026-11-25T17:00+03:30") == utc("2026-11-25T13:30:00Z"))
        #expect(try parser.parse("2026-11-25 17:00:00-05:00") == utc("2026-11-25T22:00:00Z"))
        #expect(try parser.parse("2026-11-25T17:00+0200") == utc("2026-11-25T15:00:00Z"))
        #expect(try parser.parse("2026-11-25T17:00-03") == utc("2026-11-25T20:00:00Z"))
    }

    @Test func pastDatesAreReadNotRefused() throws {
        #expect(try parser.parse("2020-01-01") == utc("2020-01-01T15:00:00Z"))
        #expect(try parser.parse("9:30") == utc("2026-11-24T07:30:00Z"))
    }

    @Test func persianDigitsReadAsDigits() throws {
        #expect(try parser.parse("۲۰۲۶-۱۱-۲۵") == utc("2026-11-25T15:00:00Z"))
        #expect(try parser.parse("٢٠٢٦-١١-٢٥ ١٠:٠٠") == utc("2026-11-25T08:00:00Z"))
    }

    // MARK: - Words

    @Test(arguments: ["today", "eod", "TODAY", " Eod ", "+0d"])
    func todayAndEodAreTheEndOfTodaysWorkingDay(_ text: String) throws {
        #expect(try parser.parse(text) == utc("2026-11-24T15:00:00Z"))
    }

    @Test func tomorrowWithAndWithoutATime() throws {
        #expect(try parser.parse("tomorrow") == utc("2026-11-25T15:00:00Z"))
        #expect(try parser.parse("Tomorrow 10:00") == utc("2026-11-25T08:00:00Z"))
        #expect(try parser.parse("today 18:30") == utc("2026-11-24T16:30:00Z"))
    }

    @Test(arguments: [
        ("wed", "2026-11-25"), ("wednesday", "2026-11-25"), ("thu", "2026-11-26"), ("fri", "2026-11-27"), ("FRIDAY", "2026-11-27"),
        ("sat", "2026-11-28"), ("sun", "2026-11-29"), ("mon", "2026-11-30"), ("monday", "2026-11-30"),
    ])
    func weekdaysAreTheNextSuchDay(_ text: String, _ day: String) throws {
        #expect(try parser.parse(text) == utc(day + "T15:00:00Z"))
    }

    @Test func todaysWeekdayMeansNextWeek() throws {
        // Now is a Tuesday.
        #expect(try parser.parse("tue") == utc("2026-12-01T15:00:00Z"))
        #expect(try parser.parse("tuesday") == utc("2026-12-01T15:00:00Z"))
    }

    @Test func weekdayWithATime() throws {
        #expect(try parser.parse("fri 9:30") == utc("2026-11-27T07:30:00Z"))
    }

    @Test func bareTimesAreToday() throws {
        #expect(try parser.parse("17:00") == utc("2026-11-24T15:00:00Z"))
        #expect(try parser.parse("09:05") == utc("2026-11-24T07:05:00Z"))
        #expect(try parser.parse("0:00") == utc("2026-11-23T22:00:00Z"))
    }

    @Test("after the working day's end, today and eod are the day's last minute: the day is not over")
    func todayAfterClosingIsTheEndOfTheDay() throws {
        let evening = athens.parser(now: utc("2026-11-24T17:30:00Z"))
        #expect(try evening.parse("today") == utc("2026-11-24T21:59:00Z"))
        #expect(try evening.parse("eod") == utc("2026-11-24T21:59:00Z"))
        #expect(try evening.parse("tomorrow") == utc("2026-11-25T15:00:00Z"))
    }

    @Test func aDifferentWorkdayEnd() throws {
        let late = athens.parser(now: utc("2026-11-24T08:00:00Z"), workdayEnd: DayTime(hour: 18, minute: 30))
        #expect(try late.parse("tomorrow") == utc("2026-11-25T16:30:00Z"))
        #expect(try late.parse("eod") == utc("2026-11-24T16:30:00Z"))
        #expect(try late.parse("+3d") == utc("2026-11-27T16:30:00Z"))
        #expect(try late.parse("tomorrow 10:00") == utc("2026-11-25T08:00:00Z"))
    }

    // MARK: - Offsets

    @Test func daysAndWeeksKeepDayPrecision() throws {
        #expect(try parser.parse("+3d") == utc("2026-11-27T15:00:00Z"))
        #expect(try parser.parse("+2w") == utc("2026-12-08T15:00:00Z"))
        #expect(try parser.parse("+3D 10:00") == utc("2026-11-27T08:00:00Z"))
    }

    @Test func hoursAndMinutesAreExactOffsets() throws {
        #expect(try parser.parse("+5h") == utc("2026-11-24T13:00:00Z"))
        #expect(try parser.parse("+30min") == utc("2026-11-24T08:30:00Z"))
        #expect(try parser.parse("+48h") == utc("2026-11-26T08:00:00Z"))
    }

    // MARK: - Errors

    @Test func aTypoNamesTheAcceptedForms() {
        #expect(throws: WhenError(.unreadableDate, input: "tomorow")) { try parser.parse("tomorow") }
        let error = WhenError(.unreadableDate, input: "tomorow")
        #expect(
            error.description
                == "cannot read \"tomorow\" as a date: use 2026-11-25, 25/11/2026, today, tomorrow, fri, next fri, in 3 days, +2w, +4h, "
                + "17:00 or tomorrow 10:00 (see keep help dates)"
        )
    }

    @Test(arguments: [
        "", "   ", "tomorow", "next week", "3d", "-3d", "+3x", "+d", "+3.5d", "eod 10:00", "+3h 10:00", "tomorrow 10:00 sharp", "fri fri",
        "2026-11-25T17", "2026-11-25T17:00+25:00", "2026-11-25T17:00+2", "26-11-25", "2026/11/25", "17h", "noon", "１７:００",
    ])
    func unreadableText(_ text: String) {
        #expect(throws: WhenError(.unreadableDate, input: text)) { try parser.parse(text) }
    }

    @Test(arguments: ["2026-02-30", "2026-13-01", "2026-00-10", "2026-11-31 10:00", "0000-01-01"])
    func daysThatAreNotOnTheCalendar(_ text: String) {
        #expect(throws: WhenError(.noSuchDay, input: text)) { try parser.parse(text) }
    }

    @Test(arguments: ["25:00", "tomorrow 24:00", "17:60", "2026-11-25T17:61", "2026-11-25T17:00:61Z", "9:5"])
    func timesThatAreNotOnTheClock(_ text: String) {
        #expect(throws: WhenError(.noSuchTime, input: text)) { try parser.parse(text) }
    }

    @Test(arguments: ["+999999d", "+99999w", "+999999999h", "+999999999min", "+1201mo", "+101y", "in 101 years"])
    func offsetsTooFarAway(_ text: String) {
        #expect(throws: WhenError(.tooFar, input: text)) { try parser.parse(text) }
    }

    @Test func everyMessageIsOneLineNamingTheInput() {
        let reasons: [WhenError.Reason] = [.unreadableDate, .unreadableSpan, .noSuchDay, .noSuchTime, .tooFar, .ambiguousUnit, .ambiguousDate]
        let readings = [WhenError.Reading(meaning: "one", written: "1"), WhenError.Reading(meaning: "two", written: "2")]
        for reason in reasons {
            let message = WhenError(reason, input: " 2026-02-30\n10:00\n", readings: readings).description
            #expect(message.contains("\"2026-02-30 10:00\""))
            #expect(!message.contains("\n"))
            #expect(message.contains(": "))
        }
    }

    // MARK: - Clock changes in Athens

    @Test func tomorrowAcrossTheSpringClockChange() throws {
        // Saturday 28 March 2026, 10:00 (UTC+2); clocks go forward at 03:00 on Sunday (to UTC+3).
        let spring = athens.parser(now: utc("2026-03-28T08:00:00Z"))
        #expect(try spring.parse("tomorrow") == utc("2026-03-29T14:00:00Z"))
        #expect(try spring.parse("sun") == utc("2026-03-29T14:00:00Z"))
        #expect(try spring.parse("+1d") == utc("2026-03-29T14:00:00Z"))
        #expect(try spring.parse("tomorrow 10:00") == utc("2026-03-29T07:00:00Z"))
        // 24 elapsed hours, which the wall clock shows as 11:00.
        #expect(try spring.parse("+24h") == utc("2026-03-29T08:00:00Z"))
    }

    @Test func aSkippedTimeMovesForwardByTheGap() throws {
        let spring = athens.parser(now: utc("2026-03-28T08:00:00Z"))
        #expect(try spring.parse("tomorrow 3:30") == utc("2026-03-29T01:30:00Z"))
    }

    @Test func tomorrowAcrossTheAutumnClockChange() throws {
        // Saturday 24 October 2026, 10:00 (UTC+3); clocks go back at 04:00 on Sunday (to UTC+2).
        let autumn = athens.parser(now: utc("2026-10-24T07:00:00Z"))
        #expect(try autumn.parse("tomorrow") == utc("2026-10-25T15:00:00Z"))
        #expect(try autumn.parse("+1w") == utc("2026-10-31T15:00:00Z"))
        // 03:30 happens twice that night; the first one counts.
        #expect(try autumn.parse("2026-10-25 03:30") == utc("2026-10-25T00:30:00Z"))
    }

    // MARK: - Tehran

    @Test func tehranHalfHourOffset() throws {
        let tehran = ShopClock("Asia/Tehran")
        // Tuesday 24 November 2026, 10:00 in Tehran (UTC+3:30).
        let parser = tehran.parser(now: utc("2026-11-24T06:30:00Z"))
        #expect(try parser.parse("eod") == utc("2026-11-24T13:30:00Z"))
        #expect(try parser.parse("2026-11-25 10:00") == utc("2026-11-25T06:30:00Z"))
        #expect(try parser.parse("۱۷:۰۰") == utc("2026-11-24T13:30:00Z"))
        #expect(try parser.parse("fri") == utc("2026-11-27T13:30:00Z"))
    }

    @Test func tehranTodayIsTheLocalDayNotUTCs() throws {
        let tehran = ShopClock("Asia/Tehran")
        // 01:00 on Wednesday 25 November in Tehran is still Tuesday in UTC.
        let parser = tehran.parser(now: utc("2026-11-24T21:30:00Z"))
        #expect(try parser.parse("today") == utc("2026-11-25T13:30:00Z"))
        #expect(try parser.parse("tomorrow") == utc("2026-11-26T13:30:00Z"))
        #expect(try parser.parse("wed") == utc("2026-12-02T13:30:00Z"))
    }

    @Test func aPersianCalendarStillReadsISODatesAsGregorian() throws {
        var persian = Calendar(identifier: .persian)
        persian.timeZone = TimeZone(identifier: "Asia/Tehran")!
        let parser = WhenParser(now: utc("2026-11-24T06:30:00Z"), calendar: persian)
        #expect(try parser.parse("2026-11-25") == utc("2026-11-25T13:30:00Z"))
        #expect(try parser.parse("tomorrow") == utc("2026-11-25T13:30:00Z"))
    }
}

@Suite("Follow-up spans")
struct FollowUpSpanTests {
    private let athens = ShopClock("Europe/Athens")
    private var parser: WhenParser { athens.parser(now: utc("2026-11-24T08:00:00Z")) }

    @Test(arguments: [
        ("90d", "2027-02-22T15:00:00Z"), ("+90d", "2027-02-22T15:00:00Z"), ("2w", "2026-12-08T15:00:00Z"), ("3mo", "2027-02-24T15:00:00Z"),
        ("1y", "2027-11-24T15:00:00Z"), (" +1Y ", "2027-11-24T15:00:00Z"), ("0d", "2026-11-24T15:00:00Z"),
    ])
    func spansGiveThatDayAtTheEndOfTheWorkingDay(_ text: String, _ expected: String) throws {
        #expect(try parser.parseOffset(text) == utc(expected))
    }

    @Test func monthsAreCalendarMonths() throws {
        let parser = athens.parser(now: utc("2027-01-31T08:00:00Z"))
        #expect(try parser.parseOffset("1mo") == utc("2027-02-28T15:00:00Z"))
    }

    @Test func aMonthAcrossTheSpringClockChange() throws {
        // 1 March 2026 is UTC+2 in Athens, 1 April is UTC+3.
        let parser = athens.parser(now: utc("2026-03-01T08:00:00Z"))
        #expect(try parser.parseOffset("1mo") == utc("2026-04-01T14:00:00Z"))
    }

    @Test(arguments: ["", "90", "d", "90x", "-3d", "90 x", "in", "in 90", "in +3d", "3 days later", "tomorrow", "2026-11-25", "1.5y"])
    func unreadableSpans(_ text: String) {
        #expect(throws: WhenError(.unreadableSpan, input: text)) { try parser.parseOffset(text) }
    }

    @Test func spanMessageNamesTheForms() {
        #expect(
            WhenError(.unreadableSpan, input: "soon").description
                == "cannot read \"soon\" as a time span: use 90d, 2w, 3mo, 1y, 4h or 30min (see keep help dates)"
        )
    }

    @Test(arguments: ["101y", "1201mo", "36601d", "999999999w", "5229w"])
    func spansTooFarAway(_ text: String) {
        #expect(throws: WhenError(.tooFar, input: text)) { try parser.parseOffset(text) }
    }
}

@Suite("Times of day")
struct DayTimeTests {
    @Test(arguments: [("17:00", 17, 0), (" 9:30 ", 9, 30), ("09:05", 9, 5), ("0:00", 0, 0), ("23:59", 23, 59)])
    func readsTimesOfDay(_ text: String, _ hour: Int, _ minute: Int) {
        #expect(DayTime(parsing: text) == DayTime(hour: hour, minute: minute))
    }

    @Test(arguments: ["24:00", "17:60", "9:5", "17", "17:00:00", "+1:00", "1:-5", "aa:bb", "", ":", "017:00", "١٧:٠٠", "5pm"])
    func refusesOtherText(_ text: String) {
        #expect(DayTime(parsing: text) == nil)
    }

    @Test func describesItselfAsHHMM() {
        #expect(DayTime(hour: 9, minute: 5).description == "09:05")
        #expect(DayTime(hour: 17, minute: 0).description == "17:00")
    }
}
