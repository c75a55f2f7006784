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

/// Crashes for real: the server process, or a laptop's `keep sync`, killed with SIGKILL at random moments.
///
/// Each test prints its seed; `KEEP_CRASH_SEED=N` replays a run's random choices (the moments themselves depend
/// on timing too). `KEEP_CRASH_ROUNDS` (server kills, 15 by default) and `KEEP_CRASH_CLIENT_KILLS` (laptop kills,
/// 6 by default) make a longer run, e.g. `KEEP_CRASH_ROUNDS=200 swift test --filter CrashTests`.
///
/// A SIGKILL loses what the process held, never what the kernel already had: these tests prove that nothing is
/// acknowledged before it is committed, and that a commit cut short leaves sound files; not what a power cut does
/// to an unsynced disk.
@Suite("Crashes: SIGKILL to the server and to a laptop mid-sync", .serialized)
struct CrashTests {
    /// What one laptop's sync in a crash round came to.
    private enum Attempt: Sendable {
        case completed
        /// Cut off by the crash: the connection went away.
        case interrupted
        /// The server answered with an error: never expected, the server either works or is gone.
        case refused(String)
    }

    /// What a task of a crash round reports.
    private enum RoundEvent: Sendable {
        case laptop([Attempt])
        case killed(syncsInFlight: Int)
    }

