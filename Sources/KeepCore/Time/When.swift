public import Foundation

/// A time of day on the shop's clock, such as the end of the working day.
public struct DayTime: Sendable, Hashable, CustomStringConvertible {
    /// 0 to 23.
    public let hour: Int
    /// 0 to 59.
    public let minute: Int

    /// A time of day; the hour and minute must be on a 24-hour clock.
    public init(hour: Int, minute: Int) {
        precondition((0..<24).contains(hour) && (0..<60).contains(minute), "not a time of day: \(hour):\(minute)")
        self.hour = hour
        self.minute = minute
    }

    /// Reads "HH:MM" or "H:MM" on a 24-hour clock, e.g. "17:00" or "9:30"; nil when it is not a time of day.
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            let hour = Self.number(parts[0]), let minute = Self.number(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// "17:00".
    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// ASCII digits only: `Int("+5")` would accept a sign.
    private static func number(_ text: Substring) -> Int? {
        text.allSatisfy { $0.isASCII && $0.isNumber } ? Int(text) : nil
    }
}

/// Reads the WHEN a shop owner types for a due date, on the shop's clock.
///
/// A day without a time means that day at the end of the working day: a promise due "tomorrow" is kept if it is
/// done by the time the shop closes tomorrow. Minutes and hours (`+30min`, `in 4 hours`) are exact offsets from now.
/// Past dates are returned like any other; the caller decides whether to accept them.
public struct WhenParser: Sendable {
    /// The moment "today", "+4h" and weekdays count from.
    public let now: Date
    /// The shop's calendar, which carries its time zone.
    public let calendar: Calendar
    /// When a day without a time is due.
    public let workdayEnd: DayTime
    /// How the laptop's locale orders a date in numbers such as 04/12/2026.
    public let dateOrder: DateOrder

    /// ISO 8601 dates are Gregorian whatever calendar the shop prefers; only its time zone matters here.
    private let gregorian: Calendar

    /// A parser for due dates typed at `now` in the calendar's time zone.
    public init(now: Date, calendar: Calendar, workdayEnd: DayTime = DayTime(hour: 17, minute: 0), dateOrder: DateOrder = .unknown) {
        self.now = now
        self.calendar = calendar
        self.workdayEnd = workdayEnd
        self.dateOrder = dateOrder
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = calendar.timeZone
        self.gregorian = gregorian
    }

    /// Reads a due date: `2026-11-25`, `2026-11-25 17:00`, `2026-11-25T17:00:00Z`, `25/11/2026`, `25/11`, `today`,
    /// `tomorrow`, `eod`, `fri`, `next fri`, `αύριο`, `rytoj`, `فردا`, `+3d`, `in 2 weeks`, `+3mo`, `+5h`, `+30min`,
    /// `17:00`, or a day and a time such as `tomorrow 10:00`.
    public func parse(_ text: String) throws(WhenError) -> Date {
        var words = WhenText(text).words[...]
        if words.count == 1, let word = words.first {
            if let instant = try absoluteInstant(word, typed: text) {
                return instant
            }
            if word == "eod" {
                return try endOfWorkday(on: today, typed: text)
            }
            if word.contains(":") {
                return try date(on: today, at: time(word, typed: text), typed: text)
            }
        }
        if words.count > 1, words.first?.contains(":") == true {
            // "10:00 tomorrow" is "tomorrow 10:00".
            words.append(words.removeFirst())
        }
        let day: CalendarDay
        if let span = try Span.read(&words, signRequired: true, typed: text) {
            if span.isExact {
                guard words.isEmpty else { throw WhenError(.unreadableDate, input: text) }
                return now.addingTimeInterval(span.seconds)
            }
            day = today.adding(span.step.component, span.step.count, in: gregorian)
        } else if let named = try self.day(&words, typed: text) {
            day = named
        } else {
            throw WhenError(.unreadableDate, input: text)
        }
        guard let time = try timeOfDay(words, typed: text) else { return try endOfWorkday(on: day, typed: text) }
        return try date(on: day, at: time, typed: text)
    }

