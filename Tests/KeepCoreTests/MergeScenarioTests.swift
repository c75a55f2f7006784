import Testing

@testable import KeepCore

/// The situations of `Sync/MERGE.md`, played out step by step by named replicas.
@Suite struct MergeScenarioTests {
    /// Ana's laptop creates a customer and both Bea's laptop and the server receive it.
    private func created() throws -> (ana: Replica, bea: Replica, server: Replica) {
        var ana = Replica(Fixture.ana, by: "ana")
        var bea = Replica(Fixture.bea, by: "bea")
        var server = Replica(Fixture.cy, by: "server")
        ana.write(["name": .text("Mrs Okafor"), "phone": .text("0101")], at: 1_000)
        try server.receive(from: ana)
        try bea.receive(from: server)
        return (ana, bea, server)
    }

    // MARK: Concurrent writes of one field

    @Test func concurrentWritesOfOneFieldMakeAConflict() throws {
        var (ana, bea, _) = try created()
        ana.write(["phone": .text("0202")], at: 2_000)
        bea.write(["phone": .text("0303")], at: 3_000)
        let merged = try Merge.records(ana.state, bea.state)

        #expect(merged == (try Merge.records(bea.state, ana.state)))
        #expect(merged.value("phone") == .text("0303"), "the later write is shown")
        #expect(merged.values("phone") == [.text("0303"), .text("0202")])
        #expect(merged.value("name") == .text("Mrs Okafor"))
        #expect(!merged.isDeleted)

        let conflict = try #require(merged.conflicts.first)
        #expect(merged.conflicts.count == 1)
        #expect(conflict.key == "\(Fixture.record.rawValue)/phone")
        #expect(conflict.subject == .field("phone"))
        #expect(conflict.winner == FieldEntry(dot: Dot(replica: Fixture.bea, counter: 1), value: .text("0303"), at: 3_000, by: "bea"))
        #expect(conflict.losers == [FieldEntry(dot: Dot(replica: Fixture.ana, counter: 2), value: .text("0202"), at: 2_000, by: "ana")])
    }

    @Test func aWriteThatSawBothValuesSettlesTheConflictEverywhere() throws {
        var (ana, bea, server) = try created()
        ana.write(["phone": .text("0202")], at: 2_000)
        bea.write(["phone": .text("0303")], at: 3_000)
        try server.receive(from: ana)
        try server.receive(from: bea)
        try ana.receive(from: server)
        #expect(ana.state.conflicts.map(\.key) == ["\(Fixture.record)/phone"])

        // Ana picks her own number again, although it lost the pick: the settling write wins whatever its time.
        ana.write(["phone": .text("0202")], at: 500)
        #expect(ana.state.conflicts.isEmpty)
        #expect(ana.state.value("phone") == .text("0202"))

        // Bea still holds the conflict; the server holds it too. Whoever receives the settled state drops it.
        try bea.receive(from: server)
        #expect(bea.state.conflicts.count == 1)
        try bea.receive(from: ana)
        try server.receive(from: ana)
        for replica in [ana, bea, server] {
            #expect(replica.state.conflicts.isEmpty)
            #expect(replica.state.values("phone") == [.text("0202")])
        }
        #expect(bea.state == ana.state && server.state == ana.state)
    }

    @Test func aWriteThatSawOnlyOneSideDoesNotSettle() throws {
        var (ana, bea, _) = try created()
        ana.write(["phone": .text("0202")], at: 2_000)
        bea.write(["phone": .text("0303")], at: 3_000)
        bea.write(["phone": .text("0404")], at: 4_000)
        let merged = try Merge.records(ana.state, bea.state)
        #expect(merged.values("phone") == [.text("0404"), .text("0202")], "Bea's second write replaced only her first")
    }

    @Test func concurrentWritesOfDifferentFieldsBothApply() throws {
        var (ana, bea, _) = try created()
        ana.write(["phone": .text("0202")], at: 2_000)
        bea.write(["email": .text("okafor@example.com")], at: 1_500)
        let merged = try Merge.records(ana.state, bea.state)
        #expect(merged.conflicts.isEmpty)
        #expect(merged.value("phone") == .text("0202"))
        #expect(merged.value("email") == .text("okafor@example.com"))
        #expect(merged.value("name") == .text("Mrs Okafor"))
    }

