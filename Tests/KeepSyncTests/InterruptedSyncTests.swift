import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepSyncClient
import KeepTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Syncs that are replayed or cut short end exactly where one clean sync would.
@Suite("Replayed and interrupted syncs", .serialized)
struct InterruptedSyncTests {
    /// Sends every request twice, as a flaky network that retries would.
    struct ReplayingTransport: SyncTransport {
        let inner: any SyncTransport

        func hello() async throws -> HelloResponse {
            _ = try await inner.hello()
            return try await inner.hello()
        }

        func push(_ request: PushRequest) async throws -> PushResponse {
            let first = try await inner.push(request)
            let second = try await inner.push(request)
            #expect(second.changed == 0, "a replayed push changed \(second.changed) records")
            return first
        }

        func pull(cursor: String?, limit: Int) async throws -> PullResponse {
            _ = try await inner.pull(cursor: cursor, limit: limit)
            return try await inner.pull(cursor: cursor, limit: limit)
        }
    }

    private func transport(for laptop: Laptop, server: ServerProcess, token: String) throws -> HTTPSTransport {
        let store = try ReplicaStore.open(at: laptop.store)
        let pem = try store.setting(.syncCertificate)
        try store.close()
        return try HTTPSTransport(server: URL(string: server.url)!, token: token, trust: .pinned(pem))
    }

    @Test func everyPushAndPullReplayedTwiceEndsLikeOneCleanSync() async throws {
        let server = try ServerProcess()
        let anna = try await Laptop(name: "anna", folder: server.laptops)
        let bob = try await Laptop(name: "bob", folder: server.laptops)
        let annaToken = try await server.enroll(tenant: "shop", device: "anna")
        let bobToken = try await server.enroll(tenant: "shop", device: "bob")
        try await anna.must("login", server.url, "--token", annaToken)
        try await bob.must("login", server.url, "--token", bobToken)
        for name in ["Ελένη", "Ona", "سارا"] { try await anna.must("customer", "add", name) }
        try await bob.must("customer", "add", "Petras")
        try await bob.must("promise", "add", "Petras", "Paskambinti", "--due", "tomorrow")

        for (laptop, token) in [(anna, annaToken), (bob, bobToken), (anna, annaToken)] {
            let http = try transport(for: laptop, server: server, token: token)
            let store = try ReplicaStore.open(at: laptop.store)
            var engine = SyncEngine(store: store, transport: ReplayingTransport(inner: http))
            engine.pushPageSize = 2
            engine.pullPageSize = 2
            _ = try await engine.run()
            try store.close()
            await http.shutdown()
        }
        let states = try recordStates(in: anna.store)
        #expect(states.count == 5)
        #expect(try recordStates(in: bob.store) == states)
        #expect(try recordStates(in: server.storePath(of: "shop")) == states)
        #expect(try await anna.must("sync", "--json").json()["received"] as? Int == 0)
    }

    @Test func aFirstSyncOf20000RecordsKilledMidwayResumesAndEndsIdentical() async throws {
        let server = try ServerProcess()
        let shop = try await server.laptop("shop", of: "big", device: "shop")
        // Seconds of SQLite writes, on a thread of their own rather than one of the pool's few.
        try await onOwnThread { [path = shop.store] in
            let store = try ReplicaStore.open(at: path)
            let now = Date()
            for batch in 0..<4 {
                try store.write(agent: "shop", now: now) { writer in
                    for index in 0..<5_000 {
                        let number = batch * 5_000 + index
                        try writer.create(.customer, Customer.creation(name: "Πελάτης \(number)", phone: nil, email: nil, at: now, by: "shop"))
                    }
                }
            }
            try store.close()
        }
        #expect(try await shop.must("sync", "--json").json()["sent"] as? Int == 20_000)

        let interrupted = try await server.laptop("new-laptop", of: "big", device: "new-laptop")
        let clean = try await server.laptop("clean-laptop", of: "big", device: "clean-laptop")

        // Start the first sync, and kill it as soon as it has committed its first page.
        let sync = try interrupted.start("sync")
        let committed = try await onOwnThread { [store = interrupted.store] in
            let deadline = Date().addingTimeInterval(60)
            var committed = 0
            while sync.process.isRunning, Date() < deadline {
                committed = (try? recordStates(in: store).count) ?? 0
                if committed > 0 { break }
                usleep(20_000)
            }
            sync.send(SIGKILL)
            return committed
        }
        await sync.exit()
        #expect(committed > 0 && committed < 20_000, "the sync was cut after \(committed) records")

        let resumed = try await interrupted.must("sync", "--json").json()
        let pulled = resumed["pulled"] as? Int ?? 0
        #expect(
            pulled > 0 && pulled <= 20_000 - committed,
            "the resumed sync pulled \(pulled) records: it should start after the \(committed) committed"
        )
        try await clean.must("sync")
        let expected = try recordStates(in: shop.store)
        #expect(expected.count == 20_000)
        #expect(try recordStates(in: interrupted.store) == expected)
        #expect(try recordStates(in: clean.store) == expected)
    }
}
