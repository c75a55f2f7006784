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
        let folder = server.data + "/laptops"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let anna = try Laptop(name: "anna", folder: folder)
        let bob = try Laptop(name: "bob", folder: folder)
        let annaToken = try server.enroll(tenant: "shop", device: "anna")
        let bobToken = try server.enroll(tenant: "shop", device: "bob")
        try anna.must("login", server.url, "--token", annaToken)
        try bob.must("login", server.url, "--token", bobToken)
        for name in ["Ελένη", "Ona", "سارا"] { try anna.must("customer", "add", name) }
        try bob.must("customer", "add", "Petras")
        try bob.must("promise", "add", "Petras", "Paskambinti", "--due", "tomorrow")

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
        #expect(try recordStates(in: server.data + "/shop/store.sqlite") == states)
        #expect(try anna.must("sync", "--json").json()["received"] as? Int == 0)
    }

    @Test func aFirstSyncOf20000RecordsKilledMidwayResumesAndEndsIdentical() async throws {
        let server = try ServerProcess()
        let folder = server.data + "/laptops"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let shop = try Laptop(name: "shop", folder: folder)
        try shop.must("login", server.url, "--token", server.enroll(tenant: "big", device: "shop"))
        let store = try ReplicaStore.open(at: shop.store)
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
        #expect(try shop.must("sync", "--json").json()["sent"] as? Int == 20_000)

        let interrupted = try Laptop(name: "new-laptop", folder: folder)
        let clean = try Laptop(name: "clean-laptop", folder: folder)
        try interrupted.must("login", server.url, "--token", server.enroll(tenant: "big", device: "new-laptop"))
        try clean.must("login", server.url, "--token", server.enroll(tenant: "big", device: "clean-laptop"))

        // Start the first sync, and kill it as soon as it has committed its first page.
        let process = Process()
        process.executableURL = Executables.url("keep")
        process.arguments = ["sync"]
        process.environment = interrupted.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var committed = 0
        while process.isRunning, Date() < deadline {
            committed = (try? recordStates(in: interrupted.store).count) ?? 0
            if committed > 0 { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(committed > 0 && committed < 20_000, "the sync was cut after \(committed) records")

        let resumed = try interrupted.must("sync", "--json").json()
        let pulled = resumed["pulled"] as? Int ?? 0
        #expect(
            pulled > 0 && pulled <= 20_000 - committed,
            "the resumed sync pulled \(pulled) records: it should start after the \(committed) committed"
        )
        try clean.must("sync")
        let expected = try recordStates(in: shop.store)
        #expect(expected.count == 20_000)
        #expect(try recordStates(in: interrupted.store) == expected)
        #expect(try recordStates(in: clean.store) == expected)
    }
}