    @Test func aWriteOfSeveralFieldsIsOneDot() throws {
        var ana = Replica(Fixture.ana, by: "ana")
        ana.write(["name": .text("Mr Lee"), "phone": .null, "vip": .bool(true), "visits": .integer(3)], at: 1_000)
        #expect(ana.state.context == VersionVector([Fixture.ana: 1]))
        #expect(Set(ana.state.fields.values.flatMap(\.entries).map(\.dot)) == [Dot(replica: Fixture.ana, counter: 1)])
        #expect(ana.state.value("phone") == .null, "null is a value, not a missing field")
        #expect(ana.state.value("missing") == nil)
    }

    // MARK: Delete against a concurrent edit

    @Test func anEditConcurrentWithADeleteBringsTheRecordBack() throws {
        var (ana, bea, _) = try created()
        bea.delete(at: 2_000)
        #expect(bea.state.isDeleted)
        #expect(bea.state.value("name") == .text("Mrs Okafor"), "a delete keeps the fields")
        ana.write(["phone": .text("0202")], at: 1_500)

        let merged = try Merge.records(bea.state, ana.state)
        #expect(merged == (try Merge.records(ana.state, bea.state)))
        #expect(!merged.isDeleted)
        #expect(merged.hasDeleteConflict)
        #expect(merged.value("phone") == .text("0202"))
        #expect(merged.value("name") == .text("Mrs Okafor"))
        let conflict = try #require(merged.conflicts.first)
        #expect(merged.conflicts.count == 1)
        #expect(conflict.key == "\(Fixture.record)/deleted")
        let tombstone = Tombstone(dot: Dot(replica: Fixture.bea, counter: 1), seen: VersionVector([Fixture.ana: 1]), at: 2_000, by: "bea")
        #expect(conflict.subject == .deletion([tombstone]))
        #expect(conflict.winner == nil && conflict.losers.isEmpty)
    }

    @Test func aLaterWriteThatSawEverythingSettlesADeleteConflict() throws {
        var (ana, bea, server) = try created()
        bea.delete(at: 2_000)
        ana.write(["phone": .text("0202")], at: 1_500)
        try server.receive(from: bea)
        try server.receive(from: ana)
        #expect(server.state.hasDeleteConflict)

        // Keeping the record: any write on a replica that holds the conflict.
        var keeper = server
        keeper.write(["email": .text("okafor@example.com")], at: 3_000)
        #expect(keeper.state.tombstones.isEmpty)
        #expect(keeper.state.conflicts.isEmpty)
        try bea.receive(from: keeper)
        #expect(!bea.state.isDeleted && bea.state.conflicts.isEmpty)
        #expect(bea.state.value("phone") == .text("0202"))

        // Confirming the delete instead: a new delete that has seen the edit.
        var deleter = server
        deleter.delete(at: 3_000)
        #expect(deleter.state.isDeleted)
        #expect(deleter.state.conflicts.isEmpty)
        try ana.receive(from: deleter)
        #expect(ana.state.isDeleted && ana.state.conflicts.isEmpty)
    }

    @Test func aDeleteThatSawTheEditKeepsTheRecordDeleted() throws {
        var (ana, bea, server) = try created()
        ana.write(["phone": .text("0202")], at: 2_000)
        try bea.receive(from: ana)
        bea.delete(at: 3_000)
        try server.receive(from: bea)
        try server.receive(from: ana)
        #expect(server.state.isDeleted)
        #expect(server.state.conflicts.isEmpty)
        #expect(try Merge.records(ana.state, bea.state).isDeleted, "a stale state does not undo a delete")
    }

    @Test func concurrentDeletesStayDeletedWithoutConflict() throws {
        var (ana, bea, _) = try created()
        ana.delete(at: 2_000)
        bea.delete(at: 2_500)
        let merged = try Merge.records(ana.state, bea.state)
        #expect(merged.isDeleted)
        #expect(merged.conflicts.isEmpty)
        #expect(merged.tombstones.map(\.dot) == [Dot(replica: Fixture.ana, counter: 2), Dot(replica: Fixture.bea, counter: 1)])
    }

