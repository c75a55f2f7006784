import Foundation
import GRDB
import KeepCore
import KeepProtocol
import KeepStore
import KeepSyncClient
import KeepTestSupport
import Synchronization

// Helpers of CrashTests: a seeded random source, random shop work, a transport that notes what the server
// acknowledged, and the checks made after each crash.

/// What a crash run is told through the environment.
enum CrashSettings {
    /// `KEEP_CRASH_SEED` when set (decimal), a fresh seed otherwise.
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["KEEP_CRASH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
    }

    /// A positive count from the environment variable `name`, or `fallback`.
    static func count(_ name: String, default fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }.map { max(1, $0) } ?? fallback
    }

    /// A time limit for a test of `count(name, default:)` steps of at most `secondsEach`, never under 10 minutes: it
    /// guards against a hang, so `secondsEach` is about three times what a step takes on two busy cores.
    static func minutes(for name: String, default fallback: Int, secondsEach: Int) -> Int {
        max(10, 1 + count(name, default: fallback) * secondsEach / 60)
    }
}

/// Customers' names as shops in Athens, Vilnius and Tehran write them.
enum CrashNames {
    static let given = [
        "Ελένη", "Γιώργος", "Δήμητρα", "Νίκος", "Σοφία", "Αθηνά",
        "Žydrūnė", "Jonas", "Rūta", "Vytautas", "Eglė", "Šarūnas",
        "فاطمه", "علی", "زهرا", "مریم", "رضا", "سارا",
    ]
    static let family = [
        "Παπαδοπούλου", "Οικονόμου", "Κωνσταντίνου", "Αλεξίου", "Καραγιάννη",
        "Šimkutė", "Petrauskas", "Žukauskienė", "Kazlauskas", "Jankauskaitė",
        "رضایی", "محمدی", "حسینی", "احمدی", "کریمی",
    ]

    static func name(using rng: inout SplitMix64) -> String {
        "\(given.randomElement(using: &rng)!) \(family.randomElement(using: &rng)!)"
    }

    static func phone(using rng: inout SplitMix64) -> String {
        let prefix = ["+30 210", "+370 6", "+98 912"].randomElement(using: &rng)!
        return "\(prefix) \(Int.random(in: 100_000...999_999, using: &rng))"
    }
}

extension ReplicaStore {
    /// Makes `count` local writes in one transaction, as people at the till would: mostly new customers, some
    /// edits (of customers any laptop added) and some deletes. Returns the ids written.
    @discardableResult
    func writeRandomChanges(count: Int, agent: String, using rng: inout SplitMix64) throws -> Set<RecordID> {
        var live = try customers().map(\.id)
        var touched: Set<RecordID> = []
        try write(agent: agent) { writer in
            for _ in 0..<count {
                let roll = Int.random(in: 0..<10, using: &rng)
                if roll < 6 || live.isEmpty {
                    let id = try writer.create(
                        .customer,
                        Customer.creation(
                            name: CrashNames.name(using: &rng),
                            phone: Bool.random(using: &rng) ? CrashNames.phone(using: &rng) : nil,
                            email: nil,
                            at: writer.now,
                            by: agent
                        )
                    )
                    live.append(id)
                    touched.insert(id)
                    continue
                }
                let index = Int.random(in: 0..<live.count, using: &rng)
                let id = live[index]
                guard let state = try writer.record(id), !state.isDeleted else { continue }
                if roll < 9 {
                    let values: [String: FieldValue] =
                        Bool.random(using: &rng)
                        ? [Customer.Field.phone: .text(CrashNames.phone(using: &rng))]
                        : [Customer.Field.name: .text(CrashNames.name(using: &rng))]
                    try writer.update(id, kind: .customer, values)
                } else {
                    try writer.delete(id, kind: .customer)
                    live.remove(at: index)
                }
                touched.insert(id)
            }
        }
        return touched
    }
}

/// Every record state the server answered a push of with 200: what it promised to keep (PROTOCOL.md §5.2).
final class AcknowledgedPushes: Sendable {
    private let states = Mutex<[RecordState]>([])

    func note(_ records: [RecordState]) { states.withLock { $0.append(contentsOf: records) } }

    var all: [RecordState] { states.withLock { $0 } }
}

/// Passes every call through, noting the records of each push the server acknowledged.
struct AcknowledgingTransport: SyncTransport {
    let inner: any SyncTransport
    let acknowledged: AcknowledgedPushes

    func hello() async throws -> HelloResponse { try await inner.hello() }

    func push(_ request: PushRequest) async throws -> PushResponse {
        let response = try await inner.push(request)
        acknowledged.note(request.records)
        return response
    }

    func pull(cursor: String?, limit: Int) async throws -> PullResponse { try await inner.pull(cursor: cursor, limit: limit) }
}

