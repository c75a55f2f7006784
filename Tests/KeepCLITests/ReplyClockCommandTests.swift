import Foundation
import KeepCore
import Testing

/// Opening hours, closed days and the paused reply clock, as a shop owner sets and uses them.
@Suite("keep inquiry wait and resume, and opening hours")
struct ReplyClockCommandTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-clock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Σεπιδέ Ρضایی").status == 0)
    }

    func json(_ arguments: String...) throws -> [String: Any] {
        let result = try keep.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try result.json() as? [String: Any])
    }

    func date(_ value: Any?) throws -> Date {
        try #require((value as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
    }

    @Test func theReplyWindowCountsOnlyOpeningHours() throws {
        let set = try keep.run("config", "set", "opening-hours", "Mon-Fri 09:00-13:00 14:00-18:00, sat 10:00-14:00")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("opening-hours is now mon-fri 09:00-13:00 14:00-18:00, sat 10:00-14:00"), "\(set.stdout)")
        #expect(try keep.run("config", "set", "closed-days", "2026-12-25, 2026-12-31..2027-01-01").status == 0)
        let config = try json("config", "--json")
        #expect(config["closed-days"] as? String == "2026-12-25, 2026-12-31..2027-01-01")

        let inquiry = try json("inquiry", "add", "Ρضایی", "Πότε φτάνει η παραγγελία;", "--json")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Athens")!
        let hours = try OpeningHours(
            timetable: "mon-fri 09:00-13:00 14:00-18:00, sat 10:00-14:00",
            closed: OpeningHours.closedDays("2026-12-25, 2026-12-31..2027-01-01")
        )
        let clock = ReplyClock(window: 24 * 3600, hours: hours, calendar: calendar)
        let at = try date(inquiry["at"])
        // JSON carries whole seconds; the due time is computed from the exact moment.
        #expect(abs(try date(inquiry["replyDueAt"]).timeIntervalSince(clock.replyDue(receivedAt: at))) < 1)
        #expect(try date(inquiry["replyDueAt"]).timeIntervalSince(at) > 24 * 3600, "a day of open time is longer than a day")
    }

    @Test func waitingOnTheCustomerPausesTheClockUntilTheyGetBack() throws {
        let inquiry = try json("inquiry", "add", "Ρضایی", "Έχετε το μπλε;", "--json")
        let ref = try #require(inquiry["ref"] as? String)
        let wait = try keep.run("inquiry", "wait", ref, "Ρώτησα ποιο μέγεθος θέλει")
        #expect(wait.status == 0, "\(wait.stderr)")
        #expect(wait.stdout.contains("the clock is paused"), "\(wait.stdout)")

        let today = try json("today", "--json")
        #expect((today["repliesOwed"] as? [Any])?.isEmpty == true, "not owed while waiting on the customer")
        let waiting = try #require((today["waitingOnCustomers"] as? [[String: Any]])?.first)
        #expect(waiting["ref"] as? String == ref && waiting["waitingSince"] is String)
        #expect(try keep.run("today").stdout.contains("Waiting on customers (1)"))
        let notes = try #require(try keep.run("note", "list", "Ρضایی", "--json").json() as? [[String: Any]])
        #expect(notes.contains { $0["text"] as? String == "Ρώτησα ποιο μέγεθος θέλει" })

        let again = try keep.run("inquiry", "wait", ref)
        #expect(again.status != 0 && again.stderr.contains("keep inquiry resume \(ref)"), "\(again.stderr)")

        let resume = try keep.run("inquiry", "resume", ref)
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(resume.stdout.contains("runs again: reply by"), "\(resume.stdout)")
        let owed = try #require((try json("today", "--json")["repliesOwed"] as? [[String: Any]])?.first)
        #expect(owed["waitingSince"] is NSNull)
        // The time left when it paused (all of the 24 hours, give or take the test's own seconds) runs from now.
        let due = try date(owed["replyDueAt"]).timeIntervalSinceNow
        #expect(due > 23.9 * 3600 && due <= 24 * 3600 + 1, "\(due)")

        let notPaused = try keep.run("inquiry", "resume", ref)
        #expect(notPaused.status != 0 && notPaused.stderr.contains("keep inquiry wait \(ref)"), "\(notPaused.stderr)")
    }

    @Test func answeringWhileWaitingCountsAsTheCustomerGettingBack() throws {
        let inquiry = try json("inquiry", "add", "Ρضایی", "Έχετε το μπλε;", "--json")
        let ref = try #require(inquiry["ref"] as? String)
        #expect(try keep.run("inquiry", "wait", ref).status == 0)
        let answer = try keep.run("inquiry", "answer", ref, "Ναι, το κρατήσαμε")
        #expect(answer.status == 0 && !answer.stdout.contains("after the reply window"), "\(answer.stdout)")
        let report = try json("report", "--json")
        let replies = try #require(report["replies"] as? [String: Any])
        #expect(replies["answeredInTime"] as? Int == 1 && replies["waitingOnCustomer"] as? Int == 0)
    }

    @Test func todayShowsTheFirstRowsOfALongListAndWhereToSeeTheRest() throws {
        for number in 1...18 {
            #expect(
                try keep.run("promise", "add", "Ρضایی", "Υπόσχεση \(number)", "--due", String(format: "2025-01-%02d", number), "--allow-past").status
                    == 0
            )
        }
        let today = try keep.run("today")
        #expect(today.stdout.contains("Overdue promises (18)"), "\(today.stdout)")
        #expect(today.stdout.contains("… and 3 more: keep promise list --overdue"), "\(today.stdout)")
        #expect(today.stdout.split(separator: "\n").count < 20)
        #expect(!(try keep.run("today", "--limit", "0").stdout.contains("more:")))
        let json = try json("today", "--json", "--limit", "5")
        #expect((json["overduePromises"] as? [Any])?.count == 5)
        #expect((json["totals"] as? [String: Any])?["overduePromises"] as? Int == 18)
        #expect((try self.json("today", "--json")["overduePromises"] as? [Any])?.count == 18, "--json lists everything")
    }

    @Test(arguments: [
        (["config", "set", "opening-hours", "9 to 5"], "cannot read \"9 to 5\" as opening hours"),
        (["config", "set", "opening-hours", "mon-fri 09:00-17:00, fri 16:00-19:00"], "overlap"),
        (["config", "set", "closed-days", "2026-02-30"], "cannot read \"2026-02-30\" as a closed day"),
        (["today", "--limit=-1"], "--limit must be between 0"),
    ])
    func badInputIsRefusedAndChangesNothing(arguments: [String], message: String) throws {
        let result = try keep.run(arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        let config = try json("config", "--json")
        #expect(config["opening-hours"] as? String == "always" && config["closed-days"] as? String == "none")
    }
}