    /// Reads how long until a follow-up, as `--in` takes it: `90d`, `2w`, `3mo`, `1y`, `2 weeks` or `in 3 months`,
    /// with or without a leading `+`, which is that day at the end of the working day; or `4h` or `30min`, exactly
    /// that long from now.
    public func parseOffset(_ text: String) throws(WhenError) -> Date {
        var words = WhenText(text).words[...]
        guard let span = try Span.read(&words, signRequired: false, typed: text), words.isEmpty else {
            throw WhenError(.unreadableSpan, input: text)
        }
        guard !span.isExact else { return now.addingTimeInterval(span.seconds) }
        return try endOfWorkday(on: today.adding(span.step.component, span.step.count, in: gregorian), typed: text)
    }

    // MARK: - The forms

    /// A day said without a time: the end of its working day, or for today once that has passed, the last minute of
    /// the day, which is not over yet.
    private func endOfWorkday(on day: CalendarDay, typed: String) throws(WhenError) -> Date {
        let workday = try date(on: day, at: workdayEnd, typed: typed)
        guard day == today, workday <= now else { return workday }
        return try date(on: day, at: DayTime(hour: 23, minute: 59), typed: typed)
    }

    /// The day containing `now` on the shop's clock.
    private var today: CalendarDay { CalendarDay(now, in: gregorian) }

    /// Reads a day at the start of `words` and removes it from them: a name of a day in any of the shops' languages,
    /// `next fri`, `this fri`, an ISO date or a date in numbers; nil when they do not start with one.
    private func day(_ words: inout ArraySlice<String>, typed: String) throws(WhenError) -> CalendarDay? {
        guard let first = words.first else { return nil }
        if first == "next" || first == "this" {
            var rest = words.dropFirst()
            guard case .weekday(let weekday)? = DayWord.read(&rest) else { return nil }
            words = rest
            return next(weekday, includingToday: first == "this")
        }
        switch DayWord.read(&words) {
        case .relative(let days)?:
            return today.adding(.day, days, in: gregorian)
        case .weekday(let weekday)?:
            return next(weekday, includingToday: false)
        case nil:
            break
        }
        if let day = try isoDay(first, typed: typed) {
            words.removeFirst()
            return day
        }
        if let numbers = NumericDate(first) {
            words.removeFirst()
            return try numbers.day(in: dateOrder, today: today, calendar: gregorian, typed: typed)
        }
        return nil
    }

    /// The next such weekday after today: "fri" said on a Friday means next Friday, as today would be named "today";
    /// "this fri" said on a Friday is today.
    private func next(_ weekday: Int, includingToday: Bool) -> CalendarDay {
        let current = gregorian.component(.weekday, from: today.noon(in: gregorian))
        let ahead = (weekday - current + 7) % 7
        return today.adding(.day, ahead == 0 && !includingToday ? 7 : ahead, in: gregorian)
    }

    /// The time of day said after a day, `10:00` or `at 10:00` (`στις 10:00`, `ساعت ۱۰:۰۰`); nil when none is.
    private func timeOfDay(_ words: ArraySlice<String>, typed: String) throws(WhenError) -> DayTime? {
        let clock = words.count == 2 && Self.at.contains(words.first ?? "") ? words.dropFirst() : words
        guard let word = clock.first else { return nil }
        guard clock.count == 1 else { throw WhenError(.unreadableDate, input: typed) }
        return try time(word, typed: typed)
    }

    /// An ISO date and time, written with `T` or a space; with `Z` or an offset it names an instant anywhere, without
    /// one it is on the shop's clock. Nil when the word is not an ISO date and time.
    private func absoluteInstant(_ word: String, typed: String) throws(WhenError) -> Date? {
        guard let separator = word.firstIndex(where: { $0 == "t" || $0 == " " }),
            let day = try isoDay(String(word[..<separator]), typed: typed)
        else { return nil }
        var clock = word[word.index(after: separator)...]
        var offset: TimeZone?
        if clock.hasSuffix("z") {
            offset = TimeZone(secondsFromGMT: 0)
            clock = clock.dropLast()
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            guard let seconds = Self.offsetSeconds(clock[sign...]), let zone = TimeZone(secondsFromGMT: seconds) else {
                throw WhenError(.unreadableDate, input: typed)
            }
            offset = zone
            clock = clock[..<sign]
        }
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { throw WhenError(.unreadableDate, input: typed) }
        let time = try time(parts[0...1].joined(separator: ":"), typed: typed)
        var second = 0
        if parts.count == 3 {
            guard parts[2].count == 2, parts[2].allSatisfy(\.isASCIIDigit), let value = Int(parts[2]), value < 60 else {
                throw WhenError(.noSuchTime, input: typed)
            }
            second = value
        }
        guard let offset else { return try date(on: day, at: time, second: second, typed: typed) }
        var zoned = gregorian
        zoned.timeZone = offset
        return try date(on: day, at: time, second: second, in: zoned, typed: typed)
    }

