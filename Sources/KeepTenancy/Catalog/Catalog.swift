package import Foundation
import GRDB
package import KeepCore
import KeepProtocol
import KeepStore

/// The server's list of shops and their devices: `<data>/catalog.sqlite`.
///
/// Owns the database. Every request reads it afresh (a primary-key lookup), so shops and devices that
/// `keep-server tenant create` or `device add` write from another process are served without a restart.
public struct Catalog: Sendable {
    public let path: String
    private let dbWriter: DatabasePool

    private init(path: String, dbWriter: DatabasePool) {
        self.path = path
        self.dbWriter = dbWriter
    }

    /// Opens the catalog at `path`, creating it when missing, and brings its schema up to date.
    public static func open(at path: String) throws(KeepServerError) -> Catalog {
        var configuration = Configuration()
        configuration.label = "catalog"
        // The server and an operator's command may write at once: the second waits instead of failing.
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            // A device added or revoked stays added or revoked after a power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let dbWriter = try mapErrors(path: path) { try DatabasePool(path: path, configuration: configuration) }
        try mapErrors(path: path) {
            let superseded = try dbWriter.read { db in try CatalogSchema.migrator.hasBeenSuperseded(db) }
            guard !superseded else { throw KeepServerError(.newerCatalog(path: path)) }
            try CatalogSchema.migrator.migrate(dbWriter)
        }
        return Catalog(path: path, dbWriter: dbWriter)
    }

    /// Closes the database files.
    public func close() {
        try? dbWriter.close()
    }

    // MARK: Reading

    /// The shop with this slug, if any.
    public func tenant(_ slug: TenantSlug) throws(KeepServerError) -> Tenant? {
        try read { db in try Tenant.fetchOne(db, key: slug.rawValue) }
    }

    /// The shop with this slug; an unknown slug is an error that says how to list the shops.
    public func existingTenant(_ slug: TenantSlug) throws(KeepServerError) -> Tenant {
        guard let tenant = try tenant(slug) else { throw KeepServerError(.noTenant(slug, dataRoot: dataRootPath)) }
        return tenant
    }

    /// Every shop, by slug.
    public func tenants() throws(KeepServerError) -> [Tenant] {
        try read { db in try Tenant.order(Tenant.Columns.slug).fetchAll(db) }
    }

    /// The devices of a shop, revoked ones included, oldest first.
    public func devices(of tenant: TenantSlug) throws(KeepServerError) -> [Device] {
        try read { db in try Device.all().of(tenant).order(Device.Columns.createdAt, Device.Columns.id).fetchAll(db) }
    }

    /// The device a token names, if the token is genuine and its device and shop still exist; nil otherwise.
    ///
    /// The secret is hashed and compared in constant time even when the device is unknown.
    public func authenticate(_ token: DeviceToken) throws(KeepServerError) -> AuthenticatedDevice? {
        let found = try read { db -> (Device, Tenant)? in
            let device = try Device.fetchOne(db, key: token.device.rawValue)
            // The shop is looked up for an unknown device too, so that answering it takes as long.
            guard let tenant = try Tenant.fetchOne(db, key: device?.tenant.rawValue ?? ""), let device else { return nil }
            return (device, tenant)
        }
        let genuine = token.matches(storedHash: found?.0.secretHash ?? Self.decoyHash)
        guard let (device, tenant) = found, genuine, !device.isRevoked else { return nil }
        return AuthenticatedDevice(device: device, tenant: tenant)
    }

    private static let decoyHash = [UInt8](repeating: 0, count: 32)

    // MARK: Writing

