import Foundation
import Testing

@testable import KeepCore

/// The laws of `Sync/MERGE.md`, checked on states produced by random histories of 2 to 5 replicas.
///
/// Each history is replayed from its seed: a failure prints the seed and the history, and
/// `KEEPWORD_MERGE_SEED=<seed> swift test --filter MergeLawTests` runs that history alone.
/// `KEEPWORD_MERGE_HISTORIES=<n>` runs more (or fewer) than the default 400.
@Suite struct MergeLawTests {
    @Test func joinIsCommutative() throws {
        try forEachHistory { history, rng, findings in
            for (a, b) in pairs(of: history, using: &rng) {
                let ab = try Merge.records(a, b)
                let ba = try Merge.records(b, a)
                findings.check(ab == ba, "a ⊔ b != b ⊔ a\n  a: \(a.summary)\n  b: \(b.summary)\n  ab: \(ab.summary)\n  ba: \(ba.summary)")
            }
        }
    }

    @Test func joinIsAssociative() throws {
        try forEachHistory { history, rng, findings in
            for (a, b, c) in triples(of: history, using: &rng) {
                let left = try Merge.records(Merge.records(a, b), c)
                let right = try Merge.records(a, Merge.records(b, c))
                findings.check(
                    left == right,
                    "(a ⊔ b) ⊔ c != a ⊔ (b ⊔ c)\n  a: \(a.summary)\n  b: \(b.summary)\n  c: \(c.summary)\n  left: \(left.summary)\n  right: \(right.summary)"
                )
            }
        }
    }

    @Test func joinIsIdempotentAndAbsorbs() throws {
        try forEachHistory { history, rng, findings in
            for state in history.allVersions {
                findings.check(try Merge.records(state, state) == state, "a ⊔ a != a for \(state.summary)")
            }
            for (a, b) in pairs(of: history, using: &rng) {
                let ab = try Merge.records(a, b)
                findings.check(try Merge.records(ab, b) == ab, "(a ⊔ b) ⊔ b != a ⊔ b\n  a: \(a.summary)\n  b: \(b.summary)")
                findings.check(try Merge.records(a, ab) == ab, "a ⊔ (a ⊔ b) != a ⊔ b\n  a: \(a.summary)\n  b: \(b.summary)")
            }
        }
    }

    @Test func emptyStateIsTheIdentity() throws {
        let empty = RecordState(id: Fixture.record, kind: .customer)
        try forEachHistory { history, _, findings in
            for state in history.allVersions {
                findings.check(try Merge.records(state, empty) == state, "a ⊔ ∅ != a for \(state.summary)")
                findings.check(try Merge.records(empty, state) == state, "∅ ⊔ a != a for \(state.summary)")
            }
        }
    }

