import GRDB

/// The store's schema history. Migrations are named and never edited once released: operators rely on them.
enum Schema {
    /// Marks a SQLite file as a Keepword store ("KPWD"), so that keep never writes into somebody else's database.
    static let applicationID: Int32 = 0x4B50_5744

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: replica, records, outbox, shop tables, search") { db in
            try createReplication(db)
            try createShopTables(db)
            try db.execute(sql: "CREATE VIRTUAL TABLE searchIndex USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')")
        }
        migrator.registerMigration("v2: audit log") { db in
            // Who changed what about this replica itself (devices, suspensions, exports, restores), never replicated.
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .integer).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("detail", .text).notNull().defaults(to: "")
            }
        }
        migrator.registerMigration("v3: purchases, surveys, automatic follow-ups") { db in
            try db.create(table: "purchase") { t in
                t.primaryKey("id", .text)
                t.column("customerID", .text).notNull().indexed()
                t.column("item", .text).notNull()
                // Hundredths of the shop's currency.
                t.column("amount", .integer)
                t.column("at", .integer).notNull()
                t.column("by", .text).notNull()
            }
            try db.create(table: "survey") { t in
                t.primaryKey("id", .text)
                t.column("customerID", .text).notNull().indexed()
                t.column("score", .integer).notNull()
                t.column("text", .text)
                t.column("at", .integer).notNull().indexed()
                t.column("by", .text).notNull()
            }
            // The purchase an automatic follow-up is about; a contact with the customer moves those. (No store can
            // hold records of the new kinds before this migration: servers refuse laptops of other schemas.)
            try db.alter(table: "followUp") { t in t.add(column: "purchaseID", .text) }
        }
        migrator.registerMigration("v4: the reply clock pauses while waiting on the customer") { db in
            // Schema 3's note field; no store holds it before this migration, for the same reason as v3.
            try db.alter(table: "note") { t in t.add(column: "waitingSince", .integer) }
        }
        migrator.registerMigration("v5: records the reader cannot read") { db in
            try db.create(table: "unreadableRecord") { t in
                t.primaryKey("recordID", .text)
                t.column("kind", .text).notNull()
                t.column("field", .text).notNull()
                t.column("reason", .text).notNull()
            }
            try StoreRepair.listUnreadableRecords(db)
        }
        migrator.registerMigration("v6: the reserved field deleted leaves the records that hold it") { db in
            try StoreRepair.dropReservedDeletedField(db)
        }
        migrator.registerMigration("v7: phone numbers are found by their digits, however they are written") { db in
            try StoreRepair.reindexCustomers(db)
        }
        migrator.registerMigration("v8: the shop's settings are one record every laptop shares; merged customers") { db in
            // Schema 4's kind shop; no store holds one before this migration, for the same reason as v3.
            try db.create(table: "shopSettings") { t in
                t.primaryKey("id", .text)
                t.column("replyWindowHours", .integer)
                t.column("workdayEnd", .text)
                t.column("openingHours", .text)
                t.column("closedDays", .text)
                t.column("purchaseFollowUp", .text)
                t.column("countryCode", .text)
            }
            // Schema 4's customer.mergedInto: which customer each merged one's records are shown under.
            try db.create(table: "customerMerge") { t in
                t.primaryKey("id", .text)
                t.column("intoID", .text).notNull()
            }
            try StoreRepair.moveShopSettingsToTheShopRecord(db)
        }
        migrator.registerMigration("v9: the undo log, this laptop's recent changes for keep undo") { db in
            // This replica's own writes, for taking them back with new writes; never replicated (see UndoLog).
            try db.create(table: "undoChange") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .integer).notNull()
                t.column("agent", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("recordCount", .integer).notNull()
                t.column("fieldCount", .integer).notNull()
                // Why the change cannot be taken back; NULL when it can.
                t.column("irreversible", .text).check { ["forget", "forgotten"].contains($0) }
            }
            try db.create(table: "undoRecord") { t in
                t.column("change", .integer).notNull().references("undoChange", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("recordID", .text).notNull()
                t.column("kind", .text).notNull()
                // The customer the record is about (a customer's own id), so that forgetting them erases this row.
                t.column("customerID", .text).indexed()
                t.column("created", .boolean).notNull()
                t.column("deletedBefore", .boolean).notNull()
                t.column("deletedAfter", .boolean).notNull()
                // Field name → {"before", "after"}: the value it held before ("before" absent when it had none)
                // and the value the change wrote.
                t.column("fields", .text).notNull()
                t.primaryKey(["change", "position"])
            }
        }
        return migrator
    }

    /// The replication truth: the replica's identity and clock, every record's full state, and what is unsynced.
    private static func createReplication(_ db: Database) throws {
        try db.create(table: "replica") { t in
            t.primaryKey("singleton", .integer).check { $0 == 1 }
            t.column("id", .text).notNull()
            // The last counter this replica used for a dot; every local write takes the next one.
            t.column("counter", .integer).notNull()
            // The last change sequence number; every stored record change takes the next one (pull cursors use it).
            t.column("changeSeq", .integer).notNull()
            t.column("createdAt", .integer).notNull()
        }
        try db.create(table: "setting") { t in
            t.primaryKey("key", .text)
            t.column("value", .text).notNull()
        }
        try db.create(table: "record") { t in
            // An integer key that never changes, so the search index can point at the record.
            t.primaryKey("rowid", .integer)
            t.column("id", .text).notNull().unique()
            t.column("kind", .text).notNull()
            t.column("state", .blob).notNull()
            t.column("changeSeq", .integer).notNull().unique()
            t.column("isDeleted", .boolean).notNull()
            t.column("hasConflict", .boolean).notNull()
        }
        try db.create(index: "record_conflicts", on: "record", columns: ["hasConflict"], condition: Column("hasConflict") == true)
        try db.create(table: "outbox") { t in
            t.autoIncrementedPrimaryKey("seq")
            t.column("recordID", .text).notNull()
            t.column("counter", .integer).notNull()
        }
    }

    /// What people query, projected from live records. Times are milliseconds since 1970 (UTC).
    private static func createShopTables(_ db: Database) throws {
        try db.create(table: "customer") { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull()
            // The name folded for matching a REF without case or accents.
            t.column("nameFolded", .text).notNull()
            t.column("phone", .text)
            t.column("email", .text)
            t.column("createdAt", .integer).notNull()
            t.column("createdBy", .text).notNull()
        }
        try db.create(table: "note") { t in
            t.primaryKey("id", .text)
            t.column("customerID", .text).notNull().indexed()
            t.column("kind", .text).notNull()
            t.column("channel", .text)
            t.column("text", .text).notNull()
            t.column("author", .text).notNull()
            t.column("at", .integer).notNull()
            t.column("replyDueAt", .integer)
            t.column("answeredAt", .integer)
            t.column("answeredBy", .text)
            t.column("answerID", .text)
            t.column("inReplyToID", .text)
        }
        try db.execute(
            sql: """
                CREATE INDEX note_replies_owed ON note(replyDueAt)
                WHERE kind IN ('inquiry', 'complaint') AND answeredAt IS NULL
                """
        )
        try db.create(table: "promise") { t in
            t.primaryKey("id", .text)
            t.column("customerID", .text).notNull().indexed()
            t.column("text", .text).notNull()
            t.column("promisedBy", .text).notNull()
            t.column("madeAt", .integer).notNull()
            t.column("dueAt", .integer).notNull()
            t.column("status", .text).notNull()
            t.column("keptAt", .integer)
            t.column("keptBy", .text)
            t.column("cancelledAt", .integer)
            t.column("cancelReason", .text)
        }
        try db.create(index: "promise_status_due", on: "promise", columns: ["status", "dueAt"])
        try db.create(table: "followUp") { t in
            t.primaryKey("id", .text)
            t.column("customerID", .text).notNull().indexed()
            t.column("text", .text).notNull()
            t.column("dueAt", .integer).notNull()
            t.column("status", .text).notNull()
            t.column("createdAt", .integer).notNull()
            t.column("createdBy", .text).notNull()
            t.column("doneAt", .integer)
            t.column("doneBy", .text)
        }
        try db.create(index: "followUp_status_due", on: "followUp", columns: ["status", "dueAt"])
    }
}
