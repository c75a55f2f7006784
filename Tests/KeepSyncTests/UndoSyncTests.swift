import Foundation
import KeepCore
import KeepTestSupport
import Testing

/// `keep undo` on one laptop, through a real server over TLS: the other laptop follows, and an edit that arrived
/// from it since is never silently written over.
@Suite("Taking back a change across laptops", .serialized)
struct UndoSyncTests {
    @Test func theOtherLaptopFollowsWhatOneTookBack() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        let maria = try await anna.must("customer", "add", "Μαρία Παπαδοπούλου", "--phone", "210 000 0000", "--json").json()["id"] as? String ?? ""
        try await anna.must("note", "add", "Μαρία", "Ρώτησε για την εγγύηση")
        try await anna.must("sync")
        try await bob.must("sync")
        #expect(try await bob.must("note", "list", "Μαρία").stdout.contains("εγγύηση"))

        try await anna.must("customer", "edit", maria, "--phone", "210 111 1111")
        try await anna.must("sync")
        try await anna.must("undo")
        let undone = try await anna.must("undo")
        #expect(undone.stdout.hasPrefix("Took back: added a note about Μαρία Παπαδοπούλου"), "\(undone.stdout)")
        try await anna.must("sync")
        try await bob.must("sync")

        #expect(try recordStates(in: bob.store) == recordStates(in: anna.store))
        #expect(try recordStates(in: server.storePath(of: "kafeneio")) == recordStates(in: anna.store))
        let customer = try #require(try recordStates(in: bob.store)[RecordID(maria)!])
        #expect(customer.value(Customer.Field.phone) == .text("210 000 0000"), "bob sees the earlier phone")
        #expect(customer.conflicts.isEmpty, "a write that has seen the edit: no conflict")
        #expect(!(try await bob.must("note", "list", "Μαρία").stdout.contains("εγγύηση")), "bob's list lost the note too")
        #expect(try await bob.must("undo", "--list").stderr.contains("Nothing to undo"), "anna's changes are not bob's to take back")
    }

    @Test func anEditFromTheOtherLaptopSinceIsNamedAndKept() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        defer { withExtendedLifetime(server) {} }
        let ona = try await anna.must("customer", "add", "Ona Jonaitienė", "--json").json()["id"] as? String ?? ""
        try await anna.must("customer", "edit", ona, "--phone", "+370 612 34567")
        try await anna.must("sync")
        try await bob.must("sync")
        try await bob.must("customer", "edit", ona, "--phone", "+370 699 99999")
        try await bob.must("sync")
        try await anna.must("sync")

        let refused = try await anna.keep("undo")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("the customer \(ona.prefix(8))'s phone was changed since"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try recordStates(in: anna.store)[RecordID(ona)!]?.value(Customer.Field.phone) == .text("+370 699 99999"))
    }
}
