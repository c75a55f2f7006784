public import Foundation
import KeepStore

/// What an operator does to the server's data: create shops, add and revoke devices.
///
/// Safe while the server runs: it writes the same catalog, and the server reads it per request.
/// Every operation either completes or changes nothing.
public struct Administration: Sendable {
    public let dataRoot: DataRoot
    /// Who the shops' audit logs name for what this administration does, e.g. "operator anna".
    public let actor: String

    /// The agent recorded in every shop store the server creates.
    public static let storeAgent = "keep-server"

    /// - Parameter actor: who runs the command, as the operator gave it (`--actor`); nil for the user who ran it.
    public init(dataRoot: DataRoot, actor: String? = nil) {
        self.dataRoot = dataRoot
        self.actor = "operator " + (actor ?? Self.invokingUser(ProcessInfo.processInfo.environment))
    }

    /// Who ran the command: under `sudo -u keepword`, the person who typed sudo, not the service account.
    static func invokingUser(_ environment: [String: String]) -> String {
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
        guard let sudoer = environment["SUDO_USER"], !sudoer.isEmpty, sudoer != user else { return user }
        return "\(sudoer) (as \(user))"
    }

    /// An `--actor` name, checked as a device's name is: printable, one line, no characters that hide or reorder text.
    public static func checkedActor(_ name: String) throws(KeepServerError) -> String {
        try DisplayName.validate(name, what: "actor")
    }

    /// Creates a shop: its replica store at `<data>/<slug>/store.sqlite`, then its catalog row.
    public func createTenant(_ slug: TenantSlug, name: String? = nil, now: Date = Date()) throws(KeepServerError) -> Tenant {
        let name = try DisplayName.validate(name ?? slug.rawValue, what: "shop")
        let catalog = try dataRoot.openCatalog()
        defer { catalog.close() }
        guard try catalog.tenant(slug) == nil else { throw KeepServerError(.tenantExists(slug)) }
        let storePath = dataRoot.storePath(of: slug)
        guard !FileManager.default.fileExists(atPath: storePath) else {
            throw KeepServerError(.strayTenantFolder(slug, path: dataRoot.folder(of: slug)))
        }
        let folderExisted = FileManager.default.fileExists(atPath: dataRoot.folder(of: slug))
        let store: ReplicaStore
        do {
            store = try ReplicaStore.create(at: storePath, agent: Self.storeAgent, now: now)
        } catch {
            throw KeepServerError(.store(error))
        }
        try? store.audit("tenant create", detail: name, actor: actor, now: now)
        try? store.close()
        let tenant = Tenant(slug: slug, shop: UUID(), name: name, serverReplica: store.replicaID, createdAt: now)
        do {
            try catalog.insert(tenant)
        } catch {
            removeStore(of: slug, folderExisted: folderExisted)
            throw error
        }
        return tenant
    }

    /// Adds a device to a shop; the returned token is shown once and stored nowhere.
    public func addDevice(named name: String, to tenant: TenantSlug, now: Date = Date()) throws(KeepServerError) -> NewDevice {
        let name = try DisplayName.validate(name, what: "device")
        let added = try existingCatalog(for: tenant) { catalog throws(KeepServerError) in try catalog.addDevice(named: name, to: tenant, now: now) }
        audit(tenant, "device add", detail: name, now: now)
        return added
    }

    /// Revokes a shop's device by name; its token stops working with the next request.
    @discardableResult
    public func revokeDevice(named name: String, of tenant: TenantSlug, now: Date = Date()) throws(KeepServerError) -> Device {
        let device = try existingCatalog(for: tenant) { catalog throws(KeepServerError) in try catalog.revokeDevice(named: name, of: tenant, now: now)
        }
        audit(tenant, "device revoke", detail: name, now: now)
        return device
    }

    /// Makes a single-use code that lets a new laptop enroll as a device named `name` within `validity` seconds
    /// (`keep login URL --enroll CODE`); the code is shown once and only its hash is kept.
    public func enrollmentCode(
        forDevice name: String,
        of tenant: TenantSlug,
        validFor validity: TimeInterval = EnrollmentCode.defaultValidity,
        existing: Bool = false,
        now: Date = Date()
    ) throws(KeepServerError) -> (code: EnrollmentCode, expiresAt: Date) {
        let name = try DisplayName.validate(name, what: "device")
        guard validity > 0, validity <= EnrollmentCode.longestValidity else {
            throw KeepServerError.usage("an enrollment code may be valid for 1 minute to 24 hours: give --valid-for between 1 and 1440")
        }
        let expiresAt = now.addingTimeInterval(validity)
        let code = try existingCatalog(for: tenant) { catalog throws(KeepServerError) in
            try catalog.addEnrollment(forDevice: name, of: tenant, existing: existing, now: now, expiresAt: expiresAt)
        }
        let detail = "\(name)\(existing ? " (existing device, new token)" : ""), valid until \(expiresAt.formatted(.iso8601))"
        audit(tenant, "device enroll-code", detail: detail, now: now)
        return (code, expiresAt)
    }

    /// Sets a shop's own limits (nil leaves one as it is; `reset` returns all to the server's defaults first).
    @discardableResult
    public func setLimits(
        of tenant: TenantSlug,
        reset: Bool = false,
        maxDevices: Int? = nil,
        maxStoreBytes: Int64? = nil,
        requestsPerMinute: Int? = nil,
        now: Date = Date()
    ) throws(KeepServerError) -> Tenant {
        let allowed = TenantLimits.allowed
        if let maxDevices, !allowed.devices.contains(maxDevices) {
            throw KeepServerError.usage("--max-devices must be between \(allowed.devices.lowerBound) and \(allowed.devices.upperBound)")
        }
        if let maxStoreBytes, !allowed.storeBytes.contains(maxStoreBytes) {
            throw KeepServerError.usage("--max-store-mb must be between 1 and \(allowed.storeBytes.upperBound >> 20)")
        }
        if let requestsPerMinute, !allowed.requestsPerMinute.contains(requestsPerMinute) {
            throw KeepServerError.usage(
                "--requests-per-minute must be between \(allowed.requestsPerMinute.lowerBound) and \(allowed.requestsPerMinute.upperBound)"
            )
        }
        let updated = try existingCatalog(for: tenant) { catalog throws(KeepServerError) in
            try catalog.setLimits(
                of: tenant,
                reset: reset,
                maxDevices: maxDevices,
                maxStoreBytes: maxStoreBytes,
                requestsPerMinute: requestsPerMinute
            )
        }
        let limits = updated.limits
        audit(
            tenant,
            "tenant limits",
            detail: "\(limits.maxDevices) devices, \(limits.maxStoreBytes >> 20) MiB, \(limits.requestsPerMinute) requests/min",
            now: now
        )
        return updated
    }

    /// Runs `body` on the catalog, which must exist: a command about a shop never creates an empty data root.
    func existingCatalog<T>(for tenant: TenantSlug, _ body: (Catalog) throws(KeepServerError) -> T) throws(KeepServerError) -> T {
        guard let catalog = try dataRoot.openCatalogIfPresent() else {
            throw KeepServerError(.noTenant(tenant, dataRoot: dataRoot.path))
        }
        defer { catalog.close() }
        return try body(catalog)
    }

    /// Undoes a half-made shop.
    private func removeStore(of slug: TenantSlug, folderExisted: Bool) {
        let storePath = dataRoot.storePath(of: slug)
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: storePath + suffix)
        }
        if !folderExisted { try? FileManager.default.removeItem(atPath: dataRoot.folder(of: slug)) }
    }
}