/// Why `held` (nil: the record is missing) does not keep everything of `acknowledged`; nil when it does, that is
/// when merging the acknowledged state into it changes nothing.
func lostPart(of acknowledged: RecordState, in held: RecordState?) -> String? {
    guard let held else { return "record \(acknowledged.id) is missing; it was acknowledged with context \(acknowledged.context)" }
    let merged: RecordState
    do {
        merged = try Merge.records(held, acknowledged)
    } catch {
        return "record \(acknowledged.id) cannot be merged: \(error)"
    }
    guard merged != held else { return nil }
    return "record \(acknowledged.id) lost part of an acknowledged state: held context \(held.context), acknowledged \(acknowledged.context)"
}

/// Every record of the shop the transport's device belongs to, pulled from the start.
func pullEverything(_ transport: any SyncTransport) async throws -> [RecordID: RecordState] {
    var states: [RecordID: RecordState] = [:]
    var cursor: String?
    for _ in 0..<10_000 {
        let page = try await transport.pull(cursor: cursor, limit: SyncService.limits.maxPullRecords)
        for state in page.records { states[state.id] = state }
        cursor = page.cursor
        if !page.more { return states }
    }
    throw TestFailure("the pull never ended")
}

/// `PRAGMA integrity_check` of every database under a server's data root: the catalog and each shop's store.
/// Returns the files checked and the problems found, each prefixed with its file.
func integrityOfDataRoot(_ data: String) throws -> (files: [String], problems: [String]) {
    var files = [data + "/catalog.sqlite"]
    for entry in try FileManager.default.contentsOfDirectory(atPath: data + "/shops").sorted() {
        let store = data + "/shops/" + entry + "/store.sqlite"
        if FileManager.default.fileExists(atPath: store) { files.append(store) }
    }
    var problems: [String] = []
    for file in files {
        problems += try ReplicaStore.integrityProblems(at: file).map { "\(file): \($0)" }
    }
    return (files, problems)
}

/// A few numbers of a laptop's store, read without changing it: how far a sync got.
struct SyncPosition: Equatable, Sendable {
    /// Records still to push.
    let outbox: Int
    let cursor: String
    let records: Int

    init(of path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        (outbox, cursor, records) = try queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT recordID) FROM outbox") ?? 0,
                try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [StoreSetting.syncCursor.rawValue]) ?? "",
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record") ?? 0
            )
        }
    }
}

/// The ids of the records in a laptop's outbox.
func outboxRecords(in path: String) throws -> Set<RecordID> {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    defer { try? queue.close() }
    let ids = try queue.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT recordID FROM outbox") }
    return Set(ids.compactMap(RecordID.init))
}

/// One in-process laptop of the server crash test: a store made and logged in by the real `keep`, synced by
/// SyncEngine over the real HTTPS transport, with every acknowledged push noted.
struct CrashClient: Sendable {
    let name: String
    let shop: String
    let laptop: Laptop
    let store: ReplicaStore
    let token: String
    let certificate: String
    let acknowledged: AcknowledgedPushes

    init(name: String, shop: String, server: ServerProcess, acknowledged: AcknowledgedPushes) async throws {
        self.name = name
        self.shop = shop
        self.acknowledged = acknowledged
        laptop = try await Laptop(name: name, folder: server.laptops)
        token = try await server.enroll(tenant: shop, device: name)
        try await laptop.must("login", server.url, "--token", token)
        store = try ReplicaStore.open(at: laptop.store)
        certificate = try store.setting(.syncCertificate)
    }

    /// A fresh connection to the server at `url`, trusting only the certificate pinned at login.
    func transport(_ url: URL) throws -> HTTPSTransport {
        try HTTPSTransport(server: url, token: token, trust: .pinned(certificate))
    }

    /// One whole sync in small pages, so that a crash has many moments to fall in.
    func sync(_ url: URL) async -> Result<SyncSummary, any Error> {
        let http: HTTPSTransport
        do {
            http = try transport(url)
        } catch {
            return .failure(error)
        }
        var engine = SyncEngine(store: store, transport: AcknowledgingTransport(inner: http, acknowledged: acknowledged))
        engine.pushPageSize = 3
        engine.pullPageSize = 16
        let result: Result<SyncSummary, any Error>
        do {
            result = .success(try await engine.run())
        } catch {
            result = .failure(error)
        }
        await http.shutdown()
        return result
    }
}

/// How many syncs are under way: what a kill interrupts.
final class SyncsInFlight: Sendable {
    private let running = Mutex(0)

    func enter() { running.withLock { $0 += 1 } }
    func leave() { running.withLock { $0 -= 1 } }
    var count: Int { running.withLock { $0 } }
}

extension SyncPosition {
    /// The change sequence number the cursor points after on the server: 0 before the first pull.
    var cursorSeq: Int64 { cursor.split(separator: ".").last.flatMap { Int64($0) } ?? 0 }
}

/// The last change sequence number a store gave out: a laptop whose cursor is there has pulled everything.
func lastChangeSeq(of path: String) throws -> Int64 {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    defer { try? queue.close() }
    return try queue.read { db in try Int64.fetchOne(db, sql: "SELECT changeSeq FROM replica") ?? 0 }
}
