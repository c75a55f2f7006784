public import Foundation

/// When the shop is open: a weekly timetable plus closed days, so that the reply clock counts only open time.
///
/// Written as people write it on the door: `mon-fri 09:00-17:00, sat 10:00-14:00`, with a second range for a
/// lunch break (`mon-fri 09:00-13:00 14:00-18:00`); `24:00` closes at midnight. Closed days are dates or ranges of
/// dates: `2026-12-24, 2026-12-25..2026-12-26`.
public struct OpeningHours: Sendable, Hashable {
    /// An open period within one day, in minutes from midnight, `[start, end)`.
    public struct Period: Sendable, Hashable {
        public let start: Int
        public let end: Int
    }

    /// A calendar date on the shop's clock.
    public struct Day: Sendable, Hashable, Comparable {
        public let year: Int
        public let month: Int
        public let day: Int

        public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day) }
    }

    /// Open periods by weekday, Sunday first (index 0 is Sunday, as `Calendar` numbers weekdays from 1).
    public let week: [[Period]]
    /// Dates the shop is closed all day.
    public let closed: Set<Day>

    /// At most this many closed days: enough for years of holidays, few enough that the clock's walk stays short.
    public static let maxClosedDays = 1_000
    /// The clock walks day by day; no reply window needs more days than this, even around long closures.
    static let maxDaysWalked = maxClosedDays + 3_660

    public init(week: [[Period]], closed: Set<Day> = []) {
        precondition(week.count == 7, "a week has seven days")
        self.week = week
        self.closed = closed
    }

    // MARK: - Reading what people type

    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Reads the weekly timetable; throws a message naming what is wrong and the form that works.
    public init(timetable text: String, closed: Set<Day> = []) throws(OpeningHoursError) {
        var week = [[Period]](repeating: [], count: 7)
        let groups = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !groups.isEmpty, groups.count <= 14 else { throw .unreadableTimetable(text) }
        for group in groups {
            let words = group.split(separator: " ").map { String($0).lowercased() }
            guard words.count >= 2, words.count <= 5, let days = Self.days(words[0]) else { throw .unreadableTimetable(text) }
            for word in words.dropFirst() {
                guard let period = Self.period(word) else { throw .unreadableTimetable(text) }
                for day in days {
                    if week[day].contains(where: { $0.start < period.end && period.start < $0.end }) {
                        throw .overlapping(group)
                    }
                    week[day].append(period)
                }
            }
        }
        guard week.contains(where: { !$0.isEmpty }) else { throw .neverOpen }
        self.init(week: week.map { $0.sorted { $0.start < $1.start } }, closed: closed)
    }

    /// Reads closed days: `2026-12-24, 2026-12-25..2026-12-26`; an empty text or `none` is no closed days.
    public static func closedDays(_ text: String) throws(OpeningHoursError) -> Set<Day> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.lowercased() != "none" else { return [] }
        var days = Set<Day>()
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        for item in trimmed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let ends = item.components(separatedBy: "..")
            guard (1...2).contains(ends.count), let first = date(ends[0], gregorian), let last = date(ends[ends.count - 1], gregorian),
                first <= last
            else { throw .unreadableClosedDays(item) }
            var day = first
            while day <= last {
                days.insert(day)
                guard days.count <= maxClosedDays else { throw .tooManyClosedDays }
                day = day.next(gregorian)
            }
        }
        return days
    }

    /// `mon`, `monday`, `mon-fri` or `sat-sun`, as weekday indexes (0 is Sunday).
    private static func days(_ word: String) -> [Int]? {
        let ends = word.split(separator: "-", omittingEmptySubsequences: false).map { dayIndex(String($0)) }
        guard (1...2).contains(ends.count), let first = ends[0], let last = ends[ends.count - 1] else { return nil }
        var days = [first]
        var day = first
        while day != last {
            day = (day + 1) % 7
            days.append(day)
        }
        return days
    }

    private static let fullDayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// `mon` or `monday`.
    private static func dayIndex(_ word: String) -> Int? {
        dayNames.firstIndex(of: word) ?? fullDayNames.firstIndex(of: word)
    }

    /// `09:00-17:00`; the end may be `24:00`.
    private static func period(_ word: String) -> Period? {
        let ends = word.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard ends.count == 2, let start = DayTime(parsing: ends[0]) else { return nil }
        let startMinute = start.hour * 60 + start.minute
        let endMinute: Int
        if ends[1] == "24:00" {
            endMinute = 24 * 60
        } else if let end = DayTime(parsing: ends[1]) {
            endMinute = end.hour * 60 + end.minute
        } else {
            return nil
        }
        guard startMinute < endMinute else { return nil }
        return Period(start: startMinute, end: endMinute)
    }

    private static func date(_ text: String, _ gregorian: Calendar) -> Day? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            let noon = gregorian.date(from: DateComponents(year: year, month: month, day: day, hour: 12)),
            gregorian.dateComponents([.year, .month, .day], from: noon) == DateComponents(year: year, month: month, day: day)
        else { return nil }
        return Day(year: year, month: month, day: day)
    }

    // MARK: - Writing it back

    /// The timetable as `keep config` shows and stores it: `mon-fri 09:00-17:00, sat 10:00-14:00`.
    public var timetable: String {
        var groups: [String] = []
        // Monday first, as shops write their hours; runs of days with the same periods share one group.
        let order = [1, 2, 3, 4, 5, 6, 0]
        var index = 0
        while index < order.count {
            let periods = week[order[index]]
            var last = index
            while last + 1 < order.count, week[order[last + 1]] == periods { last += 1 }
            if !periods.isEmpty {
                let days = Self.dayNames[order[index]] + (last > index ? "-" + Self.dayNames[order[last]] : "")
                groups.append(([days] + periods.map(Self.describe)).joined(separator: " "))
            }
            index = last + 1
        }
        return groups.joined(separator: ", ")
    }

    /// The closed days as stored: dates and ranges in order, `2026-12-24..2026-12-26, 2027-01-01`.
    public static func closedDaysText(_ closed: Set<Day>) -> String {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        var ranges: [(Day, Day)] = []
        for day in closed.sorted() {
            if let last = ranges.last, last.1.next(gregorian) == day {
                ranges[ranges.count - 1].1 = day
            } else {
                ranges.append((day, day))
            }
        }
        return ranges.map { $0 == $1 ? $0.text : "\($0.text)..\($1.text)" }.joined(separator: ", ")
    }

    private static func describe(_ period: Period) -> String {
        func clock(_ minutes: Int) -> String { minutes == 24 * 60 ? "24:00" : DayTime(hour: minutes / 60, minute: minutes % 60).description }
        return "\(clock(period.start))-\(clock(period.end))"
    }

    // MARK: - Counting open time

    /// The open intervals of the day starting at `dayStart` on `calendar`'s clock.
    func openIntervals(dayStart: Date, calendar: Calendar) -> [DateInterval] {
        let components = calendar.dateComponents([.year, .month, .day, .weekday], from: dayStart)
        guard let year = components.year, let month = components.month, let day = components.day, let weekday = components.weekday,
            !closed.contains(Day(year: year, month: month, day: day))
        else { return [] }
        return week[weekday - 1].compactMap { period in
            // Wall-clock times, so that a shop opening at 09:00 opens at 09:00 on the day the clocks change.
            guard let start = Self.instant(period.start, dayStart: dayStart, calendar: calendar),
                let end = Self.instant(period.end, dayStart: dayStart, calendar: calendar), start < end
            else { return nil }
            return DateInterval(start: start, end: end)
        }
    }

    private static func instant(_ minutes: Int, dayStart: Date, calendar: Calendar) -> Date? {
        if minutes == 24 * 60 { return calendar.date(byAdding: .day, value: 1, to: dayStart) }
        return calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: dayStart)
    }

    /// The moment `duration` of open time has passed after `start`; nil only if the walk found no open time.
    public func adding(openTime duration: TimeInterval, to start: Date, calendar: Calendar) -> Date? {
        var remaining = max(0, duration)
        var dayStart = calendar.startOfDay(for: start)
        for _ in 0..<Self.maxDaysWalked {
            for interval in openIntervals(dayStart: dayStart, calendar: calendar) where interval.end > start {
                let from = max(interval.start, start)
                let available = interval.end.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: dayStart) else { return nil }
            dayStart = next
        }
        return nil
    }

    /// How much open time lies in `[from, to)`.
    public func openTime(from: Date, to: Date, calendar: Calendar) -> TimeInterval {
        guard from < to else { return 0 }
        var total: TimeInterval = 0
        var dayStart = calendar.startOfDay(for: from)
        for _ in 0..<Self.maxDaysWalked where dayStart < to {
            for interval in openIntervals(dayStart: dayStart, calendar: calendar) {
                let start = max(interval.start, from)
                let end = min(interval.end, to)
                if start < end { total += end.timeIntervalSince(start) }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: dayStart) else { break }
            dayStart = next
        }
        return total
    }
}

