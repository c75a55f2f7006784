import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

/// Two laptops of one shop edit offline and sync through a real server over TLS, as shop staff would.
@Suite("Two laptops and a server", .serialized)
struct TwoLaptopsTests {
    /// Who syncs first after the offline edits.
    enum Order: String, CaseIterable {
        case annaFirst
        case bobFirst
    }

    @Test(arguments: Order.allCases)
    func offlineEditsConvergeWithThePredictedConflicts(order: Order) async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()

        let maria = try await anna.must("customer", "add", "Μαρία Παπαδοπούλου", "--phone", "210 000 0000", "--json").json()["id"] as? String ?? ""
        let nikos = try await anna.must("customer", "add", "Νίκος Γεωργίου", "--json").json()["id"] as? String ?? ""
        let promise = try await anna.must("promise", "add", "Μαρία", "Επιστροφή χρημάτων", "--due", "+2d", "--json").json()["id"] as? String ?? ""
        try await anna.must("sync")
        try await bob.must("sync")
        #expect(try recordStates(in: bob.store) == recordStates(in: anna.store))

        // Offline: different fields, the same field, a delete against an edit, a promise kept and re-dated.
        try await anna.must("customer", "edit", maria, "--phone", "210 111 1111")
        try await bob.must("customer", "edit", maria, "--email", "maria@example.gr")
        try await anna.must("customer", "edit", maria, "--name", "Μαρία Π.")
        try await bob.must("customer", "edit", maria, "--name", "Μαρία Παπαδοπούλου-Ιωάννου")
        try await anna.must("customer", "delete", nikos, "--yes")
        try await bob.must("customer", "edit", nikos, "--phone", "2310 555 555")
        try await anna.must("promise", "keep", promise)
        try await bob.must("promise", "edit", promise, "--due", "+5d")

        let (first, second) = order == .annaFirst ? (anna, bob) : (bob, anna)
        try await first.must("sync")
        try await second.must("sync")
        try await first.must("sync")

        let states = try recordStates(in: anna.store)
        #expect(try recordStates(in: bob.store) == states)
        #expect(try recordStates(in: server.storePath(of: "kafeneio")) == states)
        #expect(try conflictKeys(in: anna.store) == ["\(maria)/name", "\(nikos)/deleted"].sorted())

        let customer = try #require(states[RecordID(maria)!])
        #expect(customer.value(Customer.Field.phone) == .text("210 111 1111"))
        #expect(customer.value(Customer.Field.email) == .text("maria@example.gr"))
        let kept = try #require(states[RecordID(promise)!])
        #expect(kept.value(Promise.Field.status) == .text("kept"))
        #expect(kept.conflicts.isEmpty, "keeping and re-dating touch different fields")
        #expect(try #require(states[RecordID(nikos)!]).isDeleted == false, "an edit concurrent with a delete brings the customer back")

        let listed = try await bob.must("conflicts", "--json").stdout
        #expect(listed.contains("Μαρία Π.") && listed.contains("Μαρία Παπαδοπούλου-Ιωάννου"))