    /// Four in-process laptops of two shops write and sync over HTTPS to the real `keep-server`, which is killed 0–300 ms
    /// into every round and restarted on the same data root and port. After each kill: `PRAGMA integrity_check` of the
    /// catalog and each shop's store as the crash left them; after each restart: every record state the server
    /// answered a push of with 200 is served, whole (merging it into the served state changes nothing). At the end the
    /// laptops sync until nothing moves, and each shop's laptops and server store are identical.
    @Test(.timeLimit(.minutes(CrashSettings.minutes(for: "KEEP_CRASH_ROUNDS", default: 15, secondsEach: 20))))
    func theServerKilledAtRandomMomentsKeepsEverythingItAcknowledged() async throws {
        let seed = CrashSettings.seed
        let rounds = CrashSettings.count("KEEP_CRASH_ROUNDS", default: 15)
        var rng = SplitMix64(seed: seed)
        print("CrashTests server: KEEP_CRASH_SEED=\(seed) KEEP_CRASH_ROUNDS=\(rounds)")

        var server = try ServerProcess()
        let data = server.data
        let port = server.port
        let fingerprint = server.fingerprint
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: data)
        }
        // Two shops: three laptops in one, one in the other, so that a crash has more than one tenant file to harm.
        let shops = ["kafeneio": AcknowledgedPushes(), "fournos": AcknowledgedPushes()]
        var clients: [CrashClient] = []
        for (name, shop) in [("eleni", "kafeneio"), ("jonas", "kafeneio"), ("sara", "kafeneio"), ("ruta", "fournos")] {
            clients.append(try await CrashClient(name: name, shop: shop, server: server, acknowledged: shops[shop]!))
        }
        defer { for client in clients { try? client.store.close() } }

        var killsMidSync = 0
        var completedSyncs = 0
        var cutSyncs = 0
        for round in 1...rounds {
            let context = "seed \(seed), round \(round) of \(rounds)"
            for client in clients {
                try client.store.writeRandomChanges(count: Int.random(in: 2...12, using: &rng), agent: client.name, using: &rng)
            }
            // Every laptop writes and syncs over and over until the server is killed, 0–300 ms in.
            let delay = Int.random(in: 0...300, using: &rng)
            let plans = clients.map { client in (client, Int.random(in: 0...4, using: &rng), SplitMix64(seed: rng.next())) }
            let url = try #require(URL(string: server.url))
            let victim = server.process.processIdentifier
            let inFlight = SyncsInFlight()
            let (attempts, caught) = await withTaskGroup(of: RoundEvent.self) { group in
                for (client, writes, seeded) in plans {
                    group.addTask {
                        var rng = seeded
                        var attempts: [Attempt] = []
                        for index in 0..<50 where !Task.isCancelled {
                            if index > 0 {
                                _ = try? client.store.writeRandomChanges(count: writes, agent: client.name, using: &rng)
                            }
                            inFlight.enter()
                            let result = await client.sync(url)
                            inFlight.leave()
                            switch result {
                            case .success:
                                attempts.append(.completed)
                            case .failure(let error as SyncError):
                                attempts.append(.refused("\(client.name): \(error.code.rawValue): \(error.message)"))
                            case .failure:
                                attempts.append(.interrupted)
                                return .laptop(attempts)
                            }
                        }
                        return .laptop(attempts)
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(delay))
                    let caught = inFlight.count
                    kill(victim, SIGKILL)
                    // The syncs the crash cut fail at once; one that starts later would retry its connection until
                    // the client's connect timeout, so the rest are called off.
                    try? await Task.sleep(for: .milliseconds(150))
                    return .killed(syncsInFlight: caught)
                }
                var attempts: [Attempt] = []
                var caught = 0
                for await event in group {
                    switch event {
                    case .laptop(let more): attempts += more
                    case .killed(let syncsInFlight):
                        caught = syncsInFlight
                        group.cancelAll()
                    }
                }
                return (attempts, caught)
            }
            server.process.waitUntilExit()
            // Killed by this test's SIGKILL, not fallen over on its own (a trap would end it with SIGILL or SIGTRAP).
            #expect(
                server.process.terminationReason == .uncaughtSignal && server.process.terminationStatus == SIGKILL,
                "the server ended otherwise than by the kill: status \(server.process.terminationStatus) (\(context)); its log: \(data)/server.log"
            )
            let refusals = attempts.compactMap { if case .refused(let why) = $0 { why } else { nil } }
            #expect(refusals.isEmpty, "the server refused syncs (\(context)): \(refusals)")
            cutSyncs += attempts.filter { if case .interrupted = $0 { true } else { false } }.count
            completedSyncs += attempts.filter { if case .completed = $0 { true } else { false } }.count
            if caught > 0 { killsMidSync += 1 }

            // The files as the crash left them.
            let integrity = try integrityOfDataRoot(data)
            #expect(integrity.files.count == 1 + shops.count, "\(integrity.files)")
            #expect(integrity.problems.isEmpty, "integrity_check after the crash (\(context)): \(integrity.problems)")

            // The same data root and port, hence the same certificate the laptops pinned.
            server.keepsData = true
            server = try restart(data: data, port: port)
            #expect(server.url == url.absoluteString, "the server came back elsewhere (\(context))")
            #expect(server.fingerprint == fingerprint, "the server came back with another certificate (\(context))")

            // Everything acknowledged before the crash is served after it.
            for (shop, acknowledged) in shops {
                let reader = try #require(clients.first { $0.shop == shop })
                let http = try reader.transport(url)
                let served = try await pullEverything(http)
                await http.shutdown()
                let lost = acknowledged.all.compactMap { lostPart(of: $0, in: served[$0.id]) }
                #expect(lost.isEmpty, "\(shop) lost \(lost.count) acknowledged states in the crash (\(context)): \(lost.prefix(5))")
            }
        }
        print(
            "CrashTests server: \(rounds) kills, \(killsMidSync) of them mid-sync (\(cutSyncs) syncs cut short, \(completedSyncs) completed), "
                + "\(shops.values.map(\.all.count).reduce(0, +)) record states acknowledged"
        )
        #expect(killsMidSync * 2 >= rounds, "fewer than half the kills fell in the middle of a sync (seed \(seed)): the test proved little")

        // After the last restart: every laptop syncs until nothing moves, and each shop's replicas are identical.
        let url = try #require(URL(string: server.url))
        var quiet = false
        for _ in 0..<6 where !quiet {
            quiet = true
            for client in clients {
                switch await client.sync(url) {
                case .success(let summary):
                    if summary.sent > 0 || summary.received > 0 { quiet = false }
                case .failure(let error):
                    Issue.record("\(client.name) could not sync after the last restart (seed \(seed)): \(error)")
                    quiet = false
                }
            }
        }
        #expect(quiet, "the laptops never stopped exchanging changes (seed \(seed))")
        for (shop, acknowledged) in shops {
            let expected = try recordStates(in: "\(data)/shops/\(shop)/store.sqlite")
            #expect(!expected.isEmpty)
            for client in clients where client.shop == shop {
                #expect(try recordStates(in: client.laptop.store) == expected, "\(client.name) differs from \(shop)'s server store (seed \(seed))")
                #expect(try ReplicaStore.integrityProblems(at: client.laptop.store).isEmpty)
            }
            let lost = acknowledged.all.compactMap { lostPart(of: $0, in: expected[$0.id]) }
            #expect(lost.isEmpty, "\(shop) lost acknowledged states (seed \(seed)): \(lost.prefix(5))")
        }
        let kafeneio = try Set(recordStates(in: data + "/shops/kafeneio/store.sqlite").keys)
        let fournos = try Set(recordStates(in: data + "/shops/fournos/store.sqlite").keys)
        #expect(kafeneio.isDisjoint(with: fournos), "a shop's records reached the other shop (seed \(seed))")
        let integrity = try integrityOfDataRoot(data)
        #expect(integrity.problems.isEmpty, "\(integrity.problems)")
    }

    /// How a kill of `keep sync` is timed.
    private enum KillMoment: CaseIterable {
        /// A random time after the start, up to as long as a whole sync of the office's book took.
        case anyTime
        /// Just after the server acknowledged a push page, so most likely while the next page is in flight.
        case afterAPushPage
        /// Just after a pull page was merged, so most likely while the next page is in flight.
        case afterAPullPage
    }

    /// Where a killed `keep sync` stopped.
    private enum Cut: String {
        case midPush = "mid-push"
        case midPull = "mid-pull"
        case beforeAnyPage = "before any page"
        case betweenPushAndPull = "between push and pull"
        case atTheEnd = "at the end"
    }

    /// A real `keep sync` with hundreds to thousands of records to push and to pull, killed with SIGKILL over and over:
    /// at a random time, just after a push page, just after a pull page. After each kill the laptop's store passes
    /// `PRAGMA integrity_check`, holds everything it wrote, and every record that left its outbox is on the server; at
    /// the end a sync completes and the laptop, a second laptop and the server hold the same book.
    @Test(.timeLimit(.minutes(CrashSettings.minutes(for: "KEEP_CRASH_CLIENT_KILLS", default: 6, secondsEach: 60))))
    func aLaptopKilledAtRandomMomentsOfItsSyncLosesNothingAndConverges() async throws {
        let seed = CrashSettings.seed
        let kills = CrashSettings.count("KEEP_CRASH_CLIENT_KILLS", default: 6)
        var rng = SplitMix64(seed: seed)
        print("CrashTests laptop: KEEP_CRASH_SEED=\(seed) KEEP_CRASH_CLIENT_KILLS=\(kills)")

        let server = try ServerProcess()
        let serverStore = server.storePath(of: "kafeneio")
        let till = try await server.laptop("till", of: "kafeneio", device: "till")
        let office = try await server.laptop("office", of: "kafeneio", device: "office")

        // The office brings a book the till has never seen: the till's first sync has pages to pull.
        try write(1_200, to: office, agent: "office", using: &rng)
        let start = ContinuousClock.now
        try await office.must("sync")
        let wholeSync = ContinuousClock.now - start
        let longest = max(200, Int(wholeSync.components.seconds * 1_000 + wholeSync.components.attoseconds / 1_000_000_000_000_000))

        // The records the till wrote: none of them may ever be lost.
        var written: Set<RecordID> = []
        var cuts: [Cut] = []
        for attempt in 1...kills {
            let context = "seed \(seed), kill \(attempt) of \(kills)"
            let moment = KillMoment.allCases[(attempt - 1) % KillMoment.allCases.count]
            // New work at the till, some of it edits of the office's customers, and more from the office: at least
            // three push pages before a kill after the first, at least two pull pages before a kill after the first.
            written.formUnion(try write(Int.random(in: 400...700, using: &rng), to: till, agent: "till", using: &rng))
            var topUps = 0
            while moment == .afterAPushPage, topUps < 10, try SyncPosition(of: till.store).outbox <= 2 * 500 {
                written.formUnion(try write(400, to: till, agent: "till", using: &rng))
                topUps += 1
            }
            if moment != .afterAPushPage {
                let count = moment == .afterAPullPage ? Int.random(in: 1_000...1_200, using: &rng) : Int.random(in: 100...300, using: &rng)
                try write(count, to: office, agent: "office", using: &rng)
                try await office.must("sync")
            }
            let ownStates = try recordStates(in: till.store).filter { written.contains($0.key) }
            let before = try SyncPosition(of: till.store)

            let sync = try till.start("sync")
            let pause = UInt32(Int.random(in: 0...(moment == .anyTime ? longest : 25), using: &rng)) * 1_000
            // Blocking sleeps on a thread of their own: the moment must not wait for a free thread of the shared pool.
            try await onOwnThread { [store = till.store] in
                let deadline = Date().addingTimeInterval(60)
                switch moment {
                case .anyTime:
                    break
                case .afterAPushPage:
                    while sync.process.isRunning, Date() < deadline, (try? SyncPosition(of: store).outbox) ?? before.outbox >= before.outbox {
                        usleep(2_000)
                    }
                case .afterAPullPage:
                    while sync.process.isRunning, Date() < deadline, (try? SyncPosition(of: store).cursor) ?? before.cursor == before.cursor {
                        usleep(2_000)
                    }
                }
                usleep(pause)
                sync.send(SIGKILL)
            }
            await sync.exit()

            let after = try SyncPosition(of: till.store)
            let serverStates = try recordStates(in: serverStore)
            let serverSeq = try lastChangeSeq(of: serverStore)
            let cut: Cut =
                if after.outbox > 0 && after.outbox < before.outbox {
                    .midPush
                } else if after.outbox == before.outbox && after.cursor == before.cursor {
                    .beforeAnyPage
                } else if after.outbox == 0 && after.cursor == before.cursor {
                    .betweenPushAndPull
                } else if after.outbox == 0 && after.cursorSeq < serverSeq {
                    .midPull
                } else {
                    .atTheEnd
                }
            cuts.append(cut)

            #expect(try ReplicaStore.integrityProblems(at: till.store).isEmpty, "integrity_check of the killed laptop's store (\(context))")
            // Nothing the till wrote is lost, and whatever left its outbox is on the server.
            let states = try recordStates(in: till.store)
            let queued = try outboxRecords(in: till.store)
            var lost: [String] = []
            for (id, own) in ownStates {
                if let problem = lostPart(of: own, in: states[id]) { lost.append("on the till: \(problem)") }
                if !queued.contains(id), let problem = lostPart(of: own, in: serverStates[id]) {
                    lost.append("left the outbox but not on the server: \(problem)")
                }
            }
            #expect(lost.isEmpty, "\(lost.count) records lost by a kill \(cut.rawValue) (\(context)): \(lost.prefix(5))")
            // What the till pulled came from the server: it holds nothing of the office's that the server lacks.
            let strays = states.filter { !written.contains($0.key) && lostPart(of: $0.value, in: serverStates[$0.key]) != nil }
            #expect(strays.isEmpty, "the till holds \(strays.count) states the server never had (\(context))")
        }
        print("CrashTests laptop: \(kills) kills: \(cuts.map(\.rawValue))")
        if kills >= KillMoment.allCases.count {
            #expect(cuts.contains(.midPush), "no kill fell between two push pages (seed \(seed)): \(cuts.map(\.rawValue))")
            #expect(cuts.contains(.midPull), "no kill fell between two pull pages (seed \(seed)): \(cuts.map(\.rawValue))")
        }

        // A sync that is let finish, then the office's: the same book everywhere, and nothing more to exchange.
        try await till.must("sync")
        try await office.must("sync")
        let expected = try recordStates(in: serverStore)
        #expect(try recordStates(in: till.store) == expected, "the till differs from the server (seed \(seed))")
        #expect(try recordStates(in: office.store) == expected, "the office differs from the server (seed \(seed))")
        let missing = written.subtracting(expected.keys)
        #expect(missing.isEmpty, "\(missing.count) records the till wrote never reached the server (seed \(seed)): \(missing.prefix(5))")
        let last = try await till.must("sync", "--json").json()
        #expect(last["sent"] as? Int == 0 && last["received"] as? Int == 0, "\(last)")
        for path in [till.store, office.store, serverStore] {
            #expect(try ReplicaStore.integrityProblems(at: path).isEmpty, "integrity_check of \(path)")
        }
    }

    /// Makes `count` random writes into a laptop's store, as a quick way to a large outbox.
    @discardableResult
    private func write(_ count: Int, to laptop: Laptop, agent: String, using rng: inout SplitMix64) throws -> Set<RecordID> {
        let store = try ReplicaStore.open(at: laptop.store)
        defer { try? store.close() }
        return try store.writeRandomChanges(count: count, agent: agent, using: &rng)
    }

    /// Starts a server again on a data root and port a killed one left; the port may take a moment to be free.
    private func restart(data: String, port: Int) throws -> ServerProcess {
        var failure: (any Error)?
        for _ in 0..<5 {
            do {
                return try ServerProcess(data: data, port: port)
            } catch {
                failure = error
                usleep(200_000)
            }
        }
        throw failure ?? TestFailure("keep-server did not restart")
    }
}
