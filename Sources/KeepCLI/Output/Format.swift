import Foundation
import KeepCore
import Synchronization

/// How times and ids read on screen and in JSON.
enum Format {
    /// "Tue 24 Nov 17:00", in the shop's time zone; the year only when it is not this year's.
    static func dateTime(_ date: Date, _ calendar: Calendar, now: Date = Date()) -> String {
        let sameYear = calendar.component(.year, from: date) == calendar.component(.year, from: now)
        return formatted(date, pattern: sameYear ? "EEE d MMM HH:mm" : "EEE d MMM yyyy HH:mm", calendar)
    }

    /// `date` in a fixed English `DateFormatter` pattern, in the shop's time zone: "November 2026", "Nov 23".
    static func formatted(_ date: Date, pattern: String, _ calendar: Calendar) -> String {
        formatters.withLock { cache in
            let key = pattern + "|" + calendar.timeZone.identifier
            let formatter = cache[key] ?? makeFormatter(pattern, calendar.timeZone)
            cache[key] = formatter
            return formatter.string(from: date)
        }
    }

    /// Date formatters are costly to make (ICU loads its tables each time), so each pattern is made once per process.
    private static let formatters = Mutex<[String: DateFormatter]>([:])

    private static func makeFormatter(_ pattern: String, _ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter
    }

    /// A UTC time as JSON carries it: "2026-11-24T15:00:00Z" (whole seconds).
    static func iso(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = (seconds.quotientAndRemainder(dividingBy: 86_400))
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, dayOfMonth) = civilDate(daysSince1970: day)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))"
        return "\(String(format: "%04lld", year))-\(two(month))-\(two(dayOfMonth))T\(time)Z"
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
    private static func civilDate(daysSince1970: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func relative(_ date: Date, now: Date) -> String { RelativeTime.describe(date, now: now) }

    /// What `Character.isNewline` breaks lines at (CR, LF, VT, FF, NEL and the Unicode line and paragraph separators).
    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Folds a text to one line for a table cell.
    static func oneLine(_ text: String) -> String {
        // Most texts are one line already, with nothing around them to trim.
        if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last, !first.properties.isWhitespace,
            !last.properties.isWhitespace, !text.unicodeScalars.contains(where: isLineBreak)
        {
            return text
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
