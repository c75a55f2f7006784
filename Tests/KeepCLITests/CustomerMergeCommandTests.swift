import Foundation
import Testing

/// `keep customer merge` on a real store, as a shop owner types it (issue "a shop owner's morning", item 19).
@Suite("keep customer merge")
struct CustomerMergeCommandTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-merge-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Μαρία Παπαδοπούλου", "--phone", "210 123 4567").status == 0)
        #expect(try keep.run("customer", "add", "Μαρία Π.", "--email", "maria@example.gr").status == 0)
        #expect(try keep.run("note", "add", "Μαρία Π.", "Ρώτησε για το ψυγείο").status == 0)
        #expect(try keep.run("promise", "add", "Μαρία Π.", "Να την πάρω τηλέφωνο", "--due", "tomorrow").status == 0)
    }

    @Test func withoutYesItSaysWhatItWouldDoAndChangesNothing() throws {
        let before = try keep.run("customer", "list").stdout
        let asked = try keep.run("customer", "merge", "Παπαδοπούλου", "Μαρία Π.")
        #expect(asked.status == 64)
        #expect(asked.stderr.contains("it moves 1 note and 1 promise") && asked.stderr.contains("--yes"), "\(asked.stderr)")
        #expect(try keep.run("customer", "list").stdout == before)
    }

    @Test func theMergedCustomersRecordsAreTheKeptOnesAndItIsGone() throws {
        let merged = try keep.run("customer", "merge", "Παπαδοπούλου", "Μαρία Π.", "--yes")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("moved 1 note and 1 promise") && merged.stdout.contains("took the e-mail it lacked"), "\(merged.stdout)")
        let list = try keep.run("customer", "list").stdout
        #expect(!list.contains("Μαρία Π.") && list.contains("Μαρία Παπαδοπούλου"), "\(list)")
        let shown = try keep.run("customer", "show", "Μαρία").stdout
        #expect(shown.contains("Ρώτησε για το ψυγείο") && shown.contains("Να την πάρω τηλέφωνο") && shown.contains("maria@example.gr"), "\(shown)")
    }

    @Test func oneCustomerTwiceIsRefused() throws {
        let refused = try keep.run("customer", "merge", "Παπαδοπούλου", "210 123 4567", "--yes")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("the same customer"), "\(refused.stderr)")
    }
}