    /// Each delete saw one of two concurrent edits: together they saw both, so the record stays deleted.
    @Test func deletesThatTogetherSawEveryEditDelete() throws {
        var (ana, bea, server) = try created()
        var dan = Replica(Fixture.dan, by: "dan")
        var eve = Replica(Fixture.eve, by: "eve")
        try dan.receive(from: ana)
        try eve.receive(from: ana)
        ana.write(["phone": .text("0202")], at: 2_000)
        bea.write(["email": .text("okafor@example.com")], at: 2_000)
        try dan.receive(from: ana)
        try eve.receive(from: bea)
        dan.delete(at: 3_000)
        eve.delete(at: 3_000)
        try server.receive(from: dan)
        try server.receive(from: eve)
        #expect(server.state.tombstones.count == 2)
        #expect(server.state.isDeleted)
        #expect(server.state.conflicts.isEmpty)
        try server.receive(from: ana)
        try server.receive(from: bea)
        #expect(server.state.isDeleted, "the edits were already seen")
    }

    @Test func aDeleteConcurrentWithAnEditOfOneFieldKeepsTheWholeRecord() throws {
        var (ana, bea, _) = try created()
        ana.write(["phone": .text("0202")], at: 2_000)
        try bea.receive(from: ana)
        var cy = Replica(Fixture.cy, by: "cy")
        try cy.receive(from: ana)
        bea.delete(at: 3_000)
        cy.write(["email": .text("okafor@example.com")], at: 2_500)
        let merged = try mergeAll([ana.state, bea.state, cy.state])
        #expect(merged.hasDeleteConflict)
        #expect(merged.value("phone") == .text("0202"), "fields the delete saw come back with the record")
        #expect(merged.value("email") == .text("okafor@example.com"))
    }

    @Test func writingAfterDeletingRevivesTheRecordEverywhere() throws {
        var (ana, bea, _) = try created()
        ana.delete(at: 2_000)
        try bea.receive(from: ana)
        ana.write(["note": .text("came back after all")], at: 3_000)
        #expect(!ana.state.isDeleted && ana.state.tombstones.isEmpty)
        try bea.receive(from: ana)
        #expect(!bea.state.isDeleted && bea.state.conflicts.isEmpty)
        #expect(bea.state.tombstones.isEmpty, "the write saw the delete, so the delete is gone")
    }

    @Test func aWriteWithNoFieldStillTakesBackADelete() throws {
        var (ana, _, _) = try created()
        ana.delete(at: 2_000)
        ana.write([:], at: 3_000)
        #expect(!ana.state.isDeleted)
        #expect(ana.state.context == VersionVector([Fixture.ana: 3]))
    }

    @Test func aRecordWithOnlyADeleteIsDeleted() {
        var state = RecordState(id: Fixture.record, kind: .note)
        #expect(!state.isDeleted)
        state.delete(dot: Dot(replica: Fixture.ana, counter: 1), at: 0, by: "ana")
        #expect(state.isDeleted && state.conflicts.isEmpty)
    }

    // MARK: Order of delivery

    @Test func oneEditorNeverConflictsWhateverTheDeliveryOrder() throws {
        var ana = Replica(Fixture.ana, by: "ana")
        var sent: [RecordState] = []
        ana.write(["name": .text("Mr Lee")], at: 5_000)
        sent.append(ana.state)
        ana.write(["name": .text("Mr B. Lee"), "phone": .text("0101")], at: 1_000)
        sent.append(ana.state)
        ana.delete(at: 9_000)
        sent.append(ana.state)
        ana.write(["phone": .text("0202")], at: 2_000)
        sent.append(ana.state)
        for order in [[3, 2, 1, 0], [0, 3, 0, 1], [2, 0, 2, 1, 3], [1, 2]] {
            var bea = Replica(Fixture.bea, by: "bea")
            for index in order {
                try bea.receive(sent[index])
                #expect(bea.state.conflicts.isEmpty)
                #expect(sent.contains(bea.state))
            }
            #expect(bea.state == sent[order.max()!], "the newest version received wins, whatever came after it")
        }
    }

    // MARK: The pick