    /// `2026-11-25`; nil when the word does not look like an ISO date, an error when it looks like one but is not a day.
    private func isoDay(_ word: String, typed: String) throws(WhenError) -> CalendarDay? {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2])
        else { return nil }
        let day = CalendarDay(year: year, month: month, day: dayOfMonth)
        guard day.isOnCalendar(gregorian) else { throw WhenError(.noSuchDay, input: typed) }
        return day
    }

    /// `17:00` or `9:30`.
    private func time(_ word: String, typed: String) throws(WhenError) -> DayTime {
        if let time = DayTime(parsing: word) { return time }
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        let looksLikeTime = parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCIIDigit) }
        throw WhenError(looksLikeTime ? .noSuchTime : .unreadableDate, input: typed)
    }

    /// The instant a day shows a time on the shop's clock.
    ///
    /// A time skipped when clocks go forward comes out as late as the gap (03:30 becomes 04:30); a time repeated when
    /// they go back is its first occurrence.
    private func date(on day: CalendarDay, at time: DayTime, second: Int = 0, in clock: Calendar? = nil, typed: String) throws(WhenError) -> Date {
        let components = DateComponents(
            year: day.year,
            month: day.month,
            day: day.day,
            hour: time.hour,
            minute: time.minute,
            second: second
        )
        guard let date = (clock ?? gregorian).date(from: components) else { throw WhenError(.noSuchDay, input: typed) }
        return date
    }

    /// "At" before a time of day, in English, Greek and Persian; Lithuanian says none.
    private static let at: Set<String> = Set(["at", "στις", "ساعت"].map(WhenText.fold))

    /// `+02:00`, `+0200` or `+02` into seconds east of UTC.
    private static func offsetSeconds(_ text: Substring) -> Int? {
        guard let sign = text.first else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCIIDigit),
            text.dropFirst().filter({ $0 == ":" }).count <= 1
        else { return nil }
        let hours = Int(digits.prefix(2))!
        let minutes = Int(digits.dropFirst(2)) ?? 0
        guard hours <= 18, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}

/// Short human text for how far a moment is from now: "in 3h 20m", "in 2d", "45m ago".
public enum RelativeTime {
    /// "in 45m", "in 3h 20m", "in 2d 4h" for the future, "45m ago", "3h 20m ago", "2d 4h ago" for the past, "now"
    /// within a minute.
    ///
    /// At most two neighbouring units, the smaller one left out when it is zero; from a week on, days only. Days are
    /// 24 elapsed hours. Whole units only, rounded down, so "in 59m" still means there is time left.
    public static func describe(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        guard abs(seconds) >= 60, seconds.isFinite else { return "now" }
        let minutes = Int(min(abs(seconds) / 60, Double(Int.max / 2)))
        let span = amount(minutes: minutes)
        return seconds > 0 ? "in \(span)" : "\(span) ago"
    }

    /// A length of time in the same words: "45m", "3h 20m", "2d 4h"; "under a minute" below one.
    public static func duration(_ seconds: TimeInterval) -> String {
        guard seconds >= 60, seconds.isFinite else { return "under a minute" }
        return amount(minutes: Int(min(seconds / 60, Double(Int.max / 2))))
    }

    private static func amount(minutes: Int) -> String {
        let (days, hours) = (minutes / (24 * 60), minutes / 60 % 24)
        switch minutes {
        case ..<60:
            return "\(minutes)m"
        case ..<(24 * 60):
            return "\(minutes / 60)h" + (minutes % 60 == 0 ? "" : " \(minutes % 60)m")
        case ..<(7 * 24 * 60):
            return "\(days)d" + (hours == 0 ? "" : " \(hours)h")
        default:
            return "\(days)d"
        }
    }
}
