import Foundation
import KeepCore
import KeepStore
import Testing

/// The `keep` command as a person uses it: a real process, a real store file.
@Suite("keep commands")
struct CommandLineTests {
    let folder: String
    let keep: KeepProcess

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        let initialized = try keep.run("init", "--agent", "Ελένη")
        #expect(initialized.status == 0, "\(initialized.stderr)")
    }

    /// Adds a customer and returns their short ref.
    private func addCustomer(_ name: String, _ extra: String...) throws -> String {
        let result = try keep.run(["customer", "add", name, "--json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.json() as? [String: Any])
        return try #require(object["ref"] as? String)
    }

    @Test func theMorningStoryOfTheReadme() throws {
        let ref = try addCustomer("Μαρία Παπαδοπούλου", "--phone", "+30 210 123 4567")
        #expect(try keep.run("inquiry", "add", "Παπαδοπούλου", "Ρώτησε για την επιστροφή χρημάτων και την εγγύηση").status == 0)
        #expect(try keep.run("promise", "add", ref, "Θα τηλεφωνήσω με την απάντηση της αποθήκης", "--due", "tomorrow").status == 0)
        #expect(try keep.run("note", "add", "μαρια", "Συζητήσαμε την εξυπηρέτηση πελατών", "--channel", "phone").status == 0)

        let today = try keep.run("today")
        #expect(today.status == 0)
        #expect(today.stdout.contains("Replies owed (1)"))
        #expect(today.stdout.contains("Μαρία Παπαδοπούλου"))
        #expect(today.stdout.contains("Θα τηλεφωνήσω με την απάντηση της αποθήκης"), "the promise due tomorrow shows as coming up")
        #expect(!today.stdout.contains("\u{1B}["), "no colour on a pipe")

        let search = try keep.run("search", "εξυπηρετηση", "--json")
        let hits = try #require(try search.json() as? [[String: Any]])
        #expect(hits.map { $0["text"] as? String } == ["Συζητήσαμε την εξυπηρέτηση πελατών"])
        #expect(hits.first?["customerName"] as? String == "Μαρία Παπαδοπούλου")

        let agenda = try #require(try keep.run("today", "--json").json() as? [String: Any])
        #expect((agenda["repliesOwed"] as? [Any])?.count == 1)
        let dueToday = (agenda["promisesDueToday"] as? [Any])?.count ?? 0
        let comingUp = (agenda["followUpsComingUp"] as? [Any])?.count ?? 0
        #expect(dueToday == 0 && comingUp == 0, "a promise due tomorrow is not due today")
        #expect((agenda["promisesComingUp"] as? [Any])?.count == 1, "but it is coming up")
        let promises = try #require(try keep.run("promise", "list", "--open", "--json").json() as? [[String: Any]])
        #expect(promises.count == 1)
        #expect(promises.first?["status"] as? String == "open")
    }

    @Test func promisesAreKeptCancelledAndShownOverdue() throws {
        let ref = try addCustomer("Jonas Petraitis")
        let late = try #require(
            try keep.run("promise", "add", ref, "Grąžinti pinigus", "--due", "2020-01-01", "--allow-past", "--json").json() as? [String: Any]
        )
        let soon = try #require(try keep.run("promise", "add", ref, "Paskambinti", "--due", "+2d", "--json").json() as? [String: Any])
        let lateRef = try #require(late["ref"] as? String)
        let soonRef = try #require(soon["ref"] as? String)
        #expect(late["overdue"] as? Bool == true)

        let overdue = try #require(try keep.run("promise", "list", "--overdue", "--json").json() as? [[String: Any]])
        #expect(overdue.map { $0["ref"] as? String } == [lateRef])
        let today = try keep.run("today")
        #expect(today.stdout.hasPrefix("Overdue promises (1)"))

        #expect(try keep.run("promise", "keep", lateRef).stdout.contains("late"))
        let again = try keep.run("promise", "keep", lateRef)
        #expect(again.status == 65)
        #expect(again.stderr.contains("already kept"))

        let noReason = try keep.run("promise", "cancel", soonRef)
        #expect(noReason.status == 64)
        #expect(try keep.run("promise", "cancel", soonRef, "--reason", "Klientas persigalvojo").status == 0)
        let all = try #require(try keep.run("promise", "list", "--json").json() as? [[String: Any]])
        #expect(Set(all.compactMap { $0["status"] as? String }) == ["kept", "cancelled"])
        #expect(all.first { $0["ref"] as? String == lateRef }?["keptLate"] as? Bool == true)
    }

    @Test func inquiriesAreAnsweredOnce() throws {
        let ref = try addCustomer("سارا احمدی")
        let inquiry = try #require(
            try keep.run("inquiry", "add", ref, "آیا سفارش من ارسال شد؟", "--channel", "chat", "--json").json() as? [String: Any]
        )
        let id = try #require(inquiry["ref"] as? String)
        #expect(inquiry["awaitingReply"] as? Bool == true)
        #expect(try keep.run("inquiry", "answer", id, "بله، امروز ارسال شد").status == 0)
        let second = try keep.run("inquiry", "answer", id)
        #expect(second.status == 65)
        #expect(second.stderr.contains("already answered"))
        let owed = try #require(try keep.run("inquiry", "list", "--json").json() as? [Any])
        #expect(owed.isEmpty)
        let shown = try #require(try keep.run("customer", "show", ref, "--json").json() as? [String: Any])
        let notes = try #require(shown["notes"] as? [[String: Any]])
        #expect(notes.map { $0["kind"] as? String } == ["inquiry", "reply"])
        #expect(notes.last?["inReplyTo"] as? String == inquiry["id"] as? String)
    }

    @Test func followUpsTakeAnOffsetOrADate() throws {
        let ref = try addCustomer("Ona")
        let inNinety = try #require(
            try keep.run("followup", "add", ref, "Ar patinka naujas šaldytuvas?", "--in", "90d", "--json").json() as? [String: Any]
        )
        #expect(inNinety["status"] as? String == "open")
        #expect(try keep.run("followup", "add", ref, "x", "--in", "90d", "--due", "tomorrow").status == 64)
        #expect(try keep.run("followup", "add", ref, "Soon", "--due", "tomorrow").status == 0)
        let today = try keep.run("today")
        #expect(today.stdout.contains("Coming up in the next 7 days"))
        let id = try #require(inNinety["ref"] as? String)
        #expect(try keep.run("followup", "done", id).status == 0)
        let open = try #require(try keep.run("followup", "list", "--json").json() as? [Any])
        #expect(open.count == 1)
    }

    @Test func customersAreListedShownAndEdited() throws {
        let ref = try addCustomer("Αικατερίνη", "--email", "k@example.gr")
        #expect(try keep.run("customer", "edit", ref, "--phone", "2310 123456", "--clear-email").status == 0)
        let list = try #require(try keep.run("customer", "list", "--json").json() as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list[0]["phone"] as? String == "2310 123456")
        #expect(list[0]["email"] is NSNull)
        let table = try keep.run("customer", "list")
        #expect(table.stdout.contains("REF"))
        #expect(table.stdout.contains("Αικατερίνη"))
        #expect(try keep.run("customer", "edit", ref).status == 64)
        #expect(try keep.run("customer", "delete", ref).status == 64)
        #expect(try keep.run("customer", "delete", ref, "--yes").status == 0)
        #expect(try keep.run("customer", "show", ref).status == 65)
    }

    @Test func notesComeFromStandardInput() throws {
        let ref = try addCustomer("Petras")
        let result = try keep.run(["note", "add", ref, "-"], input: "Kalbėjome apie garantiją.\nAntra eilutė.\n")
        #expect(result.status == 0, "\(result.stderr)")
        let notes = try #require(try keep.run("note", "list", ref, "--json").json() as? [[String: Any]])
        #expect(notes.first?["text"] as? String == "Kalbėjome apie garantiją.\nAntra eilutė.")
    }

    @Test func settingsChangeTheReplyWindow() throws {
        #expect(try keep.run("config", "set", "reply-window", "2d").status == 0)
        #expect(try keep.run("config", "set", "reply-window", "soon").status == 64)
        let settings = try #require(try keep.run("config", "--json").json() as? [String: Any])
        #expect(settings["reply-window"] as? String == "48h")
        let ref = try addCustomer("Δημήτρης")
        let inquiry = try #require(try keep.run("inquiry", "add", ref, "Πότε;", "--json").json() as? [String: Any])
        let asked = try #require((inquiry["at"] as? String).flatMap(ISO8601DateFormatter().date))
        let due = try #require((inquiry["replyDueAt"] as? String).flatMap(ISO8601DateFormatter().date))
        #expect(abs(due.timeIntervalSince(asked) - 48 * 3600) < 2)
    }
}
