import Foundation
import KeepCore

/// How times and ids read on screen and in JSON.
enum Format {
    /// "Tue 24 Nov 17:00", in the shop's time zone; the year only when it is not this year's.
    static func dateTime(_ date: Date, _ calendar: Calendar, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        let sameYear = calendar.component(.year, from: date) == calendar.component(.year, from: now)
        formatter.dateFormat = sameYear ? "EEE d MMM HH:mm" : "EEE d MMM yyyy HH:mm"
        return formatter.string(from: date)
    }

    /// A UTC time as JSON carries it: "2026-11-24T15:00:00Z".
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func relative(_ date: Date, now: Date) -> String { RelativeTime.describe(date, now: now) }

    /// Folds a text to one line for a table cell.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