extension OpeningHours.Day {
    /// `2026-12-24`.
    public var text: String {
        let month = (month < 10 ? "0" : "") + "\(month)"
        let day = (day < 10 ? "0" : "") + "\(day)"
        return "\(year)-\(month)-\(day)"
    }

    fileprivate func next(_ gregorian: Calendar) -> Self {
        let noon = gregorian.date(from: DateComponents(year: year, month: month, day: day + 1, hour: 12))!
        let components = gregorian.dateComponents([.year, .month, .day], from: noon)
        return Self(year: components.year!, month: components.month!, day: components.day!)
    }
}

/// Why opening hours or closed days could not be read; its description names the fix.
public enum OpeningHoursError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadableTimetable(String)
    case overlapping(String)
    case neverOpen
    case unreadableClosedDays(String)
    case tooManyClosedDays

    public var description: String {
        switch self {
        case .unreadableTimetable(let text):
            "cannot read \"\(text)\" as opening hours: give days and times, e.g. \"mon-fri 09:00-17:00, sat 10:00-14:00\" "
                + "(a second range for a break: \"mon-fri 09:00-13:00 14:00-18:00\"), or \"always\" to count every hour"
        case .overlapping(let group):
            "the opening hours \"\(group)\" overlap another range of the same day: give each hour once"
        case .neverOpen:
            "those opening hours never open: give at least one day with hours, e.g. \"mon-fri 09:00-17:00\""
        case .unreadableClosedDays(let item):
            "cannot read \"\(item)\" as a closed day: use dates or ranges, e.g. \"2026-12-24, 2026-12-25..2026-12-26\", or none"
        case .tooManyClosedDays:
            "more than \(OpeningHours.maxClosedDays) closed days: remove the ones that have passed"
        }
    }
}