    /// Records a new shop; its store must already exist.
    func insert(_ tenant: Tenant) throws(KeepServerError) {
        do {
            try dbWriter.write { db in try tenant.insert(db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw KeepServerError(.tenantExists(tenant.slug))
        } catch {
            throw Self.catalogError(error, path: path)
        }
    }

    /// Adds a device to a shop and returns it with its token, which exists nowhere else.
    func addDevice(named name: String, to tenant: TenantSlug, now: Date) throws(KeepServerError) -> NewDevice {
        let token = DeviceToken.generate(for: DeviceID.random())
        let device = Device(
            id: token.device,
            tenant: tenant,
            name: name,
            secretHash: token.secretHash,
            replica: nil,
            createdAt: now,
            revokedAt: nil
        )
        try write { db in
            let shop = try Self.tenant(tenant, db, dataRoot: dataRootPath)
            try Self.checkRoom(for: name, in: shop, db)
            try device.insert(db)
        }
        return NewDevice(device: device, token: token)
    }

    /// Refuses a device name already in use in the shop, and a device beyond the shop's limit.
    private static func checkRoom(for name: String, in tenant: Tenant, _ db: Database) throws {
        guard try Device.all().of(tenant.slug).active().named(name).fetchCount(db) == 0 else {
            throw KeepServerError(.deviceExists(tenant.slug, name: name))
        }
        let limit = tenant.limits.maxDevices
        guard try Device.all().of(tenant.slug).active().fetchCount(db) < limit else { throw KeepServerError(.deviceLimit(tenant.slug, max: limit)) }
    }

    private static func tenant(_ slug: TenantSlug, _ db: Database, dataRoot: String) throws -> Tenant {
        guard let tenant = try Tenant.fetchOne(db, key: slug.rawValue) else { throw KeepServerError(.noTenant(slug, dataRoot: dataRoot)) }
        return tenant
    }

    /// Records a new enrollment code for a device named `name`, valid until `expiresAt`; the code exists nowhere else.
    ///
    /// - Parameter existing: the code is for the shop's active device of that name, which it gives a new token;
    ///   otherwise it makes a new device.
    func addEnrollment(
        forDevice name: String,
        of tenant: TenantSlug,
        existing: Bool,
        now: Date,
        expiresAt: Date
    ) throws(KeepServerError) -> EnrollmentCode {
        let code = EnrollmentCode.generate()
        try write { db in
            let shop = try Self.tenant(tenant, db, dataRoot: dataRootPath)
            var device: String?
            if existing {
                guard let found = try Device.all().of(tenant).active().named(name).fetchOne(db) else {
                    throw KeepServerError(.noDevice(tenant, name: name))
                }
                device = found.id.rawValue
            } else {
                do {
                    try Self.checkRoom(for: name, in: shop, db)
                } catch let error as KeepServerError where error.isDeviceExists {
                    throw KeepServerError.usage(
                        "the shop \(tenant) already has a device named \"\(name)\": to let that laptop log in again (a lost token), "
                            + "give it a code with --existing; to add another laptop, choose another name"
                    )
                }
            }
            try db.execute(
                sql: "INSERT INTO enrollment (codeHash, tenant, deviceName, createdAt, expiresAt, device) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [code.hash, tenant.rawValue, name, now, expiresAt, device]
            )
        }
        return code
    }

    /// Turns an enrollment code into a new device of its shop, or a new token for the existing device it names, once:
    /// the code is used up in the same transaction.
    ///
    /// An unknown, used or expired code gets one and the same ``SyncError``, so that trying codes tells nothing.
    /// - Returns: the new device with its token, and the device as a request authenticated by that token sees it.
    package func redeem(_ code: EnrollmentCode, now: Date) throws -> (new: NewDevice, authenticated: AuthenticatedDevice) {
        do {
            return try dbWriter.write { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: "SELECT tenant, deviceName, expiresAt, device FROM enrollment WHERE codeHash = ? AND usedAt IS NULL",
                        arguments: [code.hash]
                    ),
                    let expiresAt = row["expiresAt"] as Date?, expiresAt > now,
                    let slug = TenantSlug(row["tenant"]),
                    let tenant = try Tenant.fetchOne(db, key: slug.rawValue)
                else { throw SyncError.badEnrollmentCode }
                guard tenant.status == .active else {
                    throw SyncError(code: .suspended, message: "this shop is suspended on the server: ask the server's operator to resume it")
                }
                let name: String = row["deviceName"]
                if let existing = (row["device"] as String?).flatMap(DeviceID.init) {
                    // The same device and the store it is bound to, with a new token; a revoked device stays revoked.
                    guard var device = try Device.fetchOne(db, key: existing.rawValue), device.tenant == slug, !device.isRevoked else {
                        throw SyncError(code: .forbidden, message: "the device \"\(name)\" was revoked: ask the server's operator for a new device")
                    }
                    let token = DeviceToken.generate(for: device.id)
                    device.secretHash = token.secretHash
                    try device.update(db)
                    try db.execute(sql: "UPDATE enrollment SET usedAt = ? WHERE codeHash = ?", arguments: [now, code.hash])
                    return (NewDevice(device: device, token: token), AuthenticatedDevice(device: device, tenant: tenant))
                }
                do {
                    try Self.checkRoom(for: name, in: tenant, db)
                } catch let error as KeepServerError {
                    throw SyncError(code: .forbidden, message: error.description)
                }
                let token = DeviceToken.generate(for: DeviceID.random())
                let device = Device(
                    id: token.device,
                    tenant: slug,
                    name: name,
                    secretHash: token.secretHash,
                    replica: nil,
                    createdAt: now,
                    revokedAt: nil
                )
                try device.insert(db)
                try db.execute(sql: "UPDATE enrollment SET usedAt = ? WHERE codeHash = ?", arguments: [now, code.hash])
                return (NewDevice(device: device, token: token), AuthenticatedDevice(device: device, tenant: tenant))
            }
        } catch let error as SyncError {
            throw error
        } catch {
            throw Self.catalogError(error, path: path)
        }
    }

    /// Sets a shop's own limits; nil leaves one as it is, and `reset` first returns all of them to the defaults.
    func setLimits(
        of slug: TenantSlug,
        reset: Bool,
        maxDevices: Int?,
        maxStoreBytes: Int64?,
        requestsPerMinute: Int?
    ) throws(KeepServerError) -> Tenant {
        try write { db in
            var tenant = try Self.tenant(slug, db, dataRoot: dataRootPath)
            if reset { (tenant.maxDevices, tenant.maxStoreBytes, tenant.requestsPerMinute) = (nil, nil, nil) }
            if let maxDevices { tenant.maxDevices = maxDevices }
            if let maxStoreBytes { tenant.maxStoreBytes = maxStoreBytes }
            if let requestsPerMinute { tenant.requestsPerMinute = requestsPerMinute }
            try tenant.update(db)
            return tenant
        }
    }

    /// Revokes a shop's active device by name: its token stops working at once.
    func revokeDevice(named name: String, of tenant: TenantSlug, now: Date) throws(KeepServerError) -> Device {
        try write { db in
            guard try Tenant.exists(db, key: tenant.rawValue) else { throw KeepServerError(.noTenant(tenant, dataRoot: dataRootPath)) }
            guard var device = try Device.all().of(tenant).active().named(name).fetchOne(db) else {
                throw KeepServerError(.noDevice(tenant, name: name))
            }
            device.revokedAt = now
            try device.update(db)
            return device
        }
    }

    /// Sets a shop's status; suspending stops its devices at their next request.
    func setStatus(_ status: Tenant.Status, of slug: TenantSlug) throws(KeepServerError) -> Tenant {
        try write { db in
            guard var tenant = try Tenant.fetchOne(db, key: slug.rawValue) else { throw KeepServerError(.noTenant(slug, dataRoot: dataRootPath)) }
            tenant.status = status
            try tenant.update(db)
            return tenant
        }
    }

    /// Records that the shop was exported at `date`.
    func markExported(_ slug: TenantSlug, at date: Date) throws(KeepServerError) {
        try write { db in
            guard var tenant = try Tenant.fetchOne(db, key: slug.rawValue) else { throw KeepServerError(.noTenant(slug, dataRoot: dataRootPath)) }
            tenant.exportedAt = date
            try tenant.update(db)
        }
    }

    /// Removes a shop and its devices: every token of it stops working at once.
    func removeTenant(_ slug: TenantSlug) throws(KeepServerError) {
        try write { db in
            try db.execute(sql: "DELETE FROM enrollment WHERE tenant = ?", arguments: [slug.rawValue])
            try Device.filter(Device.Columns.tenant == slug.rawValue).deleteAll(db)
            guard try Tenant.deleteOne(db, key: slug.rawValue) else { throw KeepServerError(.noTenant(slug, dataRoot: dataRootPath)) }
        }
    }

    /// Gives an active device a new token; the old one stops working at once, and the device keeps its store.
    func rotateDevice(named name: String, of tenant: TenantSlug) throws(KeepServerError) -> NewDevice {
        try write { db in
            guard try Tenant.exists(db, key: tenant.rawValue) else { throw KeepServerError(.noTenant(tenant, dataRoot: dataRootPath)) }
            guard var device = try Device.all().of(tenant).active().named(name).fetchOne(db) else {
                throw KeepServerError(.noDevice(tenant, name: name))
            }
            let token = DeviceToken.generate(for: device.id)
            device.secretHash = token.secretHash
            try device.update(db)
            return NewDevice(device: device, token: token)
        }
    }

    /// How many shops the catalog holds, and how many working devices they have, for `/metrics`.
    package func counts() throws(KeepServerError) -> (shops: Int, devices: Int) {
        try read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tenant") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device WHERE revokedAt IS NULL") ?? 0
            )
        }
    }

    /// Records that `device` made an authenticated request at `date` (the server writes it at most once a minute per
    /// device).
    package func noteSeen(_ device: DeviceID, at date: Date) throws(KeepServerError) {
        try write { db in try db.execute(sql: "UPDATE device SET lastSeenAt = ? WHERE id = ?", arguments: [date, device.rawValue]) }
    }

    /// Copies the catalog into a new file at `path`, consistent while the server writes to it.
    func backup(to path: String) throws(KeepServerError) {
        do {
            try OnlineBackup.copy(dbWriter, to: path)
        } catch {
            throw Self.catalogError(error, path: path)
        }
    }

    // MARK: Plumbing

    private var dataRootPath: String { (path as NSString).deletingLastPathComponent }

    func read<T>(_ body: (Database) throws -> T) throws(KeepServerError) -> T {
        try Self.mapErrors(path: path) { try dbWriter.read(body) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(KeepServerError) -> T {
        try Self.mapErrors(path: path) { try dbWriter.write(body) }
    }

    private static func mapErrors<T>(path: String, _ body: () throws -> T) throws(KeepServerError) -> T {
        do {
            return try body()
        } catch {
            throw catalogError(error, path: path)
        }
    }

    private static func catalogError(_ error: any Error, path: String) -> KeepServerError {
        if let error = error as? KeepServerError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return KeepServerError(.catalogBusy(path: path))
            default: return KeepServerError(.catalog(path: path, detail: error.message ?? error.description))
            }
        }
        return KeepServerError(.catalog(path: path, detail: String(describing: error)))
    }
}

/// A device just added, with the only copy of its token.
public struct NewDevice: Sendable {
    public let device: Device
    public let token: DeviceToken
}
