import Foundation
import Testing

/// `keep undo` as a shop owner runs it: the real `keep` on a real store.
@Suite("keep undo")
struct UndoCommandTests {
    let folder: String
    let keep: KeepProcess

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-undo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        let initialized = try keep.run("init", "--agent", "Ελένη")
        #expect(initialized.status == 0, "\(initialized.stderr)")
    }

    @Test func aNoteTakenBackIsGoneFromTheList() throws {
        #expect(try keep.run("customer", "add", "Μαρία Παπαδοπούλου").status == 0)
        #expect(try keep.run("note", "add", "μαρια", "Ρώτησε για την εγγύηση").status == 0)
        let undo = try keep.run("undo")
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(undo.stdout.hasPrefix("Took back: added a note about Μαρία Παπαδοπούλου"), "\(undo.stdout)")
        let notes = try keep.run("note", "list", "μαρια")
        #expect(notes.status == 0)
        #expect(!notes.stdout.contains("εγγύηση"), "\(notes.stdout)")
        #expect(notes.stderr.contains("No notes for Μαρία Παπαδοπούλου yet"), "\(notes.stderr)")
        #expect(try keep.run("customer", "list").stdout.contains("Μαρία Παπαδοπούλου"), "only the note was taken back")
    }

    @Test func eachUndoGoesOneChangeFurtherBack() throws {
        #expect(try keep.run("customer", "add", "Ona Jonaitienė", "--phone", "+370 612 34567").status == 0)
        #expect(try keep.run("customer", "edit", "Ona", "--phone", "+370 699 99999").status == 0)

        let list = try keep.run("undo", "--list")
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0].hasPrefix("WHEN"), "\(list.stdout)")
        #expect(lines[1].contains("Ελένη") && lines[1].hasSuffix("changed the customer Ona Jonaitienė: phone"), "\(list.stdout)")
        #expect(lines[2].hasSuffix("added the customer Ona Jonaitienė"), "\(list.stdout)")
        let json = try #require(try keep.run("undo", "--list", "--json").json() as? [[String: Any]])
        #expect(json.map { $0["change"] as? String } == ["changed the customer Ona Jonaitienė: phone", "added the customer Ona Jonaitienė"])
        #expect(json.first?["canTakeBack"] as? Bool == true && json.first?["fields"] as? Int == 1)

        let preview = try keep.run("undo", "--dry-run")
        #expect(preview.stdout.contains("Would take back: changed the customer Ona Jonaitienė: phone"), "\(preview.stdout)")
        #expect(preview.stdout.contains("phone back to \"+370 612 34567\""), "\(preview.stdout)")
        #expect(try keep.run("customer", "list").stdout.contains("+370 699 99999"), "a dry run changes nothing")

        #expect(try keep.run("undo").status == 0)
        #expect(try keep.run("customer", "list").stdout.contains("+370 612 34567"))
        let second = try keep.run("undo")
        #expect(second.stdout.hasPrefix("Took back: added the customer Ona Jonaitienė"), "\(second.stdout)")
        #expect(try keep.run("customer", "list").stderr.contains("No customers yet"))

        let nothing = try keep.run("undo")
        #expect(nothing.status == 65)
        #expect(nothing.stderr.contains("nothing to undo"), "\(nothing.stderr)")
        let empty = try keep.run("undo", "--list")
        #expect(empty.status == 0 && empty.stdout.isEmpty && empty.stderr.contains("Nothing to undo"), "\(empty.stderr)")
    }

    @Test func anAnswerTakenBackOwesTheReplyAgain() throws {
        #expect(try keep.run("customer", "add", "Žydrūnė Šimkutė").status == 0)
        let inquiry = try #require(try keep.run("inquiry", "add", "Šimkutė", "Kada atveš šaldytuvą?", "--json").json() as? [String: Any])
        let ref = try #require(inquiry["ref"] as? String)
        #expect(try keep.run("inquiry", "answer", ref, "Penktadienį").status == 0)
        #expect(try keep.run("inquiry", "list").stderr.contains("No replies owed"))

        let undo = try keep.run("undo")
        #expect(undo.stdout.hasPrefix("Took back: answered the inquiry \(ref) with a reply"), "\(undo.stdout)")
        #expect(try keep.run("inquiry", "list").stdout.contains("Kada atveš šaldytuvą?"), "the reply is owed again")
        let notes = try keep.run("note", "list", "Šimkutė").stdout
        #expect(!notes.contains("Penktadienį"), "the reply written down is gone: \(notes)")
    }

    @Test func aForgetCannotBeTakenBack() throws {
        #expect(try keep.run("customer", "add", "Σπύρος Οικονόμου").status == 0)
        #expect(try keep.run("customer", "forget", "Σπύρος", "--yes").status == 0)
        let list = try keep.run("undo", "--list")
        #expect(list.stdout.contains("forgot the customer") && list.stdout.contains("(cannot be taken back)"), "\(list.stdout)")
        #expect(!list.stdout.contains("Σπύρος"), "\(list.stdout)")
        let refused = try keep.run("undo")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("forgotten data is erased for good"), "\(refused.stderr)")
    }

    @Test func misuseAndAMissingStoreAreClearErrors() throws {
        let together = try keep.run("undo", "--list", "--force")
        #expect(together.status == 64 && together.stderr.contains("--list only lists"), "\(together.stderr)")
        let json = try keep.run("undo", "--json")
        #expect(json.status == 64 && json.stderr.contains("--json goes with --list"), "\(json.stderr)")
        let missing = try keep.run("undo", "--store", folder + "/nowhere.sqlite")
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no Keepword store") && missing.stderr.contains("keep init"), "\(missing.stderr)")
    }
}
