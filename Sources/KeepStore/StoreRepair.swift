import Foundation
import GRDB
import KeepCore

/// What store migrations do to records already stored, beside changing tables.
///
/// These run this build's reader and projection, so they assume the shop tables as this build has them: a later
/// migration that changes those tables must come after these and keep them working.
enum StoreRepair {
    /// Fills `unreadableRecord` with the live records this build cannot read, which older builds hid without a word.
    static func listUnreadableRecords(_ db: Database) throws {
        let states = try Data.fetchCursor(db, sql: "SELECT state FROM record WHERE NOT isDeleted")
        while let data = try states.next() {
            let state = try RecordRepository.decode(data)
            if state.kind.row.init(record: state) == nil { try UnreadableRecord(state).insert(db) }
        }
    }

    /// Writes every customer's words in the search index again, as this build indexes them: the v7 index adds a
    /// phone's digits in the forms it is dialled, so that "2101234567" finds "+30 210 123 4567".
    static func reindexCustomers(_ db: Database) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT record.rowid AS indexRowid, customer.* FROM customer JOIN record ON record.id = customer.id"
        )
        while let row = try rows.next() {
            let rowid: Int64 = row["indexRowid"]
            let customer = try Customer(row: row)
            try db.cachedStatement(sql: "DELETE FROM searchIndex WHERE rowid = ?").execute(arguments: [rowid])
            try db.cachedStatement(sql: "INSERT INTO searchIndex (rowid, body) VALUES (?, ?)").execute(
                arguments: [rowid, SearchText.fold(customer.searchableText)]
            )
        }
    }

    /// Drops the register of the field `deleted`, which MERGE.md reserves (a conflict on it cannot be settled: its
    /// name is the deletion conflict's), from every record that holds one, and re-projects the record. Its dots stay
    /// in the record's context, so every replica's join treats the dropped values as overwritten; what was dropped
    /// is written to the audit log. Not a local write: no dot is minted and nothing enters the outbox.
    static func dropReservedDeletedField(_ db: Database, now: Date = Date()) throws {
        let ids = try String.fetchAll(
            db,
            sql: "SELECT id FROM record WHERE json_extract(CAST(state AS TEXT), '$.fields.\(Conflict.deletionName)') IS NOT NULL ORDER BY id"
        )
        for id in ids.compactMap(RecordID.init) {
            guard let state = try RecordRepository.state(id, db), let register = state.fields[Conflict.deletionName] else { continue }
            let repaired = RecordState(
                id: state.id,
                kind: state.kind,
                context: state.context,
                fields: state.fields.filter { $0.key != Conflict.deletionName },
                tombstones: state.tombstones
            )
            try RecordRepository.save(repaired, db)
            let values = register.entries.map { "\($0.value) (by \($0.by), dot \($0.dot))" }
            try AuditLog.append(
                "repair",
                detail:
                    "\(state.kind.rawValue) \(id): dropped the reserved field \(Conflict.deletionName), which held \(values.joined(separator: "; "))",
                actor: "store migration",
                now: now,
                db
            )
        }
    }

    /// Moves the shop's settings that this laptop had set (older builds kept them per laptop) into the shop's
    /// record, as one local write by the laptop's agent that its next sync sends: the other laptops then follow it,
    /// or, where they had set the same setting, hold a conflict on it for a person to settle. Settings left at
    /// their defaults are not written, so laptops that never changed them make no conflict. A write of its own,
    /// not through ``LocalWriter``: later migrations may add to what a local write does.
    static func moveShopSettingsToTheShopRecord(_ db: Database, now: Date = Date()) throws {
        let shopSettings = StoreSetting.allCases.filter { $0.shopField != nil }
        var values: [String: FieldValue] = [:]
        for setting in shopSettings {
            guard let field = setting.shopField,
                let text = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [setting.rawValue]),
                text != setting.defaultValue
            else { continue }
            values[field] = setting.shopValue(text)
        }
        try db.execute(sql: "DELETE FROM setting WHERE key IN (\(shopSettings.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
        guard !values.isEmpty,
            let replica = try String.fetchOne(db, sql: "SELECT id FROM replica").flatMap(ReplicaID.init),
            let counter = try UInt64.fetchOne(db, sql: "UPDATE replica SET counter = counter + 1 RETURNING counter")
        else { return }
        let agent = try StoreSettings.read(.agent, db)
        let dot = Dot(replica: replica, counter: counter)
        var state = RecordState(id: ShopSettings.recordID, kind: .shop)
        state.write(values, dot: dot, at: now.epochMilliseconds, by: agent)
        try RecordRepository.save(state, isNew: true, db)
        try db.execute(sql: "INSERT INTO outbox (recordID, counter) VALUES (?, ?)", arguments: [state.id.rawValue, counter])
    }
}
