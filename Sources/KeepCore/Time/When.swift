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

/// Why a typed date or time span could not be read; its description names the fix.
public struct WhenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, comparable in tests and by callers.
    public struct Reason: Sendable, Hashable {
        private enum Value: Sendable, Hashable {
            case unreadableDate
            case unreadableSpan
            case noSuchDay
            case noSuchTime
            case tooFar
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The text is none of the forms a due date may take.
        public static var unreadableDate: Self { Self(.unreadableDate) }
        /// The text is none of the forms a follow-up's span may take.
        public static var unreadableSpan: Self { Self(.unreadableSpan) }
        /// A date with the right shape that is not on the calendar, such as 2026-02-30.
        public static var noSuchDay: Self { Self(.noSuchDay) }
        /// A time with the right shape that is not on a 24-hour clock, such as 25:00.
        public static var noSuchTime: Self { Self(.noSuchTime) }
        /// More than a hundred years away.
        public static var tooFar: Self { Self(.tooFar) }

        fileprivate func message(about quoted: String) -> String {
            switch value {
            case .unreadableDate:
                "cannot read \(quoted) as a date: use 2026-11-25, 2026-11-25 17:00, today, tomorrow, eod, fri, +3d, +2w, +4h or 17:00"
            case .unreadableSpan: "cannot read \(quoted) as a time span: use 90d, 2w, 3m (months) or 1y"
            case .noSuchDay: "\(quoted) is not a day on the calendar: check the month and the day, e.g. 2026-11-25"
            case .noSuchTime: "\(quoted) has no such time of day: use HH:MM on a 24-hour clock, e.g. 17:00"
            case .tooFar: "\(quoted) is too far away: give a date within a hundred years"
            }
        }
    }

    /// What kind of problem.
    public let reason: Reason
    /// What the shop owner typed.
    public let input: String

    /// Creates an error about what the shop owner typed.
    public init(_ reason: Reason, input: String) {
        self.reason = reason
        self.input = input
    }

    /// One line naming the problem and the forms that work.
    public var description: String {
        // One line even when a pasted argument spans several.
        let shown = input.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return reason.message(about: "\"\(shown.trimmingCharacters(in: .whitespaces))\"")
    }
}

/// Reads the WHEN a shop owner types for a due date, on the shop's clock.
///
/// A day without a time means that day at the end of the working day: a promise due "tomorrow" is kept if it is
/// done by the time the shop closes tomorrow. Hours and minutes (`+4h`, `+30m`) are exact offsets from now.
/// Past dates are returned like any other; the caller decides whether to accept them.
public struct WhenParser: Sendable {
    /// The moment "today", "+4h" and weekdays count from.
    public let now: Date
    /// The shop's calendar, which carries its time zone.
    public let calendar: Calendar
    /// When a day without a time is due.
    public let workdayEnd: DayTime

    /// ISO 8601 dates are Gregorian whatever calendar the shop prefers; only its time zone matters here.
    private let gregorian: Calendar

    /// A parser for due dates typed at `now` in the calendar's time zone.
    public init(now: Date, calendar: Calendar, workdayEnd: DayTime = DayTime(hour: 17, minute: 0)) {
        self.now = now
        self.calendar = calendar
        self.workdayEnd = workdayEnd
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = calendar.timeZone
        self.gregorian = gregorian
    }

    /// Reads a due date: `2026-11-25`, `2026-11-25 17:00`, `2026-11-25T17:00:00Z`, `today`, `tomorrow`, `eod`,
    /// `fri`, `+3d`, `+2w`, `+5h`, `+30m`, `17:00`, or a day and a time such as `tomorrow 10:00`.
    public func parse(_ text: String) throws(WhenError) -> Date {
        let words = WhenText(text).words
        if words.count == 1 {
            let word = words[0]
            if let instant = try absoluteInstant(word, typed: text) {
                return instant
            }
            if let exact = try exactOffset(word, typed: text) {
                return exact
            }
            if word == "eod" || word == "today" {
                return try endOfToday(typed: text)
            }
            if word.contains(":") {
                return try date(on: today, at: time(word, typed: text), typed: text)
            }
        }
        guard (1...2).contains(words.count), let day = try day(words[0], typed: text) else {
            throw WhenError(.unreadableDate, input: text)
        }
        let time = words.count == 2 ? try time(words[1], typed: text) : workdayEnd
        return try date(on: day, at: time, typed: text)
    }

    /// Reads how long until a follow-up, as `--in` takes it: `90d`, `2w`, `3m` (months) or `1y`, with or without a
    /// leading `+`; the result is that day at the end of the working day.
    public func parseOffset(_ text: String) throws(WhenError) -> Date {
        let words = WhenText(text).words
        guard words.count == 1, let (amount, unit) = Self.amountAndUnit(words[0], signRequired: false) else {
            throw WhenError(.unreadableSpan, input: text)
        }
        let component: Calendar.Component
        let limit: Int
        switch unit {
        case "d": (component, limit) = (.day, 36_600)
        case "w": (component, limit) = (.day, 5_220)
        case "m": (component, limit) = (.month, 1_200)
        case "y": (component, limit) = (.year, 100)
        default: throw WhenError(.unreadableSpan, input: text)
        }
        guard amount <= limit else { throw WhenError(.tooFar, input: text) }
        let count = unit == "w" ? amount * 7 : amount
        return try date(on: today.adding(component, count, in: gregorian), at: workdayEnd, typed: text)
    }

    // MARK: - The forms

    /// "today" and "eod": the end of the working day, or once it has passed, the last minute of the day, which is
    /// not over yet.
    private func endOfToday(typed: String) throws(WhenError) -> Date {
        let workday = try date(on: today, at: workdayEnd, typed: typed)
        return workday > now ? workday : try date(on: today, at: DayTime(hour: 23, minute: 59), typed: typed)
    }