    /// Same inputs, any order and grouping: the same state, the same conflicts, the same deletion.
    @Test func resultDoesNotDependOnOrder() throws {
        try forEachHistory { history, rng, findings in
            for (a, b, c) in triples(of: history, count: 6, using: &rng) {
                let reference = try mergeAll([a, b, c])
                for order in [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]] {
                    for result in [try mergeAll(order), try Merge.records(order[0], Merge.records(order[1], order[2]))] {
                        findings.check(result == reference, "order changed the state\n  \(result.summary)\n  \(reference.summary)")
                        findings.check(result.conflicts == reference.conflicts, "order changed the conflicts of \(reference.summary)")
                        findings.check(result.isDeleted == reference.isDeleted, "order changed isDeleted of \(reference.summary)")
                        findings.check(result.value("name") == reference.value("name"), "order changed the shown name of \(reference.summary)")
                    }
                }
            }
        }
    }

    /// After a full exchange in any order every replica holds the same state and shows the same conflicts.
    @Test func replicasConvergeAfterExchangingEverything() throws {
        try forEachHistory { history, rng, findings in
            let everything = try mergeAll(history.current)
            for index in history.current.indices {
                let received = try mergeAll([history.current[index]] + history.current.shuffled(using: &rng))
                findings.check(received == everything, "replica \(index) did not converge: \(received.summary) vs \(everything.summary)")
                findings.check(received.conflicts == everything.conflicts, "replica \(index) shows other conflicts")
            }
        }
    }

    /// Nothing is lost or invented: an input's entry leaves only when the other side saw its dot and no longer holds it.
    @Test func joinKeepsEveryValueNotOverwritten() throws {
        try forEachHistory { history, rng, findings in
            for (a, b) in pairs(of: history, using: &rng) {
                let ab = try Merge.records(a, b)
                findings.check(a.context.isDominated(by: ab.context) && b.context.isDominated(by: ab.context), "context shrank")
                findings.check(ab.context == a.context.union(b.context), "context is not the union")
                for (input, other) in [(a, b), (b, a)] {
                    for (field, register) in input.fields {
                        for entry in register.entries {
                            let overwritten = other.context.contains(entry.dot) && !other.holds(entry.dot, in: field)
                            findings.check(
                                ab.holds(entry.dot, in: field) == !overwritten,
                                "\(field) entry \(entry.dot) \(overwritten ? "came back" : "was lost")\n  in: \(input.summary)\n  other: \(other.summary)"
                            )
                        }
                    }
                    for tombstone in input.tombstones {
                        let overwritten = other.context.contains(tombstone.dot) && !other.tombstones.contains(tombstone)
                        findings.check(ab.tombstones.contains(tombstone) == !overwritten, "delete \(tombstone.dot) mishandled")
                    }
                }
                for (field, register) in ab.fields {
                    for entry in register.entries {
                        findings.check(a.entries(field).contains(entry) || b.entries(field).contains(entry), "\(field) entry \(entry.dot) invented")
                    }
                }
                findings.check(ab.tombstones.allSatisfy { a.tombstones.contains($0) || b.tombstones.contains($0) }, "delete invented")
            }
            for replica in history.versions {
                for (older, newer) in zip(replica, replica.dropFirst()) {
                    findings.check(older.context.isDominated(by: newer.context), "a replica's context shrank")
                }
            }
        }
    }

    /// Every state a replica holds, and every join, is exactly what the history's writes and deletes predict.
    @Test func statesMatchTheHistory() throws {
        try forEachHistory { history, rng, findings in
            var states = history.allVersions
            for (a, b) in pairs(of: history, using: &rng) { states.append(try Merge.records(a, b)) }
            for state in states {
                let expected = history.expectation(knowing: state.context)
                findings.check(state.actual == expected, "state differs from the history\n  got: \(state.summary)")
                findings.check(state.isDeleted == expected.isDeleted, "isDeleted is \(state.isDeleted) for \(state.summary)")
                findings.check(state.conflicts.map(\.key) == expected.conflictKeys, "conflicts \(state.conflicts.map(\.key)) for \(state.summary)")
                findings.check(history.namesOnlyEvents(state.context), "context names a write that never happened: \(state.summary)")
            }
        }
    }

    @Test func joinPreservesWellFormedness() throws {
        try forEachHistory { history, rng, findings in
            for state in history.allVersions { findings.check(state.isWellFormed, "ill-formed version \(state.summary)") }
            for (a, b, c) in triples(of: history, using: &rng) {
                let abc = try mergeAll([a, b, c])
                findings.check(abc.isWellFormed, "ill-formed join \(abc.summary)")
                for register in abc.fields.values {
                    findings.check(Set(register.entries.map(\.dot)).count == register.entries.count, "a register holds one dot twice")
                    findings.check(register.entries == register.entries.sorted { $0.dot < $1.dot }, "register not sorted by dot")
                }
                findings.check(abc.tombstones == abc.tombstones.sorted { $0.dot < $1.dot }, "tombstones not sorted by dot")
            }
        }
    }

    /// One person editing while the others only receive (in any order, with stale and repeated
    /// messages) never sees a conflict, and every replica only ever holds one of the editor's versions.
    @Test func oneEditorNeverMakesAConflict() throws {
        try forEachHistory(ReplicationHistory.Options(editors: [0])) { history, rng, findings in
            let editorVersions = Set(history.versions[0])
            for state in history.allVersions {
                findings.check(state.conflicts.isEmpty, "false conflict \(state.conflicts.map(\.key)) in \(state.summary)")
                findings.check(editorVersions.contains(state), "a receiver holds a state the editor never had: \(state.summary)")
            }
            for (a, b) in pairs(of: history, using: &rng) {
                let ab = try Merge.records(a, b)
                findings.check(ab.conflicts.isEmpty, "false conflict after a join: \(ab.summary)")
                findings.check(ab == a || ab == b, "two versions of one editor joined into a third state")
            }
        }
    }

    /// A state survives a trip through JSON unchanged, with the same conflicts.
    @Test func statesRoundTripThroughJSON() throws {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        try forEachHistory(count: 100) { history, _, findings in
            for state in history.allVersions {
                let decoded = try decoder.decode(RecordState.self, from: encoder.encode(state))
                findings.check(decoded == state, "JSON changed \(state.summary) into \(decoded.summary)")
                findings.check(decoded.conflicts == state.conflicts, "JSON changed the conflicts of \(state.summary)")
            }
        }
    }
}

