import Foundation
import KeepCore
import KeepStore
import KeepTestSupport
import Testing

/// A laptop's book stays with its shop, and ordinary long notes never wedge a sync (Sync/PROTOCOL.md §5.1, §6).
@Suite("Shop boundaries and page sizes")
struct ShopBoundaryTests {
    @Test("a book that synced with one shop cannot be logged in to another: by token or by code, nothing is sent or changed")
    func aBookStaysWithItsShop() async throws {
        let (server, anna, _) = try await twoLaptopsOfOneShop()
        try await anna.must("customer", "add", "Μαρία Παπαδοπούλου")
        try await anna.must("sync")
        let settings = try storeSettings(anna.store)

        let byToken = try await anna.keep("login", server.url, "--token", server.enroll(tenant: "fournos", device: "anna-laptop"))
        #expect(byToken.status != 0, "\(byToken.stdout)")
        #expect(byToken.stderr.contains("belongs to another shop"), "\(byToken.stderr)")
        #expect(byToken.stderr.contains("keep init"), "the message says how to start a book for that shop: \(byToken.stderr)")

        _ = try await server.enroll(tenant: "fournos", device: "till")
        let made = try await server.admin("device", "enroll", "fournos", "anna's laptop", "--json")
        let code = try #require(try made.json()["code"] as? String)
        let byCode = try await anna.keep("login", server.url, "--enroll", code)
        #expect(byCode.status != 0, "\(byCode.stdout)")
        #expect(byCode.stderr.contains("belongs to another shop"), "\(byCode.stderr)")
        #expect(byCode.stderr.contains("--token kw1_"), "the used-up code's token is not lost: \(byCode.stderr)")
        #expect(try storeSettings(anna.store) == settings, "the refused logins changed nothing")

        // The book still syncs with its own shop, and the other shop never saw it.
        try await anna.must("customer", "add", "Ona Jonaitienė")
        try await anna.must("sync")
        #expect(try recordStates(in: server.storePath(of: "fournos")).isEmpty, "the other shop received this book")
        #expect(try recordStates(in: server.storePath(of: "kafeneio")).count == 2)
    }

    @Test("215 notes of 20,000 characters sync in pages sized by bytes, and a second laptop pulls them all")
    func longNotesSyncInPagesByBytes() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        // Four bytes a character: 80 KB a note, 17 MB in all, over one request body's 16 MiB.
        let text = String(repeating: "𝔸𝔹ℂ𝔻 ", count: 4_000)
        let store = try ReplicaStore.open(at: anna.store)
        try store.write(agent: "anna", now: Date()) { writer in
            let customer = try writer.create(.customer, Customer.creation(name: "Αικατερίνη", phone: nil, email: nil, at: Date(), by: "anna"))
            for _ in 0..<215 {
                _ = try writer.create(.note, Note.creation(customer: customer, kind: .note, channel: nil, text: text, author: "anna", at: Date()))
            }
        }
        try store.close()

        let sent = try await anna.must("sync")
        #expect(sent.stdout.contains("216"), "\(sent.stdout)")
        try await bob.must("sync")
        #expect(try recordStates(in: bob.store).count == 216)
        #expect(try recordStates(in: server.storePath(of: "kafeneio")) == recordStates(in: anna.store))
    }
}
