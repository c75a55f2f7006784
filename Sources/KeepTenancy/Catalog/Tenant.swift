public import Foundation
public import GRDB
public import KeepCore

/// A shop hosted on this server: one row of the catalog's `tenant` table.
public struct Tenant: Sendable, Hashable {
    public var slug: TenantSlug
    /// The shop's stable identity: unlike the slug, never given to another shop, and kept when its store is restored.
    public var shop: UUID
    public var name: String
    public var status: Status = .active
    /// The replica id of the shop's store on the server (`<data>/<slug>/store.sqlite`).
    public var serverReplica: ReplicaID
    public var createdAt: Date
    /// When `tenant export` last wrote a copy of the shop; nil if never.
    public var exportedAt: Date?
    /// The shop's own limits, where the operator set them; nil for the server's defaults.
    public var maxDevices: Int?
    public var maxStoreBytes: Int64?
    public var requestsPerMinute: Int?

    /// What the shop may use: its own limits, the defaults for the rest.
    public var limits: TenantLimits {
        let defaults = TenantLimits.defaults
        return TenantLimits(
            maxDevices: maxDevices ?? defaults.maxDevices,
            maxStoreBytes: maxStoreBytes ?? defaults.maxStoreBytes,
            requestsPerMinute: requestsPerMinute ?? defaults.requestsPerMinute
        )
    }

    /// Whether the shop's devices may sync.
    public enum Status: String, Sendable, Hashable {
        case active
        case suspended
    }

    public enum Columns {
        public static let slug = Column("slug")
        public static let shop = Column("shop")
        public static let name = Column("name")
        public static let status = Column("status")
        public static let serverReplica = Column("serverReplica")
        public static let createdAt = Column("createdAt")
        public static let exportedAt = Column("exportedAt")
        public static let maxDevices = Column("maxDevices")
        public static let maxStoreBytes = Column("maxStoreBytes")
        public static let requestsPerMinute = Column("requestsPerMinute")
    }
}

extension Tenant: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tenant"

    public init(row: Row) throws {
        guard let slug = TenantSlug(row[Columns.slug]), let status = Status(rawValue: row[Columns.status]),
            let serverReplica = ReplicaID(row[Columns.serverReplica]), let shop = UUID(uuidString: row[Columns.shop] ?? "")
        else {
            throw KeepServerError(.catalog(path: "catalog.sqlite", detail: "a tenant row does not follow the schema"))
        }
        self.init(
            slug: slug,
            shop: shop,
            name: row[Columns.name],
            status: status,
            serverReplica: serverReplica,
            createdAt: row[Columns.createdAt],
            exportedAt: row[Columns.exportedAt],
            maxDevices: row[Columns.maxDevices],
            maxStoreBytes: row[Columns.maxStoreBytes],
            requestsPerMinute: row[Columns.requestsPerMinute]
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.slug] = slug.rawValue
        container[Columns.shop] = shop.uuidString
        container[Columns.name] = name
        container[Columns.status] = status.rawValue
        container[Columns.serverReplica] = serverReplica.rawValue
        container[Columns.createdAt] = createdAt
        container[Columns.exportedAt] = exportedAt
        container[Columns.maxDevices] = maxDevices
        container[Columns.maxStoreBytes] = maxStoreBytes
        container[Columns.requestsPerMinute] = requestsPerMinute
    }
}
