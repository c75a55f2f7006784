import Foundation
import KeepCore
import Testing

@Suite("Relative times")
struct RelativeTimeTests {
    /// Tuesday 24 November 2026, 10:00 in Athens.
    private let now = Date(timeIntervalSince1970: 1_795_507_200)

    private func describe(_ seconds: TimeInterval) -> String { RelativeTime.describe(now.addingTimeInterval(seconds), now: now) }

    private static let minute: TimeInterval = 60
    private static let hour: TimeInterval = 3600
    private static let day: TimeInterval = 86_400

    private static let futureCases: [(TimeInterval, String)] = [
        (45 * minute, "in 45m"),
        (1 * minute, "in 1m"),
        (59 * minute + 59, "in 59m"),
        (hour, "in 1h"),
        (hour + 30, "in 1h"),
        (3 * hour + 20 * minute, "in 3h 20m"),
        (3 * hour, "in 3h"),
        (23 * hour + 59 * minute, "in 23h 59m"),
        (day, "in 1d"),
        (2 * day + 4 * hour, "in 2d 4h"),
        (2 * day + 4 * hour + 59 * minute, "in 2d 4h"),
        (2 * day, "in 2d"),
        (6 * day + 23 * hour, "in 6d 23h"),
        (7 * day + 5 * hour, "in 7d"),
        (400 * day, "in 400d"),
    ]

    private static let pastCases: [(TimeInterval, String)] = [
        (-45 * minute, "45m ago"),
        (-3 * hour, "3h ago"),
        (-(3 * hour + 20 * minute), "3h 20m ago"),
        (-2 * day, "2d ago"),
        (-26 * hour, "1d 2h ago"),
        (-30 * day, "30d ago"),
    ]

    @Test(arguments: futureCases)
    func future(_ seconds: TimeInterval, _ text: String) {
        #expect(describe(seconds) == text)
    }

    @Test(arguments: pastCases)
    func past(_ seconds: TimeInterval, _ text: String) {
        #expect(describe(seconds) == text)
    }

    @Test(arguments: [0, 30, -30, 59.9, -59.9] as [TimeInterval])
    func withinAMinuteIsNow(_ seconds: TimeInterval) {
        #expect(describe(seconds) == "now")
    }

    @Test func pastTextEndsInAgoSoCallersCanSayLate() {
        #expect(describe(-5 * Self.hour).replacingOccurrences(of: " ago", with: " late") == "5h late")
    }

    @Test func daysAreElapsedTimeEvenAcrossAClockChange() {
        // From Saturday 10:00 to Sunday 17:00 in Athens when clocks go forward: 31 hours on the wall clock, 30 elapsed.
        let saturday = Date(timeIntervalSince1970: 1_774_684_800)  // 2026-03-28T08:00:00Z
        let sundayEvening = Date(timeIntervalSince1970: 1_774_792_800)  // 2026-03-29T14:00:00Z
        #expect(RelativeTime.describe(sundayEvening, now: saturday) == "in 1d 6h")
    }

    @Test func extremeDistancesDoNotCrash() {
        #expect(RelativeTime.describe(.distantFuture, now: now).hasPrefix("in "))
        #expect(RelativeTime.describe(.distantPast, now: now).hasSuffix(" ago"))
    }
}