    @Test func thePickPrefersTimeThenDotThenValueThenAuthor() {
        let a1 = Dot(replica: Fixture.ana, counter: 1)
        let a2 = Dot(replica: Fixture.ana, counter: 2)
        let b1 = Dot(replica: Fixture.bea, counter: 1)
        func entry(_ dot: Dot, _ value: FieldValue, at: Int64, by: String = "x") -> FieldEntry { FieldEntry(dot: dot, value: value, at: at, by: by) }

        #expect(entry(a1, .text("old"), at: 1) < entry(a1, .text("old"), at: 2), "a later time wins")
        #expect(entry(b1, .text("z"), at: 1) < entry(a1, .text("a"), at: 2), "time before dot")
        #expect(entry(a2, .text("z"), at: 1) < entry(b1, .text("a"), at: 1), "then the replica id")
        #expect(entry(a1, .text("z"), at: 1) < entry(a2, .text("a"), at: 1), "then the counter")
        #expect(entry(a1, .text("a"), at: 1) < entry(a1, .text("b"), at: 1), "then the value (only for a corrupt peer)")
        #expect(entry(a1, .text("a"), at: 1, by: "ana") < entry(a1, .text("a"), at: 1, by: "bea"), "then the author")

        let register = FieldRegister([entry(b1, .integer(2), at: 7), entry(a2, .integer(3), at: 7), entry(a1, .integer(1), at: 9)])
        #expect(register.winner?.value == .integer(1))
        #expect(register.losers.map(\.value) == [.integer(2), .integer(3)], "losers strongest first")
        #expect(register.entries.map(\.dot) == [a1, a2, b1], "entries are kept sorted by dot")
        #expect(register.isConflicted)
        #expect(!FieldRegister([entry(a1, .null, at: 0)]).isConflicted)
        #expect(FieldRegister().winner == nil && FieldRegister().losers.isEmpty)
    }

    @Test func theOrderOfValuesIsTotal() {
        let ordered: [FieldValue] = [
            .null, .bool(false), .bool(true), .integer(-1), .integer(0), .integer(7), .text(""), .text("A"), .text("a"), .text("é"),
        ]
        for (i, lhs) in ordered.enumerated() {
            for (j, rhs) in ordered.enumerated() {
                #expect((lhs < rhs) == (i < j), "\(lhs) < \(rhs)")
            }
        }
    }

    // MARK: Three replicas

    /// Keeping only a winner per field loses associativity: a side that saw a dot and no longer holds
    /// it may have dropped it as a loser rather than overwritten it, and the next join cannot tell.
    @Test func theThreeReplicasTrap() throws {
        var (ana, bea, server) = try created()
        ana.write(["phone": .text("A")], at: 3_000)
        bea.write(["phone": .text("B")], at: 2_000)
        try server.receive(from: ana)
        server.write(["phone": .text("C")], at: 1_000)
        let (a, b, c) = (ana.state, bea.state, server.state)

        // Winner only: a ⊔ b keeps A (later) and drops B; then c, which overwrote A, wins: C.
        // b ⊔ c keeps B (later than C) and drops C; then a's A was overwritten by c: B.
        #expect(try winnerOnlyJoin(winnerOnlyJoin(a, b), c).value("phone") == .text("C"))
        #expect(try winnerOnlyJoin(a, winnerOnlyJoin(b, c)).value("phone") == .text("B"))

        // The real join keeps both concurrent values, so the grouping does not matter.
        let left = try Merge.records(Merge.records(a, b), c)
        let right = try Merge.records(a, Merge.records(b, c))
        #expect(left == right)
        #expect(left.values("phone") == [.text("B"), .text("C")], "A was overwritten by C; B and C are concurrent")
        #expect(left.conflicts.map(\.key) == ["\(Fixture.record)/phone"])
    }

    /// The rejected design: the same join, but each register then keeps only its winner.
    private func winnerOnlyJoin(_ a: RecordState, _ b: RecordState) throws -> RecordState {
        let joined = try Merge.records(a, b)
        return RecordState(
            id: joined.id,
            kind: joined.kind,
            context: joined.context,
            fields: joined.fields.mapValues { FieldRegister($0.winner.map { [$0] } ?? []) },
            tombstones: joined.tombstones
        )
    }

    // MARK: What cannot be merged

