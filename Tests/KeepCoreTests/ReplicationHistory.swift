@testable import KeepCore

/// A random but valid replication history of one record: a few replicas write, delete and sync, and
/// every state any of them held is kept, so that laws can be checked on states that can really occur.
///
/// Arbitrary states would not do: the laws need well-formed states (a held dot is covered by the
/// context), and "overwritten" only means something for states that real writes produced; the
/// history's events also give an oracle, independent of the merge, for what each state must hold.
struct ReplicationHistory {
    /// A write or a delete, with what its replica had seen: the oracle the merged states are checked against.
    struct Event {
        let dot: Dot
        /// The entries written, by field; empty for a delete.
        let entries: [String: FieldEntry]
        let tombstone: Tombstone?
        /// The replica's causal context just before the event.
        let seen: VersionVector
    }

    struct Options {
        var replicaCount: ClosedRange<Int> = 2...5
        var steps: ClosedRange<Int> = 4...40
        /// Only these replicas write or delete (by index); the others only receive. Nil for all of them.
        var editors: Set<Int>? = nil
    }

    static let fieldNames = ["name", "phone", "email", "note"]
    static let values: [FieldValue] = [
        .null, .bool(false), .bool(true), .integer(0), .integer(1), .integer(-7), .text(""), .text("Ana"), .text("Bea"), .text("Zoë"),
    ]
    static let authors = ["ana", "bea", "cy"]
    static let names = ["ana", "bea", "cy", "dan", "eve"]

    let seed: UInt64
    let replicaIDs: [ReplicaID]
    /// Each replica's state now.
    private(set) var current: [RecordState]
    /// Each replica's states over time, oldest first, starting with the empty state.
    private(set) var versions: [[RecordState]]
    private(set) var events: [Event] = []
    /// What happened, one line per step, to print beside a failure.
    private(set) var log: [String] = []
    /// Each replica's last counter: a replica counts its writes to all records, so a record sees gaps.
    private var counters: [UInt64]

    init(seed: UInt64, options: Options = Options()) throws {
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        let count = Int.random(in: options.replicaCount, using: &rng)
        replicaIDs = Array(Fixture.replicas.prefix(count))
        let empty = RecordState(id: Fixture.record, kind: .customer)
        current = Array(repeating: empty, count: count)
        versions = Array(repeating: [empty], count: count)
        counters = Array(repeating: 0, count: count)
        for _ in 0..<Int.random(in: options.steps, using: &rng) {
            try step(options, using: &rng)
        }
    }

    /// Every state any replica held.
    var allVersions: [RecordState] { versions.flatMap { $0 } }

    private mutating func step(_ options: Options, using rng: inout SplitMix64) throws {
        let replica = Int.random(in: 0..<current.count, using: &rng)
        let mayEdit = options.editors?.contains(replica) ?? true
        let roll = Int.random(in: 0..<100, using: &rng)
        if mayEdit && roll < 40 {
            write(on: replica, using: &rng)
        } else if mayEdit && roll < 52 && !current[replica].context.isEmpty {
            delete(on: replica, using: &rng)
        } else {
            try sync(into: replica, using: &rng)
        }
        if current[replica] != versions[replica].last { versions[replica].append(current[replica]) }
    }

    private mutating func freshDot(for replica: Int, using rng: inout SplitMix64) -> Dot {
        counters[replica] += UInt64.random(in: 1...3, using: &rng)
        return Dot(replica: replicaIDs[replica], counter: counters[replica])
    }

    private mutating func write(on replica: Int, using rng: inout SplitMix64) {
        var state = current[replica]
        let isCreation = state.context.isEmpty
        var values: [String: FieldValue] = [:]
        for field in Self.fieldNames where isCreation || Int.random(in: 0..<10, using: &rng) < 4 {
            values[field] = Self.values.randomElement(using: &rng)!
        }
        // A write with no field is rare but legal: it only takes back the deletes its replica has seen.
        if values.isEmpty && Int.random(in: 0..<10, using: &rng) > 0 {
            values[Self.fieldNames.randomElement(using: &rng)!] = Self.values.randomElement(using: &rng)!
        }
        let dot = freshDot(for: replica, using: &rng)
        // Coarse, unordered wall clocks: ties and clocks that disagree with causality both happen.
        let at = Int64.random(in: 0...20, using: &rng) * 1000
        let by = Self.authors.randomElement(using: &rng)!
        let seen = state.context
        state.write(values, dot: dot, at: at, by: by)
        current[replica] = state
        events.append(Event(dot: dot, entries: values.mapValues { FieldEntry(dot: dot, value: $0, at: at, by: by) }, tombstone: nil, seen: seen))
        let written = values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        log.append("\(Self.names[replica]) \(isCreation ? "creates" : "writes") {\(written)} at \(at) as \(dot)")
    }

