import Foundation
import KeepCore
import KeepProtocol
import KeepStore

/// Why a simulated run failed: what was wrong, at which step.
struct SimulationFailure: Error, CustomStringConvertible {
    let description: String
}

/// A message lost, cut off or held back by the simulated network; the sync that meets it stops, as a real one would.
struct NetworkFault: Error {}

/// One run of a plan: laptops with real SQLite stores, the server's store, and a network between them that
/// loses, duplicates, delays and reorders messages. Everything runs on one task, one step at a time, so a
/// plan always runs the same way.
///
/// It records every local write (its dot, the fields it wrote and the context it had seen), which is what the
/// final state must be explained by: each field holds exactly the writes no later write had seen.
final class Simulation {
    let plan: SimulationPlan
    private let folder: String
    private var stores: [ReplicaStore] = []
    private var server: ReplicaStore
    private let serverPath: String
    /// Records by the key of the step that created them.
    private var records: [Int: (id: RecordID, kind: RecordKind)] = [:]
    private var history: [RecordID: [Write]] = [:]
    private var delayed: [(replica: ReplicaID, request: PushRequest)] = []
    private var contexts: [String: [RecordID: VersionVector]] = [:]
    private var backups: [String] = []
    private var restores = 0
    private var clock = 1_800_000_000.0
    /// The server's directory of the laptops, "r0" to "rN": what each is bound to and has pushed.
    private let directory: InMemoryDeviceDirectory
    /// A planted bug, to show the checks catch one: the server acknowledges the pushes of the laptop that
    /// wrote first without storing them.
    private let dropsAcknowledgedPushes: Bool
    /// Another planted bug: the server merges a push that leaves values out without the protocol's checks.
    private let acceptsErasures: Bool
    private var firstWriter: Int?

    /// One local write, as the oracle needs it.
    struct Write {
        let dot: Dot
        let seen: VersionVector
        let fields: [String: FieldValue]
        let isDelete: Bool
    }

    init(plan: SimulationPlan, in parent: String, dropsAcknowledgedPushes: Bool = false, acceptsErasures: Bool = false) throws {
        self.plan = plan
        self.dropsAcknowledgedPushes = dropsAcknowledgedPushes
        self.acceptsErasures = acceptsErasures
        directory = InMemoryDeviceDirectory(devices: (0..<plan.replicas).map { "r\($0)" })
        folder = parent + "/seed-\(plan.seed)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        serverPath = folder + "/server.sqlite"
        server = try ReplicaStore.create(at: serverPath, agent: "server")
        for index in 0..<plan.replicas {
            stores.append(try ReplicaStore.create(at: folder + "/r\(index).sqlite", agent: "r\(index)"))
        }
    }

