public import Foundation
public import GRDB
public import KeepCore

/// A laptop allowed to sync one shop: one row of the catalog's `device` table.
public struct Device: Sendable, Hashable {
    public var id: DeviceID
    public var tenant: TenantSlug
    public var name: String
    /// SHA-256 of the token's secret; the token itself is never stored.
    var secretHash: [UInt8]
    /// The replica id of the store this device syncs, bound by its first push; nil before then.
    public var replica: ReplicaID?
    public var createdAt: Date
    /// When the device was revoked; its token no longer works.
    public var revokedAt: Date?

    /// When the device last made an authenticated request, to the minute; nil before its first. Written by the
    /// server only (``Catalog/noteSeen(_:at:)``), never by a device's own update.
    public var lastSeenAt: Date? = nil

    public var isRevoked: Bool { revokedAt != nil }

    public enum Columns {
        public static let id = Column("id")
        public static let tenant = Column("tenant")
        public static let name = Column("name")
        public static let secretHash = Column("secretHash")
        public static let replica = Column("replica")
        public static let createdAt = Column("createdAt")
        public static let revokedAt = Column("revokedAt")
        public static let lastSeenAt = Column("lastSeenAt")
    }
}

extension Device: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "device"

    public init(row: Row) throws {
        let replicaText: String? = row[Columns.replica]
        guard let id = DeviceID(row[Columns.id]), let tenant = TenantSlug(row[Columns.tenant]) else {
            throw KeepServerError(.catalog(path: "catalog.sqlite", detail: "a device row does not follow the schema"))
        }
        let replica = try replicaText.map { text in
            guard let replica = ReplicaID(text) else {
                throw KeepServerError(.catalog(path: "catalog.sqlite", detail: "device \(id) has a malformed replica id"))
            }
            return replica
        }
        self.init(
            id: id,
            tenant: tenant,
            name: row[Columns.name],
            secretHash: Array(row[Columns.secretHash] as Data),
            replica: replica,
            createdAt: row[Columns.createdAt],
            revokedAt: row[Columns.revokedAt],
            lastSeenAt: row.hasColumn("lastSeenAt") ? row[Columns.lastSeenAt] : nil
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id.rawValue
        container[Columns.tenant] = tenant.rawValue
        container[Columns.name] = name
        container[Columns.secretHash] = Data(secretHash)
        container[Columns.replica] = replica?.rawValue
        container[Columns.createdAt] = createdAt
        container[Columns.revokedAt] = revokedAt
    }
}

extension DerivableRequest<Device> {
    /// Devices whose tokens still work.
    func active() -> Self { filter(Device.Columns.revokedAt == nil) }

    /// The devices of one shop.
    func of(_ tenant: TenantSlug) -> Self { filter(Device.Columns.tenant == tenant.rawValue) }

    /// Devices with this name.
    func named(_ name: String) -> Self { filter(Device.Columns.name == name) }

    /// Devices bound to this replica.
    func bound(to replica: ReplicaID) -> Self { filter(Device.Columns.replica == replica.rawValue) }
}
