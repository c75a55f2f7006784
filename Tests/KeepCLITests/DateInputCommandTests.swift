import Foundation
import Testing

/// Dates people type, through the real `keep` (issue #14, item 10): the day stored, the locale's order of day and
/// month, the refusals that show both readings, and `keep help dates`.
@Suite("Dates people type, from the command line")
struct DateInputCommandTests {
    let keep: KeepProcess
    let athens: Calendar

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-dates-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        var athens = Calendar(identifier: .gregorian)
        athens.timeZone = TimeZone(identifier: "Europe/Athens")!
        self.athens = athens
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Μαρία Παπαδοπούλου").status == 0)
    }

    /// The due time of a promise added with `--due WHEN` under `environment`, as a wall-clock time in Athens.
    private func promiseDue(_ when: String, environment: [String: String] = [:]) throws -> DateComponents {
        var keep = self.keep
        keep.environment.merge(environment) { _, new in new }
        let added = try keep.run("promise", "add", "Μαρία", "Θα τηλεφωνήσω", "--due", when, "--json")
        #expect(added.status == 0, "\(when): \(added.stderr)")
        let due = try #require((try added.json() as? [String: Any])?["dueAt"] as? String)
        let instant = try #require(ISO8601DateFormatter().date(from: due))
        return athens.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: instant)
    }

    /// The day `days` after today in Athens, at 17:00.
    private func endOfWorkday(daysFromToday days: Int) -> DateComponents {
        let day = athens.date(byAdding: .day, value: days, to: athens.startOfDay(for: Date()))!
        var components = athens.dateComponents([.year, .month, .day, .weekday], from: day)
        (components.hour, components.minute) = (17, 0)
        return components
    }

    private func promisesStored() throws -> Int {
        try #require(try keep.run("promise", "list", "--json").json() as? [Any]).count
    }

    @Test func nextFridayIsTheFirstFridayAfterToday() throws {
        let weekday = athens.component(.weekday, from: Date())
        // Friday is weekday 6; said on a Friday, it is a week away.
        let ahead = (6 - weekday + 7) % 7 == 0 ? 7 : (6 - weekday + 7) % 7
        #expect(try promiseDue("next friday") == endOfWorkday(daysFromToday: ahead))
        #expect(try promiseDue("next fri") == endOfWorkday(daysFromToday: ahead))
        #expect(try promiseDue("Παρασκευή") == endOfWorkday(daysFromToday: ahead))
    }

    @Test func wordsOfTheShopsLanguages() throws {
        #expect(try promiseDue("αύριο") == endOfWorkday(daysFromToday: 1))
        #expect(try promiseDue("rytoj") == endOfWorkday(daysFromToday: 1))
        #expect(try promiseDue("پس\u{200C}فردا") == endOfWorkday(daysFromToday: 2))
        #expect(try promiseDue("in 2 days") == endOfWorkday(daysFromToday: 2))
    }

    @Test func dateInNumbersByTheLocale() throws {
        let year = athens.component(.year, from: Date()) + 1
        let greek = try promiseDue("04/12/\(year) 10:00", environment: ["LANG": "el_GR.UTF-8"])
        #expect((greek.year, greek.month, greek.day, greek.hour) == (year, 12, 4, 10))
        let american = try promiseDue("04/12/\(year) 10:00", environment: ["LANG": "en_US.UTF-8"])
        #expect((american.year, american.month, american.day, american.hour) == (year, 4, 12, 10))
        let overridden = try promiseDue("04/12/\(year)", environment: ["LANG": "en_US.UTF-8", "LC_ALL": "lt_LT.UTF-8"])
        #expect((overridden.month, overridden.day) == (12, 4), "LC_ALL comes before LANG")
    }

    @Test func aDateThatReadsBothWaysWhereBothOrdersAreWrittenIsRefusedWithBoth() throws {
        let year = athens.component(.year, from: Date()) + 1
        var canadian = keep
        canadian.environment["LANG"] = "en_CA.UTF-8"
        let refused = try canadian.run("promise", "add", "Μαρία", "Θα τηλεφωνήσω", "--due", "04/12/\(year)")
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("could be 4 December \(year) (\(year)-12-04) or 12 April \(year) (\(year)-04-12)"), "\(refused.stderr)")
        #expect(try promisesStored() == 0)
        let clear = try promiseDue("13/04/\(year)", environment: ["LANG": "en_CA.UTF-8"])
        #expect((clear.month, clear.day) == (4, 13), "one reading only")
        // The tests run keep under LANG=C.UTF-8: no locale is day first, as the shops write.
        let unset = try promiseDue("04/12/\(year)")
        #expect((unset.month, unset.day) == (12, 4))
    }

    @Test func aBareMIsRefusedWithBothReadingsAndChangesNothing() throws {
        let refused = try keep.run("promise", "add", "Μαρία", "Θα τηλεφωνήσω", "--due", "+1m")
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("\"+1m\" could be 1 minute (+1min) or 1 month (+1mo): write the one you mean"), "\(refused.stderr)")
        #expect(try promisesStored() == 0)
        let followUp = try keep.run("followup", "add", "Μαρία", "Πώς πάει;", "--in", "3m")
        #expect(followUp.status == 64, "\(followUp.stderr)")
        #expect(followUp.stderr.contains("3 minutes (3min) or 3 months (3mo)"), "\(followUp.stderr)")
        #expect(try #require(try keep.run("followup", "list", "--json").json() as? [Any]).isEmpty)
    }

    @Test func minutesAndMonthsHaveUnitsOfTheirOwn() throws {
        let soon = try keep.run("promise", "add", "Μαρία", "Θα τηλεφωνήσω", "--due", "+30min")
        #expect(soon.status == 0, "\(soon.stderr)")
        let added = try keep.run("followup", "add", "Μαρία", "Πώς πάει;", "--in", "3mo", "--json")
        #expect(added.status == 0, "\(added.stderr)")
        let due = try #require((try added.json() as? [String: Any])?["dueAt"] as? String)
        let expected = athens.date(byAdding: .month, value: 3, to: athens.startOfDay(for: Date()))!
        #expect(athens.isDate(try #require(ISO8601DateFormatter().date(from: due)), inSameDayAs: expected))
    }

    @Test func aPurchaseYesterday() throws {
        let bought = try keep.run("purchase", "add", "Μαρία", "Πλυντήριο", "--at", "χθες 12:00", "--json")
        #expect(bought.status == 0, "\(bought.stderr)")
        let at = try #require((try bought.json() as? [String: Any])?["at"] as? String)
        let yesterday = athens.date(byAdding: .day, value: -1, to: Date())!
        #expect(athens.isDate(try #require(ISO8601DateFormatter().date(from: at)), inSameDayAs: yesterday))
    }

    @Test func helpDatesIsATableWithinEightyColumns() throws {
        let page = try keep.run("help", "dates")
        #expect(page.status == 0)
        for line in page.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line.count) columns: \(line)") }
        for form in ["2026-12-04", "4/12/2026", "next fri", "in 3 days", "+30min", "mo (months)", "LC_TIME", "en_US", "σήμερα", "rytoj"] {
            #expect(page.stdout.contains(form), "\(form) is missing")
        }
        #expect(try keep.run("help", "when").stdout == page.stdout, "the page's first name still finds it")
        #expect(try keep.run("help", "Dates").stdout == page.stdout)
    }
}
