import Foundation

/// A date written in numbers with the day and the month in either order, as people write them by hand:
/// `04/12/2026`, `4.12.2026`, `04-12-2026`, or without the year, `4/12`.
struct NumericDate {
    /// The first and second numbers: the day and the month, in an order the laptop's locale decides.
    let first: Int
    let second: Int
    /// Nil when left out.
    let year: Int?

    /// Nil when the word is not two or three numbers joined by one of `/`, `.` or `-`, the day and the month of one
    /// or two digits and the year, if any, of four.
    init?(_ word: String) {
        guard let separator = word.first(where: { $0 == "/" || $0 == "." || $0 == "-" }) else { return nil }
        let parts = word.split(separator: separator, omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
            parts[0].count <= 2, parts[1].count <= 2, parts.count == 2 || parts[2].count == 4
        else { return nil }
        first = Int(parts[0])!
        second = Int(parts[1])!
        year = parts.count == 3 ? Int(parts[2])! : nil
    }

    /// The day meant: read in `order` when both readings are days on the calendar and differ, the only one that is a
    /// day otherwise. Without a year, the day nearest `today`, so that `4/12` is this December, next December once
    /// it is more than half a year past, and last December for a purchase typed in January.
    ///
    /// - Throws: `noSuchDay` when neither reading is a day; `ambiguousDate`, naming both, when both are and the order
    ///   is unknown.
    func day(in order: DateOrder, today: CalendarDay, calendar: Calendar, typed: String) throws(WhenError) -> CalendarDay {
        let dayFirst = resolved(day: first, month: second, today: today, calendar: calendar)
        let monthFirst = resolved(day: second, month: first, today: today, calendar: calendar)
        switch (dayFirst, monthFirst) {
        case (nil, nil):
            throw WhenError(.noSuchDay, input: typed)
        case (let day?, nil), (nil, let day?):
            return day
        case (let dayFirst?, let monthFirst?) where dayFirst == monthFirst:
            return dayFirst
        case (let dayFirst?, let monthFirst?):
            switch order {
            case .dayFirst: return dayFirst
            case .monthFirst: return monthFirst
            case .unknown:
                throw WhenError(
                    .ambiguousDate,
                    input: typed,
                    readings: [dayFirst, monthFirst].map { WhenError.Reading(meaning: $0.spelledOut, written: $0.iso) }
                )
            }
        }
    }

    /// The day of `month` meant, nil when it is not on the calendar in the year given or in any year near `today`.
    private func resolved(day: Int, month: Int, today: CalendarDay, calendar: Calendar) -> CalendarDay? {
        guard let year else {
            let candidates = [today.year + 1, today.year, today.year - 1]
                .map { CalendarDay(year: $0, month: month, day: day) }
                .filter { $0.isOnCalendar(calendar) }
            // Half a year either way; on a tie, the one ahead (listed first), as a due date usually is.
            return candidates.min { abs(today.days(to: $0, in: calendar)) < abs(today.days(to: $1, in: calendar)) }
        }
        let candidate = CalendarDay(year: year, month: month, day: day)
        return candidate.isOnCalendar(calendar) ? candidate : nil
    }
}