// MARK: Running histories

/// The messages of the checks that failed for one history.
struct Findings {
    private(set) var messages: [String] = []

    mutating func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { messages.append(message()) }
    }
}

/// The seeds to run: `KEEPWORD_MERGE_SEED` for one, else `KEEPWORD_MERGE_HISTORIES` (default 400) from 0.
func historySeeds(default count: Int) -> [UInt64] {
    let environment = ProcessInfo.processInfo.environment
    if let seed = environment["KEEPWORD_MERGE_SEED"].flatMap(UInt64.init) { return [seed] }
    let count = environment["KEEPWORD_MERGE_HISTORIES"].flatMap(Int.init) ?? count
    return (0..<UInt64(max(count, 0))).map { $0 }
}

/// Runs `check` on a random history per seed and reports the first history that breaks a law, with its seed.
func forEachHistory(
    _ options: ReplicationHistory.Options = ReplicationHistory.Options(),
    count: Int = 400,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ check: (ReplicationHistory, inout SplitMix64, inout Findings) throws -> Void
) throws {
    for seed in historySeeds(default: count) {
        let history = try ReplicationHistory(seed: seed, options: options)
        var rng = SplitMix64(seed: ~seed)
        var findings = Findings()
        try check(history, &rng, &findings)
        guard findings.messages.isEmpty else {
            let shown = findings.messages.prefix(3).joined(separator: "\n")
            Issue.record(
                """
                seed \(seed): \(findings.messages.count) failed check(s); \
                replay with KEEPWORD_MERGE_SEED=\(seed) swift test --filter \(Test.current.map { String($0.name.prefix { $0 != "(" }) } ?? "MergeLawTests")
                \(shown)
                \(history.description)
                """,
                sourceLocation: sourceLocation
            )
            return
        }
    }
}

/// Random pairs of states from the history, including a state with itself and with its own past.
func pairs(of history: ReplicationHistory, count: Int = 25, using rng: inout SplitMix64) -> [(RecordState, RecordState)] {
    let pool = history.allVersions
    return (0..<count).map { _ in (pool.randomElement(using: &rng)!, pool.randomElement(using: &rng)!) }
}

func triples(of history: ReplicationHistory, count: Int = 10, using rng: inout SplitMix64) -> [(RecordState, RecordState, RecordState)] {
    let pool = history.allVersions
    return (0..<count).map { _ in (pool.randomElement(using: &rng)!, pool.randomElement(using: &rng)!, pool.randomElement(using: &rng)!) }
}
