public import Foundation
import KeepStore

/// One shop as `keep-server status` shows it: its devices and when each was last seen, its open conflicts, its
/// store's size and schema.
public struct ShopStatus: Sendable {
    public let summary: TenantSummary
    /// The shop's working devices, oldest first.
    public let devices: [Device]
    /// Records holding a conflict in the server's store; nil when the store cannot be read.
    public let openConflicts: Int?

    /// How long a device may stay silent before it is named: a laptop silent for a week holds what nobody else has.
    public static let silence: TimeInterval = 7 * 24 * 3600

    /// The devices that have not synced for more than ``silence`` (or never) at `now`.
    public func silentDevices(at now: Date) -> [Device] {
        devices.filter { device in (device.lastSeenAt ?? device.createdAt) < now.addingTimeInterval(-Self.silence) }
    }
}

extension Administration {
    /// Every shop's status, by slug.
    public func status() throws(KeepServerError) -> [ShopStatus] {
        guard let catalog = try dataRoot.openCatalogIfPresent() else { return [] }
        defer { catalog.close() }
        return try catalog.tenants().map { tenant throws(KeepServerError) in
            let devices = try catalog.devices(of: tenant.slug)
            let conflicts = try? withStore(tenant.slug) { store throws(StoreError) in try store.conflictedRecordCount() }
            return ShopStatus(
                summary: summary(of: tenant, devices: devices),
                devices: devices.filter { !$0.isRevoked },
                openConflicts: conflicts
            )
        }
    }
}