        // A person settles both; the settlement syncs like any edit and ends the conflict everywhere.
        try await bob.must("resolve", "\(maria.prefix(8))/name", "--value", "Μαρία Παπαδοπούλου")
        try await anna.must("resolve", String(nikos.prefix(8)), "--take", "mine")
        try await bob.must("sync")
        try await anna.must("sync")
        try await bob.must("sync")
        #expect(try conflictKeys(in: anna.store).isEmpty)
        #expect(try recordStates(in: bob.store) == recordStates(in: anna.store))
        let settled = try recordStates(in: anna.store)
        #expect(settled[RecordID(maria)!]?.value(Customer.Field.name) == .text("Μαρία Παπαδοπούλου"))
        #expect(settled[RecordID(nikos)!]?.isDeleted == true, "anna deleted Νίκος and took her side")
        let summary = try await anna.must("sync", "--json").json()
        #expect(summary["sent"] as? Int == 0)
        #expect(summary["conflicts"] as? Int == 0)
    }

    @Test("a typo in --take is refused, and a new value is checked as the field's own command checks it")
    func aTypoNeverBecomesTheValue() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        defer { withExtendedLifetime(server) {} }
        let maria = try await anna.must("customer", "add", "Μαρία Παπαδοπούλου", "--json").json()["id"] as? String ?? ""
        try await anna.must("sync")
        try await bob.must("sync")
        try await anna.must("customer", "edit", maria, "--email", "maria@example.gr", "--phone", "210 111 1111")
        try await bob.must("customer", "edit", maria, "--email", "m.papadopoulou@example.gr", "--phone", "210 222 2222")
        try await anna.must("sync")
        try await bob.must("sync")
        #expect(try conflictKeys(in: bob.store) == ["\(maria)/email", "\(maria)/phone"])
        let before = try recordStates(in: bob.store)

        for (arguments, message) in [
            (["--take", "thiers"], "thiers"),
            (["--value", "thiers"], "\"thiers\" is not an email address"),
            (["--take", "mine", "--value", "a@b.gr"], "either --take or --value"),
            ([], "--take mine, --take theirs, or --value TEXT"),
        ] {
            let refused = try await runProcess(
                Executables.url("keep"),
                ["resolve", "\(maria.prefix(8))/email"] + arguments,
                environment: bob.environment
            )
            #expect(refused.status == 64, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        let phone = try await bob.keep("resolve", "\(maria.prefix(8))/phone", "--value", "not a phone")
        #expect(phone.status == 64 && phone.stderr.contains("is not a phone number"), "\(phone.stderr)")
        #expect(try recordStates(in: bob.store) == before, "a refused settlement changes nothing")

        try await bob.must("resolve", "\(maria.prefix(8))/email", "--value", "maria.p@example.gr")
        try await bob.must("resolve", "\(maria.prefix(8))/phone", "--take", "theirs")
        let settled = try #require(try recordStates(in: bob.store)[RecordID(maria)!])
        #expect(settled.value(Customer.Field.email) == .text("maria.p@example.gr"))
        #expect(settled.value(Customer.Field.phone) == .text("210 111 1111"), "theirs is anna's")
        #expect(settled.conflicts.isEmpty)
    }

    @Test(
        "a conflict is seen where people look: keep sync says it arrived, today lists it, customer show marks it, conflicts shows every value whole"
    )
    func conflictsAreVisible() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        defer { withExtendedLifetime(server) {} }
        let maria = try await anna.must("customer", "add", "Μαρία Παπαδοπούλου", "--json").json()["id"] as? String ?? ""
        try await anna.must("sync")
        try await bob.must("sync")
        let annas = "Μαρία Παπαδοπούλου-Κωνσταντινίδου, η κόρη του κυρίου Γιώργου από το περίπτερο"
        let bobs = "Μαρία Παπαδοπούλου-Ιωάννου, πελάτισσα από το 2019, προτιμά να της τηλεφωνούμε το απόγευμα"
        try await anna.must("customer", "edit", maria, "--name", annas)
        try await bob.must("customer", "edit", maria, "--name", bobs)
        try await anna.must("sync")

        let synced = try await bob.must("sync")
        #expect(synced.stdout.contains("1 new conflict arrived") && synced.stdout.contains("keep conflicts"), "\(synced.stdout)")
        #expect(try await bob.must("sync", "--json").json()["newConflicts"] as? Int == 0)
        let again = try await bob.must("sync")
        #expect(again.stdout.contains("1 conflict still to settle"), "\(again.stdout)")

        let today = try await bob.must("today")
        #expect(today.stdout.contains("Conflicts to settle (1)") && today.stdout.contains("\(maria.prefix(8))/name"), "\(today.stdout)")
        #expect(today.stdout.contains("Last synced"), "\(today.stdout)")
        #expect((try await bob.must("today", "--json").json()["conflicts"] as? [Any])?.count == 1)
        let shown = try await bob.must("customer", "show", String(maria.prefix(8)))
        #expect(shown.stdout.contains("! name is in conflict") && shown.stdout.contains("keep resolve \(maria.prefix(8))/name"), "\(shown.stdout)")
        let listed = try await bob.must("conflicts")
        for expected in [annas, bobs, "written by anna", "written by bob"] {
            #expect(listed.stdout.contains(expected), "keep conflicts lacks \(expected): \(listed.stdout)")
        }
    }

    @Test("keep today warns when the laptop has not synced for more than a day with changes to send")
    func todayWarnsOfAnOldSync() async throws {
        let (server, anna, _) = try await twoLaptopsOfOneShop()
        defer { withExtendedLifetime(server) {} }
        try await anna.must("customer", "add", "Ona Jonaitienė")
        try await anna.must("sync")
        #expect(try await anna.must("today").stdout.contains("Last synced"))
        try await anna.must("customer", "add", "Sepideh Rezaei")
        let queue = try DatabaseQueue(path: anna.store)
        let twoDaysAgo = Int64(Date().addingTimeInterval(-2 * 24 * 3600).timeIntervalSince1970 * 1000)
        try await queue.write { db in try db.execute(sql: "UPDATE setting SET value = ? WHERE key = 'last-sync-at'", arguments: [String(twoDaysAgo)])
        }
        try queue.close()
        let today = try await anna.must("today")
        #expect(today.stdout.contains("more than a day ago, with 1 change to send: run keep sync"), "\(today.stdout)")
    }

    @Test func shopsNeverSeeEachOther() async throws {
        let server = try ServerProcess()
        let athens = try await server.laptop("athens", of: "athens", device: "till")
        let vilnius = try await server.laptop("vilnius", of: "vilnius", device: "till")
        try await athens.must("customer", "add", "Ελένη")
        try await vilnius.must("customer", "add", "Ona")
        try await athens.must("sync")
        try await vilnius.must("sync")
        try await athens.must("sync")
        let athensNames = try recordStates(in: athens.store).values.compactMap { $0.value(Customer.Field.name)?.text }
        let vilniusNames = try recordStates(in: vilnius.store).values.compactMap { $0.value(Customer.Field.name)?.text }
        #expect(athensNames == ["Ελένη"])
        #expect(vilniusNames == ["Ona"])
    }

    @Test func aServerThatIsDownLosesNothing() async throws {
        let server = try ServerProcess()
        let laptop = try await server.laptop("anna", of: "shop", device: "anna")
        try await laptop.must("customer", "add", "Γιάννης")
        server.stop()
        let offline = try await laptop.keep("sync")
        #expect(offline.status == 69)
        #expect(offline.stderr.contains("nothing was lost"))
        #expect(offline.stderr.split(separator: "\n").count == 1)

        let restarted = try ServerProcess(data: server.data, port: server.port)
        server.keepsData = true
        defer { restarted.stop() }
        let summary = try await laptop.must("sync", "--json").json()
        #expect(summary["sent"] as? Int == 1)
        let names = try recordStates(in: server.storePath(of: "shop")).values.compactMap { $0.value(Customer.Field.name)?.text }
        #expect(names == ["Γιάννης"])
    }

    @Test func aChangedCertificateIsRefusedLikeAChangedHostKey() async throws {
        let server = try ServerProcess()
        let laptop = try await Laptop(name: "anna", folder: server.laptops)
        let token = try await server.enroll(tenant: "shop", device: "anna")

        let wrongPin = try await laptop.keep("login", server.url, "--token", token, "--pin", String(repeating: "ab", count: 32))
        #expect(wrongPin.status == 65)
        #expect(wrongPin.stderr.contains(server.fingerprint))

        let login = try await laptop.must("login", server.url, "--token", token)
        #expect(login.stdout.contains(server.fingerprint))
        try await laptop.must("sync")

        // The same address now presents another certificate.
        server.stop()
        try FileManager.default.removeItem(atPath: server.data + "/tls")
        let impostor = try ServerProcess(data: server.data, port: server.port)
        server.keepsData = true
        defer { impostor.stop() }
        #expect(impostor.fingerprint != server.fingerprint)
        try await laptop.must("customer", "add", "Κρυφός")
        let refused = try await laptop.keep("sync")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("certificate changed"))
        #expect(refused.stderr.contains(impostor.fingerprint))
        let tokenFile = laptop.store + ".token"
        let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}
