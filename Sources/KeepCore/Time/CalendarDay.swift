import Foundation

/// A day on the shop's calendar, free of any time of day.
struct CalendarDay: Equatable {
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
    func adding(_ component: Calendar.Component, _ amount: Int, in calendar: Calendar) -> CalendarDay {
        let start = noon(in: calendar)
        return CalendarDay(calendar.date(byAdding: component, value: amount, to: start) ?? start, in: calendar)
    }

    /// Whether the calendar has this day: it rolls 2026-02-30 over into March, so a day that does not come back
    /// unchanged is not on it.
    func isOnCalendar(_ calendar: Calendar) -> Bool {
        year >= 1 && CalendarDay(noon(in: calendar), in: calendar) == self
    }

    /// Whole days from this day to `other`, negative when `other` is earlier.
    func days(to other: CalendarDay, in calendar: Calendar) -> Int {
        calendar.dateComponents([.day], from: noon(in: calendar), to: other.noon(in: calendar)).day ?? 0
    }

    /// "2026-12-04".
    var iso: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// "4 December 2026", as a person says it.
    var spelledOut: String {
        "\(day) \(Self.monthNames[month - 1]) \(year)"
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
}