    /// The day containing `now` on the shop's clock.
    private var today: Day { Day(now, in: gregorian) }

    /// A day said without a time: `today`, `tomorrow`, a weekday, an ISO date, `+3d` or `+2w`; nil for other words.
    private func day(_ word: String, typed: String) throws(WhenError) -> Day? {
        switch word {
        case "today":
            return today
        case "tomorrow":
            return today.adding(.day, 1, in: gregorian)
        default:
            break
        }
        if let weekday = Self.weekdays[word] {
            let current = gregorian.component(.weekday, from: today.noon(in: gregorian))
            let ahead = (weekday - current + 7) % 7
            // "fri" said on a Friday means next Friday: today would already be named "today" or "eod".
            return today.adding(.day, ahead == 0 ? 7 : ahead, in: gregorian)
        }
        if let day = try isoDay(word, typed: typed) {
            return day
        }
        if let (amount, unit) = Self.amountAndUnit(word, signRequired: true), unit == "d" || unit == "w" {
            let days = unit == "w" ? amount * 7 : amount
            guard days <= 36_600 else { throw WhenError(.tooFar, input: typed) }
            return today.adding(.day, days, in: gregorian)
        }
        return nil
    }

    /// `+5h` or `+30m`: an exact offset from now, so that it means elapsed time even across a clock change.
    private func exactOffset(_ word: String, typed: String) throws(WhenError) -> Date? {
        guard let (amount, unit) = Self.amountAndUnit(word, signRequired: true), unit == "h" || unit == "m" else { return nil }
        let minutes = unit == "h" ? amount * 60 : amount
        guard minutes <= 100 * 366 * 24 * 60 else { throw WhenError(.tooFar, input: typed) }
        return now.addingTimeInterval(TimeInterval(minutes * 60))
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
    private func isoDay(_ word: String, typed: String) throws(WhenError) -> Day? {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2])
        else { return nil }
        let day = Day(year: year, month: month, day: dayOfMonth)
        // The calendar rolls 2026-02-30 over into March; a day that does not come back unchanged is not on it.
        guard year >= 1, Day(day.noon(in: gregorian), in: gregorian) == day else { throw WhenError(.noSuchDay, input: typed) }
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
    private func date(on day: Day, at time: DayTime, second: Int = 0, in clock: Calendar? = nil, typed: String) throws(WhenError) -> Date {
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

    // MARK: - Words

    private static let weekdays: [String: Int] = [
        "sunday": 1, "sun": 1,
        "monday": 2, "mon": 2,
        "tuesday": 3, "tue": 3, "tues": 3,
        "wednesday": 4, "wed": 4,
        "thursday": 5, "thu": 5, "thur": 5, "thurs": 5,
        "friday": 6, "fri": 6,
        "saturday": 7, "sat": 7,
    ]

    /// `+3d` into (3, "d"); the amount is at most nine digits so that later arithmetic cannot overflow.
    private static func amountAndUnit(_ word: String, signRequired: Bool) -> (Int, Character)? {
        var rest = Substring(word)
        if rest.first == "+" {
            rest = rest.dropFirst()
        } else if signRequired {
            return nil
        }
        guard let unit = rest.last, unit.isLetter else { return nil }
        let digits = rest.dropLast()
        guard (1...9).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let amount = Int(digits) else { return nil }
        return (amount, unit)
    }

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

/// What the shop owner typed, tidied: lowercased, with Persian and Arabic-Indic digits read as ASCII, split into
/// words (an ISO date and time joined by a space stays one word).
private struct WhenText {
    let words: [String]

    init(_ text: String) {
        let digits = String(
            String.UnicodeScalarView(
                text.lowercased().unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0x06F0...0x06F9: Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!
                    case 0x0660...0x0669: Unicode.Scalar(scalar.value - 0x0660 + 0x30)!
                    default: scalar
                    }
                }
            )
        )
        var words = digits.split(whereSeparator: \.isWhitespace).map(String.init)
        if words.count == 2, Self.isISODate(words[0]), words[1].first?.isASCIIDigit == true,
            words[1].contains(where: { $0 == "z" || $0 == "+" || $0 == "-" }) || words[1].filter({ $0 == ":" }).count == 2
        {
            // "2026-11-25 17:00:00Z" is one instant, not a day and a time of day.
            words = [words[0] + " " + words[1]]
        }
        self.words = words
    }

    private static func isISODate(_ word: String) -> Bool {
        word.count >= 8 && word.filter { $0 == "-" }.count == 2 && word.allSatisfy { $0 == "-" || $0.isASCIIDigit }
    }
}

/// A day on the shop's calendar, free of any time of day.
private struct Day: Equatable {
    let year: Int
    let month: Int
    let day: Int

    init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    init(_ date: Date, in calendar: Calendar) {
        let components = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: components.year ?? 1, month: components.month ?? 1, day: components.day ?? 1)
    }

    /// Noon exists on every day, even where clocks change at midnight, so day arithmetic starts there.
    func noon(in calendar: Calendar) -> Date {
        calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)) ?? Date(timeIntervalSince1970: 0)
    }

    /// The day `amount` days, weeks, months or years later; a month from 31 January is the last day of February.
    func adding(_ component: Calendar.Component, _ amount: Int, in calendar: Calendar) -> Day {
        let start = noon(in: calendar)
        return Day(calendar.date(byAdding: component, value: amount, to: start) ?? start, in: calendar)
    }
}

extension Character {
    /// 0-9 only; `isNumber` would also accept other scripts' digits and fractions.
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
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