/// The reply clock: how long a customer may wait, counted in open time when the shop has opening hours.
public struct ReplyClock: Sendable {
    /// The reply window, in seconds of (open) time.
    public let window: TimeInterval
    /// Nil when every hour counts.
    public let hours: OpeningHours?
    /// The shop's calendar, which carries its time zone.
    public let calendar: Calendar

    public init(window: TimeInterval, hours: OpeningHours?, calendar: Calendar) {
        self.window = window
        self.hours = hours
        self.calendar = calendar
    }

    /// When a reply is owed for an inquiry received at `received`.
    public func replyDue(receivedAt received: Date) -> Date {
        later(received, by: window)
    }

    /// The new reply time of an inquiry whose clock was paused at `pausedAt`, waiting on the customer, and runs
    /// again from `resumedAt`: the time that was left when it paused. An inquiry already late when it paused stays late.
    public func resumedDue(dueAt: Date, pausedAt: Date, resumedAt: Date) -> Date {
        guard pausedAt < dueAt, pausedAt <= resumedAt else { return dueAt }
        return later(resumedAt, by: elapsed(from: pausedAt, to: dueAt))
    }

    /// How much of the clock runs between two moments: open time with opening hours, all of it without.
    public func elapsed(from start: Date, to end: Date) -> TimeInterval {
        guard let hours else { return max(0, end.timeIntervalSince(start)) }
        return hours.openTime(from: start, to: end, calendar: calendar)
    }

    private func later(_ start: Date, by duration: TimeInterval) -> Date {
        hours?.adding(openTime: duration, to: start, calendar: calendar) ?? start.addingTimeInterval(duration)
    }
}
