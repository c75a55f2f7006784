import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTestSupport
import Testing

/// `SyncEngine` against a real `SyncService` over real stores, with the network failing where it hurts most.
@Suite struct SyncEngineTests {
    let folder = TemporaryFolder()

    /// A shop: the server's store and its service.
    private func server(_ name: String = "server") throws -> SyncService {
        SyncService(store: try folder.store(name, agent: "server"), tenant: "corner-shop")
    }

    @Test func twoLaptopsConvergeThroughTheServer() async throws {
        let service = try server()
        let ana = try folder.store("ana", agent: "ana")
        let bea = try folder.store("bea", agent: "bea")
        let anaSync = SyncEngine(store: ana, transport: DirectTransport(service, device: "ana"))
        let beaSync = SyncEngine(store: bea, transport: DirectTransport(service, device: "bea"))
        let ids = try ana.addCustomers(["Mrs Okafor", "Mr Adeyemi", "Ms Brennan"])
        #expect(try await anaSync.run().sent == 3)
        #expect(try await beaSync.run().received == 3)

        // Offline: both change the phone of the first; Bea deletes the second; Ana adds an email to the third.
        let now = Date()
        try ana.update(ids[0], [Customer.Field.phone: .text("0202")], now: now)
        try bea.update(ids[0], [Customer.Field.phone: .text("0303")], now: now + 5)
        try bea.delete(ids[1], now: now + 6)
        try ana.update(ids[2], [Customer.Field.email: .text("brennan@example.com")], now: now + 7)
        let beasNew = try bea.addCustomers(["Mx Castillo"], now: now + 8)

        let first = try await anaSync.run()
        let second = try await beaSync.run()
        let third = try await anaSync.run()
        #expect(first.sent == 2 && second.sent == 3 && third.sent == 0)
        #expect(second.conflicts == 1 && third.conflicts == 1)

        let everything = try service.store.allStates()
        #expect(try ana.allStates() == everything)
        #expect(try bea.allStates() == everything)
        #expect(everything.count == 4 && everything[beasNew[0]] != nil)
        #expect(try ana.conflicts().map(\.key) == ["\(ids[0])/phone"])
        #expect(try bea.conflicts() == ana.conflicts())
        #expect(everything[ids[0]]?.value(Customer.Field.phone) == .text("0303"), "the later write is shown")
        #expect(everything[ids[1]]?.isDeleted == true)
        #expect(try ana.outboxCount() == 0 && bea.outboxCount() == 0)
    }

    /// With and without asking for the next page while merging the last (as `keep sync` does).
    @Test(arguments: [false, true])
    func anInterruptedPullResumesFromItsLastCommittedPage(prefetching: Bool) async throws {
        let service = try server()
        let ana = try folder.store("ana", agent: "ana")
        try ana.addCustomers((1...25).map { "Customer \($0)" })
        _ = try await SyncEngine(store: ana, transport: DirectTransport(service, device: "ana")).run()

        let bea = try folder.store("bea", agent: "bea")
        let broken = UnreliableTransport(DirectTransport(service, device: "bea"), fault: .dropPulls(after: 3))
        var interrupted = SyncEngine(store: bea, transport: broken)
        interrupted.pullPageSize = 4
        interrupted.prefetchesPullPages = prefetching
        await #expect(throws: UnreliableTransport.ConnectionLost.self) { try await interrupted.run() }
        #expect(try bea.allStates().count == 12, "three pages of four were committed")
        let committed = try bea.setting(.syncCursor)
        #expect(committed.hasPrefix("\(service.store.replicaID)."))

        let healthy = UnreliableTransport(DirectTransport(service, device: "bea"))
        var resumed = SyncEngine(store: bea, transport: healthy)
        resumed.pullPageSize = 4
        resumed.prefetchesPullPages = prefetching
        let summary = try await resumed.run()
        #expect(summary.pulled == 13, "only what the interrupted sync had not committed is pulled again")
        #expect(summary.received == 13)
        #expect(healthy.log.pullPages == 4)

        let cy = try folder.store("cy", agent: "cy")
        var clean = SyncEngine(store: cy, transport: DirectTransport(service, device: "cy"))
        clean.pullPageSize = 4
        #expect(try await clean.run().pulled == 25)
        #expect(try bea.allStates() == cy.allStates())
        #expect(try bea.allStates() == service.store.allStates())
        #expect(try bea.setting(.syncCursor) == cy.setting(.syncCursor))
    }

    @Test func aPushWhoseAnswerWasLostIsResentAndChangesNothing() async throws {
        let service = try server()
        let ana = try folder.store("ana", agent: "ana")
        try ana.addCustomers(["Mrs Okafor", "Mr Adeyemi", "Ms Brennan"])
        let direct = DirectTransport(service, device: "ana")

        let lossy = SyncEngine(store: ana, transport: UnreliableTransport(direct, fault: .losePushAnswers))
        await #expect(throws: UnreliableTransport.ConnectionLost.self) { try await lossy.run() }
        #expect(try ana.outboxCount() == 3, "without an answer nothing leaves the outbox")
        let afterFirst = try service.store.lastChangeSeq()
        #expect(afterFirst == 3, "the server made the push durable before its answer was lost")

        let healthy = UnreliableTransport(direct)
        let summary = try await SyncEngine(store: ana, transport: healthy).run()
        #expect(summary.sent == 3)
        #expect(healthy.log.pushAnswers == [PushResponse(received: 3, changed: 0, conflicted: 0)])
        #expect(try service.store.lastChangeSeq() == afterFirst, "the resent push changed nothing on the server")
        #expect(try ana.outboxCount() == 0)
        #expect(try ana.allStates() == service.store.allStates())
    }

