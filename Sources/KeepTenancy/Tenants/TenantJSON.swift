public import Foundation
import KeepCore

/// A shop as `keep-server`'s `--json` prints it and as the head of `tenant export`'s dump.
public struct TenantJSON: Encodable {
    public let slug: String
    public let name: String
    public let status: String
    public let serverReplica: String
    public let createdAt: Date
    public let exportedAt: Date?
    /// The shop's devices, in the export's dump only.
    public let devices: [DeviceJSON]?

    public init(_ tenant: Tenant, devices: [Device]? = nil) {
        slug = tenant.slug.rawValue
        name = tenant.name
        status = tenant.status.rawValue
        serverReplica = tenant.serverReplica.rawValue
        createdAt = tenant.createdAt
        exportedAt = tenant.exportedAt
        self.devices = devices?.map(DeviceJSON.init)
    }
}

/// A device as `keep-server`'s `--json` and the export's dump show it; never its token.
public struct DeviceJSON: Encodable {
    public let name: String
    public let replica: String?
    public let createdAt: Date
    public let revokedAt: Date?
    /// When it last made a request, to the minute; null before its first.
    public let lastSeenAt: Date?

    public init(_ device: Device) {
        name = device.name
        replica = device.replica?.rawValue
        createdAt = device.createdAt
        revokedAt = device.revokedAt
        lastSeenAt = device.lastSeenAt
    }
}
