import Foundation
import KeepCore
import Testing

/// The reply clock in opening hours, against times worked out by hand on a shop's calendar.
@Suite("Opening hours and the reply clock")
struct OpeningHoursTests {
    let athens: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Athens")!
        return calendar
    }()

    /// A moment on the shop's clock in Athens.
    func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        athens.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    let hour: TimeInterval = 3600

    func weekdays(closed: String = "") throws -> OpeningHours {
        try OpeningHours(timetable: "mon-fri 09:00-17:00", closed: OpeningHours.closedDays(closed))
    }

    @Test func timetablesReadAsPeopleWriteThemAndReadBackTheSame() throws {
        let hours = try OpeningHours(timetable: "Mon-Fri 09:00-13:00 14:00-18:00,  Saturday 10:00-14:00")
        #expect(hours.timetable == "mon-fri 09:00-13:00 14:00-18:00, sat 10:00-14:00")
        #expect(try OpeningHours(timetable: hours.timetable) == hours)
        #expect(try OpeningHours(timetable: "sat-mon 8:00-24:00").timetable == "mon 08:00-24:00, sat-sun 08:00-24:00")
        #expect(hours.week[0].isEmpty, "Sunday is closed")
    }

    @Test(arguments: [
        ("9-5", "cannot read \"9-5\" as opening hours"),
        ("mon-fri", "cannot read"),
        ("mon 17:00-09:00", "cannot read"),
        ("someday 09:00-17:00", "cannot read"),
        ("mon-fri 09:00-17:00, mon 16:00-18:00", "\"mon 16:00-18:00\" overlap another range"),
        ("", "cannot read"),
    ])
    func aTimetableThatDoesNotReadNamesTheFix(text: String, message: String) {
        let error = #expect(throws: OpeningHoursError.self) { try OpeningHours(timetable: text) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.description.contains("mon") == true, "the message shows a form that works, or the range to mend")
    }

    @Test func closedDaysTakeDatesAndRangesAndRefuseDaysNotOnTheCalendar() throws {
        let days = try OpeningHours.closedDays("2026-12-24, 2026-12-31..2027-01-02, 2026-12-25")
        #expect(days.count == 5)
        #expect(OpeningHours.closedDaysText(days) == "2026-12-24..2026-12-25, 2026-12-31..2027-01-02")
        #expect(try OpeningHours.closedDays("none").isEmpty)
        for bad in ["2026-02-30", "24/12/2026", "2026-12-26..2026-12-24"] {
            #expect(throws: OpeningHoursError.unreadableClosedDays(bad)) { try OpeningHours.closedDays(bad) }
        }
        #expect(throws: OpeningHoursError.tooManyClosedDays) { try OpeningHours.closedDays("2026-01-01..2029-12-31") }
    }

    @Test func aDayOfOpenTimeOverAWeekendTakesThreeWorkingDays() throws {
        let clock = ReplyClock(window: 24 * hour, hours: try weekdays(), calendar: athens)
        // Friday 27 November 16:00: 1 hour on Friday, 8 on Monday, 8 on Tuesday, the last 7 on Wednesday.
        #expect(clock.replyDue(receivedAt: at(2026, 11, 27, 16)) == at(2026, 12, 2, 16))
        // Received on Saturday night: the clock starts when the shop opens on Monday.
        let short = ReplyClock(window: 2 * hour, hours: try weekdays(), calendar: athens)
        #expect(short.replyDue(receivedAt: at(2026, 11, 28, 23)) == at(2026, 11, 30, 11))
        #expect(clock.elapsed(from: at(2026, 11, 27, 16), to: at(2026, 11, 30, 10)) == 2 * hour)
    }

    @Test func aClosedDayDoesNotCount() throws {
        let clock = ReplyClock(window: 24 * hour, hours: try weekdays(closed: "2026-11-30"), calendar: athens)
        #expect(clock.replyDue(receivedAt: at(2026, 11, 27, 16)) == at(2026, 12, 3, 16))
    }

    @Test func aLunchBreakDoesNotCount() throws {
        let hours = try OpeningHours(timetable: "mon-fri 09:00-13:00 14:00-18:00")
        let clock = ReplyClock(window: 5 * hour, hours: hours, calendar: athens)
        #expect(clock.replyDue(receivedAt: at(2026, 11, 24, 10)) == at(2026, 11, 24, 16))
    }

    @Test func theClockOpensAtNineOnTheDayTheClocksChange() throws {
        // Athens leaves summer time at 04:00 on Sunday 25 October 2026: that day has 25 hours.
        let clock = ReplyClock(window: 2 * hour, hours: try OpeningHours(timetable: "mon-sun 09:00-17:00"), calendar: athens)
        let due = clock.replyDue(receivedAt: at(2026, 10, 24, 16))
        #expect(due == at(2026, 10, 25, 10))
        #expect(athens.component(.hour, from: due) == 10)
    }

    @Test func waitingOnTheCustomerPausesTheClockAndKeepsTheTimeLeft() throws {
        let clock = ReplyClock(window: 24 * hour, hours: try weekdays(), calendar: athens)
        let due = at(2026, 12, 2, 16)
        // Paused on Monday at 10:00 with 7 + 8 + 7 = 22 open hours left; resumed Thursday at 09:00:
        // 8 on Thursday, 8 on Friday, the last 6 on Monday.
        #expect(clock.resumedDue(dueAt: due, pausedAt: at(2026, 11, 30, 10), resumedAt: at(2026, 12, 3, 9)) == at(2026, 12, 7, 15))
        // Already late when it paused: it stays late.
        #expect(clock.resumedDue(dueAt: due, pausedAt: at(2026, 12, 3, 9), resumedAt: at(2026, 12, 4, 9)) == due)
    }

    @Test func withoutOpeningHoursEveryHourCounts() {
        let clock = ReplyClock(window: 24 * hour, hours: nil, calendar: athens)
        #expect(clock.replyDue(receivedAt: at(2026, 11, 27, 16)) == at(2026, 11, 28, 16))
        #expect(clock.resumedDue(dueAt: at(2026, 11, 28, 16), pausedAt: at(2026, 11, 28, 10), resumedAt: at(2026, 11, 30, 9)) == at(2026, 11, 30, 15))
    }

    @Test func aPausedInquiryIsLateOnlyIfItWasLateWhenItPaused() throws {
        var laptop = Replica(ReplicaID("00000000000000a1")!, by: "a", kind: .note)
        laptop.write(
            Note.creation(
                customer: Fixture.otherRecord,
                kind: .inquiry,
                channel: nil,
                text: "Πότε έρχεται;",
                author: "a",
                at: at(2026, 11, 24, 9),
                replyDueAt: at(2026, 11, 25, 9)
            ),
            at: 1
        )
        laptop.write(Note.waiting(since: at(2026, 11, 24, 12)), at: 2)
        let paused = try #require(Note(RecordValues(laptop.state)))
        #expect(paused.isWaitingOnCustomer)
        #expect(!paused.isReplyLate(now: at(2026, 12, 24, 9)), "a month later, still waiting on the customer")
        laptop.write(Note.waiting(since: at(2026, 11, 26, 9)), at: 3)
        #expect(try #require(Note(RecordValues(laptop.state))).isReplyLate(now: at(2026, 11, 26, 10)), "paused after it was due")
        laptop.write(Note.resuming(replyDueAt: at(2026, 11, 27, 9)), at: 4)
        let resumed = try #require(Note(RecordValues(laptop.state)))
        #expect(!resumed.isWaitingOnCustomer && resumed.replyDueAt == at(2026, 11, 27, 9))
    }
}
