import Foundation
import Testing

@testable import KeepCLI

@Suite("Formatting times")
struct FormatTests {
    @Test(arguments: [0, 951_782_400, 1_800_000_000, 4_102_444_799, -86_401, 1_709_164_800])
    func isoMatchesFoundation(seconds: Int) {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let foundation = ISO8601DateFormatter()
        foundation.formatOptions = [.withInternetDateTime]
        #expect(Format.iso(date) == foundation.string(from: date))
    }

    @Test func dateTimeUsesTheShopsTimeZone() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Tehran"))
        let date = Date(timeIntervalSince1970: 1_795_500_000)
        #expect(Format.dateTime(date, calendar, now: date) == "Tue 24 Nov 09:30")
        #expect(Format.dateTime(date, calendar, now: date.addingTimeInterval(400 * 86_400)) == "Tue 24 Nov 2026 09:30")
    }
}