    private mutating func delete(on replica: Int, using rng: inout SplitMix64) {
        var state = current[replica]
        let dot = freshDot(for: replica, using: &rng)
        let at = Int64.random(in: 0...20, using: &rng) * 1000
        let seen = state.context
        state.delete(dot: dot, at: at, by: Self.authors.randomElement(using: &rng)!)
        current[replica] = state
        events.append(Event(dot: dot, entries: [:], tombstone: state.tombstones.first, seen: seen))
        log.append("\(Self.names[replica]) deletes at \(at) as \(dot) having seen \(seen)")
    }

    private mutating func sync(into replica: Int, using rng: inout SplitMix64) throws {
        guard current.count > 1 else { return }
        var source = Int.random(in: 0..<current.count - 1, using: &rng)
        if source >= replica { source += 1 }
        // Mostly the peer's latest state; sometimes an old one, as a delayed or repeated message would bring.
        let version = Int.random(in: 0..<10, using: &rng) < 7 ? versions[source].count - 1 : Int.random(in: 0..<versions[source].count, using: &rng)
        current[replica] = try Merge.records(current[replica], versions[source][version])
        log.append("\(Self.names[replica]) receives \(Self.names[source])'s version \(version) -> \(current[replica].summary)")
    }

    // MARK: The oracle

    /// What a state must hold, computed from the events alone.
    struct Expectation: Equatable {
        var fields: [String: Set<FieldEntry>]
        var tombstones: Set<Tombstone>

        /// Deleted when some delete survives and every surviving value was seen by a surviving delete.
        var isDeleted: Bool {
            !tombstones.isEmpty && fields.values.allSatisfy { $0.allSatisfy { entry in tombstones.contains { $0.seen.contains(entry.dot) } } }
        }

        var conflictKeys: [String] {
            var keys = fields.filter { $0.value.count > 1 }.keys.sorted().map { "\(Fixture.record)/\($0)" }
            if !tombstones.isEmpty && !isDeleted { keys.append("\(Fixture.record)/deleted") }
            return keys
        }
    }

    /// The state of a replica that has seen exactly the events covered by `context`.
    ///
    /// An entry survives unless a known write to its field had seen it; a tombstone survives unless
    /// a known write or delete had seen it.
    func expectation(knowing context: VersionVector) -> Expectation {
        let known = events.filter { context.contains($0.dot) }
        var fields: [String: Set<FieldEntry>] = [:]
        for event in known {
            for (field, entry) in event.entries where !known.contains(where: { $0.entries[field] != nil && $0.seen.contains(entry.dot) }) {
                fields[field, default: []].insert(entry)
            }
        }
        let tombstones = known.compactMap(\.tombstone).filter { tombstone in !known.contains { $0.seen.contains(tombstone.dot) } }
        return Expectation(fields: fields, tombstones: Set(tombstones))
    }

    /// Whether every counter in `context` names an event of this history (no invented writes).
    func namesOnlyEvents(_ context: VersionVector) -> Bool {
        context.counters.allSatisfy { replica, counter in events.contains { $0.dot == Dot(replica: replica, counter: counter) } }
    }

    var description: String {
        "history of seed \(seed) with \(replicaIDs.count) replicas:\n"
            + log.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    }
}

extension RecordState {
    /// The state as it actually is: what a real state holds, for comparison with the oracle.
    var actual: ReplicationHistory.Expectation {
        ReplicationHistory.Expectation(fields: fields.mapValues { Set($0.entries) }, tombstones: Set(tombstones))
    }

    /// A one-line form for failure messages.
    var summary: String {
        let registers = fields.keys.sorted().map { field in
            "\(field){" + entries(field).map { "\($0.dot)=\($0.value)@\($0.at)" }.joined(separator: " ") + "}"
        }
        let deletes = tombstones.map { "\($0.dot) seen \($0.seen)" }
        return "ctx \(context) " + registers.joined(separator: " ") + (deletes.isEmpty ? "" : " deletes{" + deletes.joined(separator: "; ") + "}")
    }
}
