import Foundation
import KeepCore
import KeepStore
import KeepTestSupport
import Testing

/// A record whose `name` is not text, written by another client, travels through the server to a laptop that cannot
/// read it: `keep sync` says so and points to `keep check`, which names it; nothing is dropped (issue 12, item 4).
@Suite("Syncing a record the reader cannot read", .serialized)
struct UnreadableSyncTests {
    @Test func theReceivingLaptopSaysHowManyAndKeepCheckNamesThem() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        defer { server.stop() }
        try await anna.must("customer", "add", "Jonas Petraitis")

        // Another client's write on Anna's store: a customer whose name is a number.
        let store = try ReplicaStore.open(at: anna.store)
        let id = try store.write(agent: "other client") { writer in
            try writer.create(.customer, [Customer.Field.name: .integer(42), Customer.Field.createdAt: .time(Date())])
        }
        try store.close()
        #expect(try await anna.must("sync").stdout.contains("1 record could not be read"))

        let synced = try await bob.must("sync")
        #expect(synced.stdout.contains("received 2"), "\(synced.stdout)")
        #expect(synced.stdout.contains("1 record could not be read (kept and synced as it came): see keep check"), "\(synced.stdout)")
        let json = try await bob.must("sync", "--json").json()
        #expect(json["unreadable"] as? Int == 1)
        let check = try await bob.must("check")
        #expect(check.stdout.contains(id.short), "\(check.stdout)")
        #expect(check.stdout.contains("the integer 42 is not a text"), "\(check.stdout)")
        #expect(try await bob.must("customer", "list").stdout.contains("Jonas Petraitis"))

        // Kept as it came on Bob's laptop too: the state is the one Anna sent.
        let bobStore = try ReplicaStore.open(at: bob.store)
        let annaStore = try ReplicaStore.open(at: anna.store)
        #expect(try bobStore.recordState(id) == annaStore.recordState(id))
        try bobStore.close()
        try annaStore.close()
    }
}