    @Test func mergingDifferentRecordsThrows() {
        let a = RecordState(id: Fixture.record, kind: .customer)
        let b = RecordState(id: Fixture.otherRecord, kind: .customer)
        #expect(throws: Merge.Mismatch.self) { try Merge.records(a, b) }
        do {
            _ = try Merge.records(a, b)
        } catch {
            #expect(error.description == "cannot merge record \(Fixture.record) with record \(Fixture.otherRecord)")
        }
    }

    @Test func mergingDifferentKindsThrows() {
        let a = RecordState(id: Fixture.record, kind: .customer)
        let b = RecordState(id: Fixture.record, kind: .followUp)
        #expect(throws: Merge.Mismatch.self) { try Merge.records(a, b) }
        do {
            _ = try Merge.records(b, a)
        } catch {
            #expect(error.description == "record \(Fixture.record) is a followup on one side and a customer on the other")
        }
    }

    // MARK: Well-formedness

    @Test func aStateHoldingAnUnseenDotIsIllFormed() {
        let entry = FieldEntry(dot: Dot(replica: Fixture.ana, counter: 2), value: .text("x"), at: 0, by: "ana")
        let uncovered = RecordState(
            id: Fixture.record,
            kind: .customer,
            context: VersionVector([Fixture.ana: 1]),
            fields: ["name": FieldRegister([entry])],
            tombstones: []
        )
        #expect(!uncovered.isWellFormed)
        let tombstone = Tombstone(dot: Dot(replica: Fixture.bea, counter: 1), seen: VersionVector([Fixture.ana: 5]), at: 0, by: "bea")
        let overSeen = RecordState(
            id: Fixture.record,
            kind: .customer,
            context: VersionVector([Fixture.bea: 1]),
            fields: [:],
            tombstones: [tombstone]
        )
        #expect(!overSeen.isWellFormed, "a delete cannot have seen more than its state")
        #expect(RecordState(id: Fixture.record, kind: .customer).isWellFormed)
    }

    /// A join keeps one entry per dot, so a state holding a dot twice would not be its own join with itself.
    @Test func aDotHeldTwiceIsIllFormed() throws {
        let dot = Dot(replica: Fixture.ana, counter: 1)
        let twice = RecordState(
            id: Fixture.record,
            kind: .customer,
            context: VersionVector([Fixture.ana: 1]),
            fields: [
                "name": FieldRegister([
                    FieldEntry(dot: dot, value: .text("x"), at: 0, by: "ana"), FieldEntry(dot: dot, value: .text("y"), at: 0, by: "ana"),
                ])
            ],
            tombstones: []
        )
        #expect(!twice.isWellFormed)
        #expect(try Merge.records(twice, twice) != twice, "why it must be rejected")
        let deletes = Tombstone(dot: dot, seen: VersionVector(), at: 0, by: "ana")
        let twiceDeleted = RecordState(
            id: Fixture.record,
            kind: .customer,
            context: VersionVector([Fixture.ana: 1]),
            fields: [:],
            tombstones: [deletes, Tombstone(dot: dot, seen: VersionVector(), at: 1, by: "ana")]
        )
        #expect(!twiceDeleted.isWellFormed)
    }

    /// Every context "contains" a dot with counter 0, so such a state would vanish when joined with the empty state.
    @Test func aDotWithCounterZeroIsIllFormed() throws {
        let zero = Dot(replica: Fixture.ana, counter: 0)
        let entry = RecordState(
            id: Fixture.record,
            kind: .customer,
            context: VersionVector(),
            fields: ["name": FieldRegister([FieldEntry(dot: zero, value: .text("x"), at: 0, by: "ana")])],
            tombstones: []
        )
        #expect(!entry.isWellFormed)
        #expect(try Merge.records(entry, RecordState(id: Fixture.record, kind: .customer)) != entry, "why it must be rejected")
        let tombstone = RecordState(
            id: Fixture.record,
            kind: .customer,
            context: VersionVector(),
            fields: [:],
            tombstones: [Tombstone(dot: zero, seen: VersionVector(), at: 0, by: "ana")]
        )
        #expect(!tombstone.isWellFormed)
    }

    @Test func emptyRegistersAreDropped() {
        let state = RecordState(id: Fixture.record, kind: .customer, context: VersionVector(), fields: ["name": FieldRegister()], tombstones: [])
        #expect(state.fields.isEmpty)
        #expect(state == RecordState(id: Fixture.record, kind: .customer))
    }
}
