import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// The shop's settings are one replicated record: every laptop follows the last one set, and two set offline make a
/// conflict on that one record.
@Suite("The shop's settings")
struct ShopSettingsTests {
    let folder = TemporaryFolder()

    @Test func aShopSettingIsAWriteOfTheShopsRecordThatSyncs() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        try anna.set(.purchaseFollowUp, to: "100.00 after 14d")
        try anna.set(.replyWindowHours, to: "12")
        #expect(try anna.setting(.purchaseFollowUp) == "100.00 after 14d")
        #expect(try anna.setting(.replyWindowHours) == "12")
        let state = try #require(try anna.recordState(ShopSettings.recordID))
        #expect(state.kind == .shop)
        #expect(state.value(ShopSettings.Field.replyWindowHours) == .integer(12))
        #expect(state.value(ShopSettings.Field.purchaseFollowUp)?.text == "100.00 after 14d")
        #expect(try anna.outboxStates().map(\.id) == [ShopSettings.recordID])
        // The agent is the laptop's own: not in the record, not in the outbox.
        try anna.set(.agent, to: "Άννα")
        #expect(try anna.recordState(ShopSettings.recordID)?.fields.count == 2)

        let bob = try ReplicaStore.create(at: folder.file("bob.sqlite"), agent: "Bob")
        #expect(try bob.setting(.purchaseFollowUp) == "")
        _ = try anna.sendEverything(to: bob)
        #expect(try bob.setting(.purchaseFollowUp) == "100.00 after 14d")
        #expect(try bob.setting(.replyWindowHours) == "12")
        #expect(try bob.setting(.agent) == "Bob")
        // Clearing a setting writes null: the default again, everywhere.
        try bob.set(.purchaseFollowUp, to: "")
        _ = try bob.sendEverything(to: anna)
        #expect(try anna.setting(.purchaseFollowUp) == "")
    }

    @Test func twoLaptopsSettingOneSettingOfflineMakeOneConflictOnOneRecord() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        let bob = try ReplicaStore.create(at: folder.file("bob.sqlite"), agent: "Bob")
        try anna.set([.replyWindowHours: "12", .workdayEnd: "18:00"])
        try bob.set(.replyWindowHours, to: "48")
        _ = try anna.sendEverything(to: bob)
        _ = try bob.sendEverything(to: anna)
        #expect(try anna.recordState(ShopSettings.recordID) == bob.recordState(ShopSettings.recordID))
        let records = try anna.read { db in try String.fetchAll(db, sql: "SELECT id FROM record WHERE kind = 'shop'") }
        #expect(records == [ShopSettings.recordID.rawValue])
        let conflicts = try anna.conflicts()
        #expect(conflicts.map(\.subject) == [.field(ShopSettings.Field.replyWindowHours)])
        #expect(try bob.conflicts() == conflicts)
        // The setting nobody else touched merged cleanly; the conflicted one reads as the pick, the same on both.
        #expect(try bob.setting(.workdayEnd) == "18:00")
        #expect(try anna.setting(.replyWindowHours) == bob.setting(.replyWindowHours))
        // Settled like any conflict: a write of the field.
        try anna.set(.replyWindowHours, to: "24")
        _ = try anna.sendEverything(to: bob)
        #expect(try bob.conflicts().isEmpty)
        #expect(try bob.setting(.replyWindowHours) == "24")
    }

    @Test func aBookOfAnOlderBuildMovesItsShopSettingsIntoTheRecord() throws {
        let path = folder.file("old.sqlite")
        let old = try ReplicaStore.create(
            at: path,
            agent: "ana",
            schemaUpTo: "v7: phone numbers are found by their digits, however they are written"
        )
        try old.close()
        // As the v7 build kept them: per laptop, in the settings table; reply window at its default.
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            for (key, value) in [
                "reply-window-hours": "24", "follow-up-purchases": "250.00 after 2w", "country-code": "30", "sync-server": "https://a",
            ] {
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
            }
        }
        try database.close()

        let migrated = try ReplicaStore.open(at: path)
        #expect(try migrated.setting(.purchaseFollowUp) == "250.00 after 2w")
        #expect(try migrated.setting(.countryCode) == "30")
        #expect(try migrated.setting(.syncServer) == "https://a")
        let state = try #require(try migrated.recordState(ShopSettings.recordID))
        // A setting at its default is not written: laptops that never changed it make no conflict.
        #expect(Set(state.fields.keys) == [ShopSettings.Field.purchaseFollowUp, ShopSettings.Field.countryCode])
        #expect(state.fields.values.allSatisfy { $0.entries.allSatisfy { $0.by == "ana" } })
        #expect(try migrated.outboxStates().map(\.id) == [ShopSettings.recordID])
        let left = try migrated.read { db in try String.fetchAll(db, sql: "SELECT key FROM setting ORDER BY key") }
        #expect(left == ["agent", "sync-server"])
    }

    @Test func aShopRecordUnderAnotherIdIsKeptButNotRead() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        var other = RecordState(id: RecordID("0123456789abcdef0123456789abcdef")!, kind: .shop)
        other.write([ShopSettings.Field.replyWindowHours: .integer(2)], dot: Dot(replica: ReplicaID("b0b0b0b0b0b0b0b0")!, counter: 1), at: 0, by: "x")
        _ = try anna.merge([other])
        #expect(try anna.setting(.replyWindowHours) == "24")
        #expect(try anna.recordState(other.id) == other)
    }

    @Test func undoTakesASettingBackForTheWholeShopWithoutDeletingTheRecord() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        try anna.set(.replyWindowHours, to: "12")
        try anna.set(.replyWindowHours, to: "48")
        #expect(try anna.undoHistory().first?.summary == "changed the shop's settings: reply-window-hours")
        _ = try anna.undo(agent: "Anna")
        #expect(try anna.setting(.replyWindowHours) == "12")
        _ = try anna.undo(agent: "Anna")
        #expect(try anna.setting(.replyWindowHours) == "24")
        // The first write is taken back as null, not as a delete another laptop's settings would conflict with.
        let state = try #require(try anna.recordState(ShopSettings.recordID))
        #expect(!state.isDeleted)
        #expect(state.value(ShopSettings.Field.replyWindowHours) == .null)
    }
}