    deinit {
        for store in stores { try? store.close() }
        try? server.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs every step, lets the network heal and every laptop sync until quiet, then checks the outcome.
    func run() async throws {
        for (index, step) in plan.steps.enumerated() {
            do {
                try await perform(step)
                try checkNothingWentBackwards(after: step)
            } catch let failure as SimulationFailure {
                throw SimulationFailure(description: "step \(index) (\(step)): \(failure)")
            }
        }
        do {
            for (replica, request) in delayed { _ = try serverPush(request, from: replica) }
        } catch {
            throw SimulationFailure(description: "the server refused a delayed push at the end: \(error)")
        }
        delayed = []
        try await syncUntilQuiet()
        try checkConvergence()
        try checkEveryWriteIsAccountedFor()
    }

    // MARK: Steps

    private func perform(_ step: SimulationStep) async throws {
        clock += 1
        switch step {
        case .createCustomer(let replica, let key, let value):
            let values = Customer.creation(name: Self.text(value), phone: nil, email: nil, at: now, by: "r\(replica)")
            try write(replica, key: key, kind: .customer) { writer in try writer.create(.customer, values) }
        case .createPromise(let replica, let key, let value):
            let values = Promise.creation(customer: RecordID.random(), text: Self.text(value), dueAt: now + 86_400, at: now, by: "r\(replica)")
            try write(replica, key: key, kind: .promise) { writer in try writer.create(.promise, values) }
        case .edit(let replica, let key, let fields, let value):
            try edit(replica, key: key) { kind in Self.editableFields(kind, mask: fields, value: value) }
        case .delete(let replica, let key):
            guard let record = records[key] else { return }
            try write(replica, key: key, kind: record.kind) { writer in
                try writer.delete(record.id, kind: record.kind)
                return record.id
            }
        case .keepPromise(let replica, let key):
            try edit(replica, key: key) { kind in kind == .promise ? Promise.keeping(at: self.now, by: "r\(replica)") : [:] }
        case .cancelPromise(let replica, let key, let value):
            try edit(replica, key: key) { kind in kind == .promise ? Promise.cancelling(reason: Self.text(value), at: self.now) : [:] }
        case .resolve(let replica, let key, let value, let deleteAgain):
            try resolve(replica, key: key, value: value, deleteAgain: deleteAgain)
        case .sync(let replica, let faults, let rate):
            try await sync(replica, faults: faults, faultRate: rate)
        case .deliverDelayed(let index):
            guard !delayed.isEmpty else { return }
            let (replica, request) = delayed.remove(at: index % delayed.count)
            do {
                _ = try serverPush(request, from: replica)
            } catch let error as SyncError {
                throw SimulationFailure(description: "the server refused a delayed push: \(error)")
            }
        case .restartServer:
            try server.close()
            server = try ReplicaStore.open(at: serverPath, migrating: false)
        case .pushOmitting(let replica, let key, let pick):
            try pushOmitting(replica, key: key, pick: pick)
        case .setShopSettings(let replica, let value):
            let values = Self.editableFields(.shop, mask: 1 + value % 3, value: value)
            try write(replica, key: Self.shopKey, kind: .shop) { writer in
                try writer.writeShopSettings(values)
                return ShopSettings.recordID
            }
        case .backupServer:
            let path = folder + "/backup-\(backups.count).sqlite"
            try server.backup(to: path)
            backups.append(path)
        case .restoreServer(let index):
            guard !backups.isEmpty else { return }
            restores += 1
            try server.restore(from: backups[index % backups.count], epoch: "restore-\(restores)", auditedAs: "operator", now: now)
            // The restored store has rightly gone back: what it forgot, the laptops send again.
            contexts["server"] = nil
        }
    }

    /// The hostile push: the server's own state (so no context claim is forged), less one value or delete.
    private func pushOmitting(_ replica: Int, key: Int, pick: Int) throws {
        guard let record = records[key], let state = try state(record.id, in: server) else { return }
        let values = state.fields.keys.sorted().flatMap { field in state.fields[field]!.entries.map { (field, $0.dot) } }
        let count = values.count + state.tombstones.count
        guard count > 0 else { return }
        let index = pick % count
        var fields = state.fields
        var tombstones = state.tombstones
        if index < values.count {
            let (field, dot) = values[index]
            fields[field] = FieldRegister(fields[field]!.entries.filter { $0.dot != dot })
        } else {
            tombstones.remove(at: index - values.count)
        }
        let omitting = RecordState(id: state.id, kind: state.kind, context: state.context, fields: fields, tombstones: tombstones)
        if acceptsErasures {
            _ = try server.merge([omitting])
            return
        }
        do {
            _ = try SyncService(store: server, tenant: "sim").push(
                PushRequest(replica: stores[replica].replicaID, records: [omitting]),
                by: "r\(replica)",
                in: directory
            )
            throw SimulationFailure(description: "the server accepted a push that leaves out a value of \(state.id) without writing over it")
        } catch let error as SyncError where error.code == .rejectedRecord {
            // Refused, and nothing changed.
        }
    }

    private var now: Date { Date(timeIntervalSince1970: clock) }

    /// Text in the shop's languages, different for every value.
    static func text(_ value: Int) -> String {
        let words = ["Μαρία Παπαδοπούλου", "Žydrūnė Šimkutė", "مریم احمدی", "Jonas Petraitis", "Νίκος Γεωργίου", "علی رضایی"]
        return "\(words[value % words.count]) \(value)"
    }

    /// The key the shop's settings record is known by: steps' keys are their indexes, so never negative.
    static let shopKey = -1

    /// The fields the mask picks among a kind's editable ones, with values made from `value`.
    static func editableFields(_ kind: RecordKind, mask: Int, value: Int) -> [String: FieldValue] {
        let choices: [(String, FieldValue)] =
            switch kind {
            case .customer:
                [
                    (Customer.Field.name, .text(text(value))), (Customer.Field.phone, .text("+30 210 \(value)")),
                    (Customer.Field.email, .text("c\(value)@example.gr")),
                ]
            case .shop:
                [
                    (ShopSettings.Field.replyWindowHours, .integer(Int64(value % 720 + 1))),
                    (ShopSettings.Field.workdayEnd, .text("1\(value % 10):\(value % 6)0")),
                ]
            default:
                [
                    (Promise.Field.text, .text(text(value))),
                    (Promise.Field.dueAt, .time(Date(timeIntervalSince1970: 1_800_000_000 + Double(value)))),
                    (Promise.Field.promisedBy, .text("r\(value % 7)")),
                ]
            }
        return Dictionary(uniqueKeysWithValues: choices.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
    }

    private func edit(_ replica: Int, key: Int, values: (RecordKind) -> [String: FieldValue]) throws {
        guard let record = records[key] else { return }
        let written = values(record.kind)
        guard !written.isEmpty else { return }
        try write(replica, key: key, kind: record.kind) { writer in
            try writer.update(record.id, kind: record.kind, written)
            return record.id
        }
    }

    private func resolve(_ replica: Int, key: Int, value: Int, deleteAgain: Bool) throws {
        guard let record = records[key], let state = try state(record.id, in: stores[replica]) else { return }
        if state.hasDeleteConflict && deleteAgain {
            try write(replica, key: key, kind: record.kind) { writer in
                try writer.delete(record.id, kind: record.kind)
                return record.id
            }
            return
        }
        var values: [String: FieldValue] = [:]
        for conflict in state.conflicts {
            if case .field(let field) = conflict.subject, let winner = conflict.winner { values[field] = winner.value }
        }
        if state.hasDeleteConflict, values.isEmpty, let field = state.fields.keys.sorted().first, let kept = state.value(field) {
            values[field] = kept
        }
        guard !values.isEmpty else { return }
        _ = value  // a person settles on what they see; the value keeps plans stable when steps are removed
        try write(replica, key: key, kind: record.kind) { writer in
            try writer.update(record.id, kind: record.kind, values)
            return record.id
        }
    }

    private func state(_ id: RecordID, in store: ReplicaStore) throws -> RecordState? {
        try store.write(agent: "check") { writer in try writer.record(id) }
    }

    /// One local write on a laptop, recorded for the oracle. A write on a record the laptop has not received, or
    /// has deleted, is refused by the store and is a no-op here too.
    private func write(_ replica: Int, key: Int, kind: RecordKind, _ body: (inout LocalWriter) throws -> RecordID) throws {
        let store = stores[replica]
        let outcome: (id: RecordID, before: RecordState?, after: RecordState)?
        do {
            outcome = try store.write(agent: "r\(replica)", now: now) { writer -> (RecordID, RecordState?, RecordState)? in
                // The shop's record has one id everywhere: a laptop that has not received it creates it.
                let known = records[key].map(\.id) ?? (kind == .shop ? ShopSettings.recordID : nil)
                let before = try known.flatMap { try writer.record($0) }
                if known != nil, before == nil, kind != .shop { return nil }
                let id = try body(&writer)
                guard let after = try writer.record(id) else { return nil }
                return (id, before, after)
            }
        } catch let error as StoreError where error.category == .notFound {
            return
        }
        guard let (id, before, after) = outcome else { return }
        if records[key] == nil { records[key] = (id, kind) }
        if firstWriter == nil { firstWriter = replica }
        try note(before: before, after: after, of: store.replicaID)
    }

    private func note(before: RecordState?, after: RecordState, of replica: ReplicaID) throws {
        let seen = before?.context ?? VersionVector()
        // The replica's counter is its newest write's: the dot this write minted.
        let dot = Dot(replica: replica, counter: after.context[replica])
        guard !seen.contains(dot) else { throw SimulationFailure(description: "a local write of \(after.id) reused dot \(dot)") }
        var fields: [String: FieldValue] = [:]
        for (field, register) in after.fields where register.entries.count == 1 && register.entries[0].dot == dot {
            fields[field] = register.entries[0].value
        }
        let isDelete = after.tombstones.contains { $0.dot == dot }
        history[after.id, default: []].append(Write(dot: dot, seen: seen, fields: fields, isDelete: isDelete))
    }

    // MARK: Network

    private func sync(_ replica: Int, faults: UInt64, faultRate: Int) async throws {
        let store = stores[replica]
        let network = FaultyNetwork(simulation: self, replica: replica, random: SplitMix64(seed: faults), faultRate: faultRate)
        var engine = SyncEngine(store: store, transport: network)
        var random = SplitMix64(seed: faults ^ 0x5EED)
        engine.pushPageSize = Int.random(in: 1...4, using: &random)
        engine.pullPageSize = Int.random(in: 1...4, using: &random)
        do {
            _ = try await engine.run()
        } catch is NetworkFault {
            // The sync stopped where the network failed; the next one resumes.
        } catch {
            throw SimulationFailure(description: "r\(replica)'s sync failed: \(error)")
        }
    }

    fileprivate func serverHello(for replica: Int) throws -> HelloResponse {
        try SyncService(store: server, tenant: "sim").hello(device: "r\(replica)", deviceReplica: directory.replica(of: "r\(replica)"))
    }

    fileprivate func serverPush(_ request: PushRequest, from replica: ReplicaID) throws -> PushResponse {
        guard request.replica == replica, let index = stores.firstIndex(where: { $0.replicaID == replica }) else {
            throw SimulationFailure(description: "a push came with another laptop's replica id")
        }
        if dropsAcknowledgedPushes, firstWriter == index {
            return PushResponse(received: request.records.count, changed: request.records.count, conflicted: 0)
        }
        return try SyncService(store: server, tenant: "sim").push(request, by: "r\(index)", in: directory)
    }

    fileprivate func serverPull(cursor: String?, limit: Int) throws -> PullResponse {
        try SyncService(store: server, tenant: "sim").pull(cursor: cursor, limit: limit)
    }

    fileprivate func holdBack(_ request: PushRequest) {
        delayed.append((request.replica, request))
    }

    /// A person edits a record on the laptop while its push is on the wire.
    fileprivate func editInFlight(_ replica: Int, pick: Int) throws {
        let keys = records.keys.sorted()
        guard !keys.isEmpty else { return }
        try edit(replica, key: keys[pick % keys.count]) { kind in Self.editableFields(kind, mask: 1 << (pick % 3), value: pick) }
    }

    private func syncUntilQuiet() async throws {
        for _ in 0..<12 {
            var quiet = true
            for (index, store) in stores.enumerated() {
                let network = FaultyNetwork(simulation: self, replica: index, random: SplitMix64(seed: 0), faultRate: 0)
                let summary = try await SyncEngine(store: store, transport: network).run()
                if summary.sent > 0 || summary.received > 0 { quiet = false }
            }
            if quiet { return }
        }
        throw SimulationFailure(description: "the laptops did not stop exchanging changes after 12 rounds of syncs without faults")
    }

    // MARK: Checks

    private func allStates(_ store: ReplicaStore) throws -> [RecordID: RecordState] {
        let states = try store.changes(after: 0, limit: 1_000_000).states
        return Dictionary(uniqueKeysWithValues: states.map { ($0.id, $0) })
    }

    /// No replica's context of any record ever shrinks: what a replica has seen stays seen. Checked on what the
    /// step could change: the server, and the laptop that synced.
    private func checkNothingWentBackwards(after step: SimulationStep) throws {
        var changed: [(String, ReplicaStore)] = []
        switch step {
        case .sync(let replica, _, _): changed = [("server", server), ("r\(replica)", stores[replica])]
        case .deliverDelayed, .restartServer, .pushOmitting: changed = [("server", server)]
        default: return
        }
        for (name, store) in changed {
            let now = try allStates(store).mapValues(\.context)
            for (id, before) in contexts[name] ?? [:] {
                guard let after = now[id] else { throw SimulationFailure(description: "\(name) lost record \(id)") }
                guard before.isDominated(by: after) else {
                    throw SimulationFailure(description: "\(name)'s context of \(id) went backwards: \(before) then \(after)")
                }
            }
            contexts[name] = now
        }
    }

    private func checkConvergence() throws {
        let serverStates = try allStates(server)
        for (index, store) in stores.enumerated() {
            let states = try allStates(store)
            guard states == serverStates else {
                let differing = Set(states.keys).union(serverStates.keys).filter { states[$0] != serverStates[$0] }
                throw SimulationFailure(
                    description:
                        "r\(index) and the server differ after syncing until quiet, in \(differing.count) records, e.g. \(differing.first.map { "\($0): r\(index) \(states[$0].map(String.init(describing:)) ?? "none") vs server \(serverStates[$0].map(String.init(describing:)) ?? "none")" } ?? "")"
                )
            }
        }
    }

    /// Each field holds exactly the writes that no later write to that field had seen (a lost write or a false
    /// conflict breaks this), each delete stands until a later write had seen it, and the context is every write.
    private func checkEveryWriteIsAccountedFor() throws {
        let states = try allStates(server)
        for (id, writes) in history {
            guard let state = states[id] else { throw SimulationFailure(description: "record \(id) was written but is missing everywhere") }
            let context = writes.reduce(VersionVector()) { vector, write in
                var vector = vector
                vector.insert(write.dot)
                return vector
            }
            guard state.context == context else {
                throw SimulationFailure(description: "\(id): context \(state.context), but the writes made \(context)")
            }
            let fieldNames = Set(writes.flatMap(\.fields.keys))
            guard Set(state.fields.keys) == fieldNames else {
                throw SimulationFailure(description: "\(id): fields \(state.fields.keys.sorted()), but writes wrote \(fieldNames.sorted())")
            }
            for field in fieldNames {
                let writers = writes.filter { $0.fields[field] != nil }
                let standing = writers.filter { write in !writers.contains { $0.seen.contains(write.dot) } }
                let expected = Set(standing.map { "\($0.dot)=\($0.fields[field]!)" })
                let held = Set((state.fields[field]?.entries ?? []).map { "\($0.dot)=\($0.value)" })
                guard held == expected else {
                    let kind = held.count > expected.count ? "a false conflict" : "a lost write"
                    throw SimulationFailure(description: "\(id).\(field) holds \(held.sorted()) but should hold \(expected.sorted()): \(kind)")
                }
            }
            let standingDeletes = Set(writes.filter { delete in delete.isDelete && !writes.contains { $0.seen.contains(delete.dot) } }.map(\.dot))
            guard Set(state.tombstones.map(\.dot)) == standingDeletes else {
                throw SimulationFailure(description: "\(id): deletes \(state.tombstones.map(\.dot)) but should be \(standingDeletes.sorted())")
            }
        }
        guard Set(states.keys) == Set(history.keys) else {
            throw SimulationFailure(description: "the server holds records nobody wrote")
        }
    }
}

/// The network between one laptop and the server for one sync: each call may be lost on the way, have its
/// answer lost after the server committed, arrive twice, be held back and arrive later (after other traffic),
/// or travel while the laptop's owner keeps typing.
///
/// `@unchecked Sendable`: a simulation runs on one task and calls one method at a time.
private final class FaultyNetwork: SyncTransport, @unchecked Sendable {
    private let simulation: Simulation
    private let replica: Int
    private var random: SplitMix64
    private let faultRate: Int

    enum Fault: CaseIterable {
        case lostRequest, lostAnswer, duplicated, delayedCopy, delayedOnly, editInFlight
    }

    init(simulation: Simulation, replica: Int, random: SplitMix64, faultRate: Int) {
        self.simulation = simulation
        self.replica = replica
        self.random = random
        self.faultRate = faultRate
    }

    private func nextFault() -> Fault? {
        guard Int.random(in: 0..<100, using: &random) < faultRate else { return nil }
        return Fault.allCases.randomElement(using: &random)
    }

    func hello() async throws -> HelloResponse {
        if case .lostRequest? = nextFault() { throw NetworkFault() }
        return try simulation.serverHello(for: replica)
    }

    func push(_ request: PushRequest) async throws -> PushResponse {
        let me = request.replica
        switch nextFault() {
        case nil: return try simulation.serverPush(request, from: me)
        case .lostRequest: throw NetworkFault()
        case .lostAnswer:
            _ = try simulation.serverPush(request, from: me)
            throw NetworkFault()
        case .duplicated:
            _ = try simulation.serverPush(request, from: me)
            return try simulation.serverPush(request, from: me)
        case .delayedCopy:
            simulation.holdBack(request)
            return try simulation.serverPush(request, from: me)
        case .delayedOnly:
            simulation.holdBack(request)
            throw NetworkFault()
        case .editInFlight:
            try simulation.editInFlight(replica, pick: Int.random(in: 0..<1_000, using: &random))
            return try simulation.serverPush(request, from: me)
        }
    }

    func pull(cursor: String?, limit: Int) async throws -> PullResponse {
        switch nextFault() {
        case .lostRequest?, .delayedOnly?: throw NetworkFault()
        case .lostAnswer?:
            _ = try simulation.serverPull(cursor: cursor, limit: limit)
            throw NetworkFault()
        case .editInFlight?:
            try simulation.editInFlight(replica, pick: Int.random(in: 0..<1_000, using: &random))
            return try simulation.serverPull(cursor: cursor, limit: limit)
        default: return try simulation.serverPull(cursor: cursor, limit: limit)
        }
    }
}
