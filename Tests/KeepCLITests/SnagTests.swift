import Foundation
import Testing

/// Small snags a new shop owner hit in the first week (issue "a shop owner's morning", item 13), each as it was seen.
@Suite("Snags of the first week")
struct SnagTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-snags-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Eight in the evening, the working day (17:00) over but the day not.
        keep = KeepProcess(storePath: folder + "/keep.sqlite", timeZone: KeepProcess.timeZone(whereItIsNow: 20))
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Μαρία Παπαδοπούλου").status == 0)
    }

    @Test func dueTodayAfterClosingIsTheEndOfTheDay() throws {
        let added = try keep.run("promise", "add", "Μαρία", "Να της τηλεφωνήσω", "--due", "today", "--json")
        #expect(added.status == 0, "\(added.stderr)")
        let due = try #require((try added.json() as? [String: Any])?["dueAt"] as? String)
        let local = DateFormatter()
        local.timeZone = TimeZone(identifier: keep.environment["TZ"] ?? "UTC")
        local.dateFormat = "HH:mm"
        #expect(local.string(from: try #require(ISO8601DateFormatter().date(from: due))) == "23:59")
    }

    @Test func untilIsAnotherNameForDue() throws {
        let added = try keep.run("promise", "add", "Μαρία", "Προσφορά για ψυγείο", "--until", "tomorrow")
        #expect(added.status == 0, "\(added.stderr)")
    }

    @Test func aReportOfSomeoneUnknownSaysSo() throws {
        #expect(try keep.run("promise", "add", "Μαρία", "Επιστροφή χρημάτων", "--due", "tomorrow").status == 0)
        let report = try keep.run("report", "--agent", "Nobody")
        #expect(report.status == 65, "\(report.stdout)")
        #expect(report.stderr.contains("no one called \"Nobody\"") && report.stderr.contains("Ελένη"), "\(report.stderr)")
        #expect(try keep.run("report", "--agent", "Ελένη").status == 0)
    }

    @Test func anIdOfAnotherKindIsNamed() throws {
        let promise = try #require(
            try keep.run("promise", "add", "Μαρία", "Επιστροφή χρημάτων", "--due", "tomorrow", "--json").json() as? [String: Any]
        )
        let id = try #require(promise["ref"] as? String)
        let answered = try keep.run("inquiry", "answer", id, "Εντάξει")
        #expect(answered.status != 0)
        #expect(answered.stderr.contains("\(id) is a promise, not an inquiry"), "\(answered.stderr)")
    }

    @Test(arguments: ["refs", "dates", "when", "sync", "json", "privacy", "completion"])
    func helpPagesFitEightyColumnsWithoutBreakingWords(topic: String) throws {
        let page = try keep.run("help", topic)
        #expect(page.status == 0)
        let lines = page.stdout.split(separator: "\n")
        for line in lines { #expect(line.count <= 80, "\(topic): \(line.count) columns: \(line)") }
        for word in ["customers", "inquiries", "certificate", "anonymous", "working"] where page.stdout.contains(word.prefix(6)) {
            #expect(page.stdout.contains(word) || !page.stdout.contains(word.prefix(6) + "\n"), "\(topic) breaks \(word)")
        }
    }
}
