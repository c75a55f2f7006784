public import Foundation
import GRDB
public import KeepCore

/// The store's local settings: who is typing, and the shop's reply window and working day.
public enum StoreSetting: String, Sendable, CaseIterable {
    /// The person recorded as author of local writes.
    case agent
    /// How long a customer may wait for a reply, in hours.
    case replyWindowHours = "reply-window-hours"
    /// When the working day ends (HH:MM), the time a date without a time means.
    case workdayEnd = "workday-end"
    /// When the shop is open (`mon-fri 09:00-17:00, sat 10:00-14:00`), so the reply clock counts open time only;
    /// empty when every hour counts.
    case openingHours = "opening-hours"
    /// Days the shop is closed (`2026-12-24, 2026-12-25..2026-12-26`); they count only with opening hours.
    case closedDays = "closed-days"
    /// "Follow up purchases of at least AMOUNT after DAYS" (`100 after 14d`); empty when off.
    case purchaseFollowUp = "follow-up-purchases"
    /// The shop's country calling code (`30`), so that numbers written without it match those written with it;
    /// empty when not set. Read through ``ReplicaStore/countryCode()``.
    case countryCode = "country-code"
    /// Where the next pull from the sync server starts.
    case syncCursor = "sync-cursor"
    /// The sync server's address.
    case syncServer = "sync-server"
    /// How the server's certificate is trusted: the pinned certificate's SHA-256 fingerprint, or a CA file.
    case syncPin = "sync-pin"
    case syncCAFile = "sync-ca-file"
    /// The pinned certificate itself (PEM), trusted as the only root.
    case syncCertificate = "sync-certificate"
    /// Which life of the server's store this replica last synced with (`<server replica>/<epoch>`): a new
    /// epoch means the server was restored from a backup and must be sent everything again.
    case serverEpoch = "server-epoch"
    /// The stable id of the shop this store syncs with, learned at its first sync: the store is that shop's book,
    /// and a server answering as another shop (a token of another shop, a slug re-created) is refused.
    case serverShop = "server-shop"
    /// When this laptop last finished a sync (milliseconds since 1970); empty before its first.
    case lastSyncAt = "last-sync-at"
    /// On the server: this store's epoch, "0" until it is first restored from a backup, then new at each restore.
    case storeEpoch = "store-epoch"

    public var defaultValue: String {
        switch self {
        case .agent: "me"
        case .replyWindowHours: "24"
        case .workdayEnd: "17:00"
        case .syncCursor, .syncServer, .syncPin, .syncCAFile, .syncCertificate, .serverEpoch, .serverShop,
            .purchaseFollowUp, .openingHours, .closedDays, .lastSyncAt, .countryCode:
            ""
        case .storeEpoch: "0"
        }
    }
}

extension StoreSetting {
    /// The field of the shop's record (``ShopSettings``) that holds this setting, or nil for a setting of this
    /// laptop alone (who is typing, its server login, its sync cursor).
    public var shopField: String? {
        switch self {
        case .replyWindowHours: ShopSettings.Field.replyWindowHours
        case .workdayEnd: ShopSettings.Field.workdayEnd
        case .openingHours: ShopSettings.Field.openingHours
        case .closedDays: ShopSettings.Field.closedDays
        case .purchaseFollowUp: ShopSettings.Field.purchaseFollowUp
        case .countryCode: ShopSettings.Field.countryCode
        case .agent, .syncCursor, .syncServer, .syncPin, .syncCAFile, .syncCertificate, .serverEpoch, .serverShop, .lastSyncAt,
            .storeEpoch:
            nil
        }
    }

    /// The value a shop setting's text (as `keep config set` stores it) is written as; null clears it.
    public func shopValue(_ text: String) -> FieldValue {
        guard !text.isEmpty else { return .null }
        return self == .replyWindowHours ? Int64(text).map(FieldValue.integer) ?? .null : .text(text)
    }
}

enum StoreSettings {
    /// A laptop's setting from its own table; a shop's from the shop's record, as the last merge left it.
    static func read(_ setting: StoreSetting, _ db: Database) throws -> String {
        guard let field = setting.shopField else {
            return try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [setting.rawValue]) ?? setting.defaultValue
        }
        let value = try DatabaseValue.fetchOne(
            db.cachedStatement(sql: "SELECT \(field) FROM \(ShopSettings.databaseTableName) WHERE id = ?"),
            arguments: [ShopSettings.recordID.rawValue]
        )
        switch value?.storage {
        case .int64(let number): return String(number)
        case .string(let text): return text
        default: return setting.defaultValue
        }
    }

    /// Writes a setting of this laptop alone; the shop's settings are written by ``LocalWriter/writeShopSettings(_:)``.
    static func write(_ setting: StoreSetting, _ value: String, _ db: Database) throws {
        precondition(setting.shopField == nil, "\(setting) is the shop's: write it through the shop's record")
        try db.execute(
            sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [setting.rawValue, value]
        )
    }
}

extension StoreSettings {
    /// The shop's country calling code, or nil when none is set. The one way every query reads it, so that it can
    /// move from the laptop's settings to the shop's.
    static func countryCode(_ db: Database) throws -> CountryCode? {
        CountryCode(try read(.countryCode, db))
    }
}

extension ReplicaStore {
    /// The shop's country calling code, or nil when none is set (`keep config set country-code 30`).
    public func countryCode() throws(StoreError) -> CountryCode? {
        try read { db in try StoreSettings.countryCode(db) }
    }

    /// The current value of a setting (its default if never set).
    public func setting(_ setting: StoreSetting) throws(StoreError) -> String {
        try read { db in try StoreSettings.read(setting, db) }
    }

    /// Changes a setting; the caller has validated the value.
    public func set(_ setting: StoreSetting, to value: String, now: Date = Date()) throws(StoreError) {
        try set([setting: value], now: now)
    }

    /// Changes several settings in one transaction: all of them, or none. The shop's settings are one write of the
    /// shop's record, by this laptop's agent, which sync takes to the other laptops.
    public func set(_ values: [StoreSetting: String], now: Date = Date()) throws(StoreError) {
        try Self.mapErrors(path: path) {
            try pool.write { db in
                var shopValues: [String: FieldValue] = [:]
                for (setting, value) in values {
                    if let field = setting.shopField {
                        shopValues[field] = setting.shopValue(value)
                    } else {
                        try StoreSettings.write(setting, value, db)
                    }
                }
                guard !shopValues.isEmpty else { return }
                var writer = LocalWriter(
                    db: db,
                    replica: replicaID,
                    agent: try StoreSettings.read(.agent, db),
                    now: now,
                    recordingChanges: logsChanges
                )
                let names = values.keys.filter { $0.shopField != nil }.map(\.rawValue).sorted()
                writer.summary = "changed the shop's settings: " + names.joined(separator: ", ")
                try writer.writeShopSettings(shopValues)
                try writer.commitChange()
            }
        }
    }
}
