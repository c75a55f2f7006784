public import Foundation
public import KeepCore

/// Who sent a request, as established from its bearer token: the device, and the shop it belongs to.
///
/// The shop always comes from here, never from the request's path or body.
public struct AuthenticatedDevice: Sendable, Hashable {
    public let id: DeviceID
    public let name: String
    public let tenant: TenantSlug
    /// The shop's stable identity, which `hello` names.
    public let shop: UUID
    /// The replica id of the shop's store that the catalog names now: a store open under the slug with another
    /// id belongs to a deleted shop of the same slug, or was replaced, and must not be served.
    public let serverReplica: ReplicaID
    public let tenantStatus: Tenant.Status
    /// The replica the device is bound to, or nil before its first push.
    public let replica: ReplicaID?
    /// What the device's shop may use of the server.
    public let limits: TenantLimits

    init(device: Device, tenant: Tenant) {
        self.id = device.id
        self.name = device.name
        self.tenant = tenant.slug
        self.shop = tenant.shop
        self.serverReplica = tenant.serverReplica
        self.tenantStatus = tenant.status
        self.replica = device.replica
        self.limits = tenant.limits
    }
}
