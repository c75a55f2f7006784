/// What one shop may use of the server: set per shop with `keep-server tenant limits`, else these defaults.
///
/// Going over gets `429 too_many_requests` or `413 too_large` with a message that names the limit; nothing
/// is written past it.
public struct TenantLimits: Sendable, Hashable, Codable {
    /// Devices whose tokens work at once.
    public var maxDevices: Int
    /// The shop's store on the server, its write-ahead log included.
    public var maxStoreBytes: Int64
    /// Requests each device may make per minute.
    public var requestsPerMinute: Int

    public static let defaults = TenantLimits(maxDevices: 25, maxStoreBytes: 2 << 30, requestsPerMinute: 600)

    public init(maxDevices: Int, maxStoreBytes: Int64, requestsPerMinute: Int) {
        self.maxDevices = maxDevices
        self.maxStoreBytes = maxStoreBytes
        self.requestsPerMinute = requestsPerMinute
    }

    /// What a shop may set: at least one device, a store of at least 1 MiB, at least one request a minute.
    static let allowed = (devices: 1...10_000, storeBytes: Int64(1 << 20)...Int64(1 << 40), requestsPerMinute: 1...1_000_000)
}
