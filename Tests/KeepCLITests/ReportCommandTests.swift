import Foundation
import Testing

@testable import KeepCLI

/// `keep report` as a process: its JSON shape, a month in the past, and the messages for bad input.
@Suite("keep report")
struct ReportCommandTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-report-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
    }

    @Test func theJSONHasEveryDocumentedMember() throws {
        #expect(try keep.run("customer", "add", "Μαρία Παπαδοπούλου").status == 0)
        #expect(try keep.run("promise", "add", "Μαρία", "Επιστροφή χρημάτων", "--due", "+2h").status == 0)
        #expect(try keep.run("inquiry", "add", "Μαρία", "Πότε;", "--complaint").status == 0)
        let report = try #require(try keep.run("report", "--json").json() as? [String: Any])
        #expect(
            Set(report.keys) == [
                "period", "start", "end", "agent", "promises", "replies", "complaints", "quietCustomers", "weeks", "satisfaction", "months",
            ]
        )
        let promises = try #require(report["promises"] as? [String: Any])
        #expect(promises["made"] as? Int == 1)
        #expect(promises["keptOnTimeRate"] is NSNull, "nothing has come due yet")
        #expect((report["complaints"] as? [String: Any])?["waiting"] as? Int == 1)
        #expect((report["weeks"] as? [Any])?.count == 8)

        let text = try keep.run("report")
        #expect(text.status == 0)
        #expect(text.stdout.contains("Promises") && text.stdout.contains("Complaints"))
        #expect(text.stdout.split(separator: "\n").allSatisfy { TextWidth.of(String($0)) <= 80 })
    }

    @Test func aPastMonthAndOnePersonWork() throws {
        let past = try #require(try keep.run("report", "--month", "2025-02", "--agent", "Ελένη", "--json").json() as? [String: Any])
        #expect(past["period"] as? String == "2025-02")
        #expect(past["agent"] as? String == "Ελένη")
    }

    @Test(arguments: ["2026-13", "26-11", "November", "2026-1-1"])
    func aMalformedMonthIsAUsageError(month: String) throws {
        let result = try keep.run("report", "--month", month)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--month takes a year and a month, e.g. 2026-11"), "\(result.stderr)")
    }
}
