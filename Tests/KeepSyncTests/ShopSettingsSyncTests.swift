import Foundation
import KeepCore
import KeepTestSupport
import Testing

/// The shop's settings and merged customers travel through a real server over TLS (issue "a shop owner's
/// morning", items 9 and 19): what one laptop sets or merges, the other follows.
@Suite("Shop settings and merges between laptops", .serialized)
struct ShopSettingsSyncTests {
    @Test func whatAnnaSetsForTheShopBobsLaptopFollows() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        defer { server.stop() }
        #expect(try await bob.must("config").stdout.contains("follow-up-purchases  off"))
        let set = try await anna.must("config", "set", "follow-up-purchases", "100 after 14d")
        #expect(set.stdout.contains("for the whole shop"), "\(set.stdout)")
        try await anna.must("config", "set", "reply-window", "12h")
        try await anna.must("config", "set", "agent", "Άννα")
        try await anna.must("sync")
        try await bob.must("sync")
        let bobs = try await bob.must("config", "--json").json()
        #expect(bobs["follow-up-purchases"] as? String == "100.00 after 14d")
        #expect(bobs["reply-window"] as? String == "12h")
        // What belongs to one laptop stays there.
        #expect(bobs["agent"] as? String != "Άννα")
    }

    @Test func aSettingChangedOnTwoLaptopsOfflineIsOneConflictToSettle() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        defer { server.stop() }
        try await anna.must("config", "set", "reply-window", "12h")
        try await bob.must("config", "set", "reply-window", "2d")
        try await anna.must("sync")
        try await bob.must("sync")
        try await anna.must("sync")
        let conflicts = try await anna.must("conflicts", "--json").stdout
        #expect(conflicts.contains("replyWindowHours") && conflicts.contains("shop"), "\(conflicts)")
        #expect(try conflictKeys(in: bob.store) == ["\(ShopSettings.recordID)/replyWindowHours"])
        // Settled as `keep config set` reads a value: "1d" is 24 hours; a bad one is refused and changes nothing.
        let refused = try await bob.keep("resolve", "73686f70/replyWindowHours", "--value", "soon")
        #expect(refused.status == 64, "\(refused.stderr)")
        try await bob.must("resolve", "73686f70/replyWindowHours", "--value", "1d")
        try await bob.must("sync")
        try await anna.must("sync")
        #expect(try conflictKeys(in: anna.store).isEmpty)
        #expect(try await anna.must("config", "--json").json()["reply-window"] as? String == "24h")
    }

    @Test func aMergeOnOneLaptopCarriesWhatTheOtherWroteOfflineToTheKeptCustomer() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        defer { server.stop() }
        let maria = try await anna.must("customer", "add", "Μαρία Παπαδοπούλου", "--json").json()["id"] as? String ?? ""
        let twice = try await anna.must("customer", "add", "Μαρία Π.", "--phone", "690 000 0000", "--json").json()["id"] as? String ?? ""
        try await anna.must("sync")
        try await bob.must("sync")
        // Bob, offline, writes to the second record; Anna merges it away.
        try await bob.must("note", "add", String(twice.prefix(8)), "Ρώτησε για την εγγύηση")
        let merged = try await anna.must("customer", "merge", String(maria.prefix(8)), String(twice.prefix(8)), "--yes")
        #expect(merged.stdout.contains("Merged Μαρία Π."), "\(merged.stdout)")
        try await anna.must("sync")
        try await bob.must("sync")
        try await anna.must("sync")
        for laptop in [anna, bob] {
            let list = try await laptop.must("customer", "list").stdout
            #expect(!list.contains("Μαρία Π."), "\(list)")
            let shown = try await laptop.must("customer", "show", String(maria.prefix(8))).stdout
            #expect(shown.contains("Ρώτησε για την εγγύηση") && shown.contains("690 000 0000"), "\(shown)")
            #expect(try conflictKeys(in: laptop.store).isEmpty)
        }
    }
}