    @Test func aWriteMadeWhileAPushIsInFlightStaysQueued() async throws {
        let service = try server()
        let ana = try folder.store("ana", agent: "ana")
        let id = try ana.addCustomers(["Mrs Okafor"])[0]
        let page = try ana.outboxPage(limit: 10)
        try ana.update(id, [Customer.Field.phone: .text("0202")])
        _ = try service.push(PushRequest(replica: ana.replicaID, records: page.states))
        try ana.acknowledge(page)
        #expect(try ana.outboxCount() == 1, "the later write is still to be pushed")
        _ = try await SyncEngine(store: ana, transport: DirectTransport(service, device: "ana")).run()
        #expect(try service.store.recordState(id)?.value(Customer.Field.phone) == .text("0202"))
    }

    @Test func aNewServerStoreRestartsThePull() async throws {
        let old = try server("old-server")
        let new = try server("new-server")
        let ana = try folder.store("ana", agent: "ana")
        let bea = try folder.store("bea", agent: "bea")
        try ana.addCustomers(["Mrs Okafor", "Mr Adeyemi"])
        _ = try await SyncEngine(store: ana, transport: DirectTransport(new, device: "ana")).run()
        try bea.addCustomers(["Ms Brennan", "Mx Castillo", "Mr Dube"])
        _ = try await SyncEngine(store: bea, transport: DirectTransport(old, device: "bea")).run()
        #expect(try bea.setting(.syncCursor) == "\(old.store.replicaID).3")

        // The shop moved to a new server store: the old cursor means nothing there, so the pull starts over.
        let summary = try await SyncEngine(store: bea, transport: DirectTransport(new, device: "bea")).run()
        #expect(summary.received == 2)
        #expect(try bea.setting(.syncCursor).hasPrefix("\(new.store.replicaID)."))
    }

    @Test func aTokenBoundToAnotherReplicaIsRefusedBeforeAnythingIsSent() async throws {
        let service = try server()
        let ana = try folder.store("ana", agent: "ana")
        try ana.addCustomers(["Mrs Okafor"])
        let someoneElse = ReplicaID("0123456789abcdef")!
        let directory = InMemoryDeviceDirectory(devices: ["laptop"])
        try directory.bind("laptop", to: someoneElse, pushing: 1)
        let engine = SyncEngine(store: ana, transport: DirectTransport(service, directory: directory))
        await expectSyncError(.replicaMismatch) { _ = try await engine.run() }
        #expect(try service.store.lastChangeSeq() == 0)
        #expect(try ana.outboxCount() == 1)
    }

    @Test func theClientRefusesAServerOfAnotherProtocol() async throws {
        let ana = try folder.store("ana", agent: "ana")
        let schema = ProtocolVersion.schema
        let newer = try HelloOnly(protocolVersion: 3, oldestProtocol: 2, schema: schema)
        await expectSyncError(.upgradeClient) { _ = try await SyncEngine(store: ana, transport: newer).run() }
        let older = try HelloOnly(protocolVersion: 0, oldestProtocol: 0, schema: schema)
        await expectSyncError(.upgradeServer) { _ = try await SyncEngine(store: ana, transport: older).run() }
        let newerSchema = try HelloOnly(protocolVersion: 1, oldestProtocol: 1, schema: schema + 1)
        await expectSyncError(.upgradeClient) { _ = try await SyncEngine(store: ana, transport: newerSchema).run() }
        let olderSchema = try HelloOnly(protocolVersion: 1, oldestProtocol: 1, schema: ProtocolVersion.oldestSchema - 1)
        await expectSyncError(.upgradeServer) { _ = try await SyncEngine(store: ana, transport: olderSchema).run() }
        let newerOldestSchema = try HelloOnly(protocolVersion: 1, oldestProtocol: 1, schema: schema, oldestSchema: schema + 1)
        await expectSyncError(.upgradeClient) { _ = try await SyncEngine(store: ana, transport: newerOldestSchema).run() }
        let compatible = try HelloOnly(protocolVersion: 2, oldestProtocol: 1, schema: schema, oldestSchema: schema)
        let summary = try await SyncEngine(store: ana, transport: compatible).run()
        #expect(summary.sent == 0 && summary.pulled == 0)
    }
}

/// A server that only says hello, with the versions given, as its JSON would: then serves an empty shop.
private struct HelloOnly: SyncTransport {
    let answer: HelloResponse

    /// `oldestSchema` nil leaves the member out, as servers before it did.
    init(protocolVersion: Int, oldestProtocol: Int, schema: Int, oldestSchema: Int? = nil) throws {
        let oldest = oldestSchema.map { "\"oldestSchema\": \($0)," } ?? ""
        let json = """
            {"protocolVersion": \(protocolVersion), "oldestProtocol": \(oldestProtocol), "schema": \(schema), \(oldest)
             "tenant": "corner-shop", "device": "front-desk", "serverReplica": "5e5e5e5e5e5e5e5e",
             "limits": {"maxPushRecords": 1000, "maxPullRecords": 1000, "maxBodyBytes": 16777216}}
            """
        answer = try JSONDecoder().decode(HelloResponse.self, from: Data(json.utf8))
    }

    func hello() async throws -> HelloResponse { answer }

    func push(_ request: PushRequest) async throws -> PushResponse {
        PushResponse(received: request.records.count, changed: 0, conflicted: 0)
    }

    func pull(cursor: String?, limit: Int) async throws -> PullResponse {
        PullResponse(records: [], cursor: "5e5e5e5e5e5e5e5e.0", more: false)
    }
}
