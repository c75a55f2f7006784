public import Foundation
public import KeepStore

/// A shop as `tenant list` and `tenant show` describe it.
public struct TenantSummary: Sendable {
    public let tenant: Tenant
    public let activeDevices: Int
    public let revokedDevices: Int
    /// The store's size on disk in bytes, its WAL included.
    public let storeBytes: Int64
    /// The store's schema version; nil when it cannot be read (the problem is in `storeProblem`).
    public let schemaVersion: Int?
    public let storeProblem: String?
}

/// Where `tenant export` wrote a shop's data.
public struct TenantExport: Sendable {
    /// A consistent SQLite copy of the shop's store.
    public let storeCopy: String
    /// Every record's state as JSON, with the shop and its devices (without tokens).
    public let json: String
}

extension Administration {
    /// Every shop, by slug, with its devices and store.
    public func tenants() throws(KeepServerError) -> [TenantSummary] {
        guard let catalog = try dataRoot.openCatalogIfPresent() else { return [] }
        defer { catalog.close() }
        return try catalog.tenants().map { tenant throws(KeepServerError) in try summary(of: tenant, devices: catalog.devices(of: tenant.slug)) }
    }

    /// One shop, with its devices.
    public func tenant(_ slug: TenantSlug) throws(KeepServerError) -> (summary: TenantSummary, devices: [Device], audit: [AuditEntry]) {
        try existingCatalog(for: slug) { catalog throws(KeepServerError) in
            let tenant = try catalog.existingTenant(slug)
            let devices = try catalog.devices(of: slug)
            let audit = (try? withStore(slug) { store throws(StoreError) in try store.auditLog(limit: 20) }) ?? []
            return (summary(of: tenant, devices: devices), devices, audit)
        }
    }

    /// The shop with this slug, refusing an unknown one.
    public func existingTenant(_ slug: TenantSlug) throws(KeepServerError) -> Tenant {
        try existingCatalog(for: slug) { catalog throws(KeepServerError) in try catalog.existingTenant(slug) }
    }

    /// The devices of a shop, revoked ones included.
    public func devices(of slug: TenantSlug) throws(KeepServerError) -> [Device] {
        try existingCatalog(for: slug) { catalog throws(KeepServerError) in
            _ = try catalog.existingTenant(slug)
            return try catalog.devices(of: slug)
        }
    }

    /// Suspends a shop: its devices get 403 `suspended` from their next request, and nothing of it changes.
    @discardableResult
    public func suspend(_ slug: TenantSlug, now: Date = Date()) throws(KeepServerError) -> Tenant {
        let tenant = try existingCatalog(for: slug) { catalog throws(KeepServerError) in try catalog.setStatus(.suspended, of: slug) }
        audit(slug, "tenant suspend", now: now)
        return tenant
    }

    /// Lets a suspended shop's devices sync again.
    @discardableResult
    public func resume(_ slug: TenantSlug, now: Date = Date()) throws(KeepServerError) -> Tenant {
        let tenant = try existingCatalog(for: slug) { catalog throws(KeepServerError) in try catalog.setStatus(.active, of: slug) }
        audit(slug, "tenant resume", now: now)
        return tenant
    }

    /// Gives a device a new token (shown once); the old one stops working at once.
    public func rotateDevice(named name: String, of slug: TenantSlug, now: Date = Date()) throws(KeepServerError) -> NewDevice {
        let rotated = try existingCatalog(for: slug) { catalog throws(KeepServerError) in try catalog.rotateDevice(named: name, of: slug) }
        audit(slug, "device rotate", detail: name, now: now)
        return rotated
    }

    /// Writes a consistent copy of one shop's data into `folder` while the server may be serving it: the store
    /// through SQLite's online backup, and a JSON dump of every record read from that copy.
    public func export(_ slug: TenantSlug, to folder: String, now: Date = Date()) throws(KeepServerError) -> TenantExport {
        let (tenant, devices) = try existingCatalog(for: slug) { catalog throws(KeepServerError) in
            let tenant = try catalog.existingTenant(slug)
            return (tenant, try catalog.devices(of: slug))
        }
        let base = URL(fileURLWithPath: folder).standardizedFileURL.path + "/\(slug)-\(TenantMigration.stamp(now))"
        let export = TenantExport(storeCopy: base + ".sqlite", json: base + ".json")
        try withStore(slug) { store throws(StoreError) in try store.backup(to: export.storeCopy) }
        do throws(KeepServerError) {
            try TenantDump.write(tenant: tenant, devices: devices, storeCopy: export.storeCopy, to: export.json, now: now)
        } catch {
            try? FileManager.default.removeItem(atPath: export.storeCopy)
            throw error
        }
        try existingCatalog(for: slug) { catalog throws(KeepServerError) in try catalog.markExported(slug, at: now) }
        audit(slug, "tenant export", detail: export.storeCopy, now: now)
        return export
    }

    /// Deletes a shop: its tokens stop working at once, then its folder goes. Refused for a shop never exported
    /// unless `force`, so that deleting the wrong slug is not the end of a shop's customer book.
    public func delete(_ slug: TenantSlug, force: Bool) throws(KeepServerError) {
        try existingCatalog(for: slug) { catalog throws(KeepServerError) in
            let tenant = try catalog.existingTenant(slug)
            guard force || tenant.exportedAt != nil else { throw KeepServerError(.neverExported(slug)) }
            try catalog.removeTenant(slug)
        }
        do {
            try FileManager.default.removeItem(atPath: dataRoot.folder(of: slug))
        } catch {
            throw KeepServerError(
                .cannotCreate(
                    path: dataRoot.folder(of: slug),
                    detail: "the shop is deleted but its folder could not be removed: \(error.localizedDescription)"
                )
            )
        }
    }

    // MARK: Plumbing

    func summary(of tenant: Tenant, devices: [Device]) -> TenantSummary {
        let path = dataRoot.storePath(of: tenant.slug)
        let bytes = ReplicaStore.bytesOnDisk(at: path)
        var version: Int?
        var problem: String?
        do {
            version = try ReplicaStore.schemaStatus(at: path, lockTimeout: 1).version
        } catch {
            problem = error.description
        }
        return TenantSummary(
            tenant: tenant,
            activeDevices: devices.filter { !$0.isRevoked }.count,
            revokedDevices: devices.filter(\.isRevoked).count,
            storeBytes: bytes,
            schemaVersion: version,
            storeProblem: problem
        )
    }

    /// Runs `body` with the shop's store open as the server opens it (never migrating), then closes it.
    func withStore<T>(_ slug: TenantSlug, _ body: (ReplicaStore) throws(StoreError) -> T) throws(KeepServerError) -> T {
        do {
            let store = try ReplicaStore.open(at: dataRoot.storePath(of: slug), migrating: false)
            defer { try? store.close() }
            return try body(store)
        } catch {
            throw KeepServerError(.store(error))
        }
    }

    /// Notes an operator's change in the shop's audit log. Best effort: the change is made whether or not its
    /// note can be (a store awaiting migration cannot take one).
    func audit(_ slug: TenantSlug, _ action: String, detail: String = "", now: Date) {
        try? withStore(slug) { store throws(StoreError) in try store.audit(action, detail: detail, actor: actor, now: now) }
    }
}

extension Administration {
    /// Copies shops' stores and the catalog into `folder/<time>/` with SQLite's online backup, consistent while
    /// syncs go on. Returns the copies made, the catalog's first; a shop that fails is reported in `failures`.
    ///
    /// Every copy is checked with SQLite's integrity check: a damaged store copies without an error, and a backup
    /// that is only a copy of the damage must not count as one. A damaged copy is kept as `<slug>.sqlite.damaged`,
    /// never under the name a restore or `scripts/backup-all` takes for a good backup.
    public func backup(
        _ tenants: [TenantSlug],
        to folder: String,
        now: Date = Date()
    ) throws(KeepServerError) -> (folder: String, copies: [String], failures: [(TenantSlug, String)]) {
        let target = URL(fileURLWithPath: folder).standardizedFileURL.path + "/" + TenantMigration.stamp(now)
        guard let catalog = try dataRoot.openCatalogIfPresent() else {
            throw KeepServerError(.cannotCreate(path: dataRoot.catalogPath, detail: "there is no catalog to back up: is --data right?"))
        }
        defer { catalog.close() }
        var copies = [target + "/catalog.sqlite"]
        try catalog.backup(to: copies[0])
        if let problem = Self.damage(ofCopy: copies[0]) {
            throw KeepServerError(
                .catalog(path: dataRoot.catalogPath, detail: "its backup copy is damaged (\(problem)): run `keep-server check --all`")
            )
        }
        try backUpTLSIdentity(into: target)
        var failures: [(TenantSlug, String)] = []
        for tenant in tenants {
            let copy = target + "/\(tenant).sqlite"
            do {
                try withStore(tenant) { store throws(StoreError) in try store.backup(to: copy) }
            } catch {
                failures.append((tenant, error.description))
                continue
            }
            if let problem = Self.damage(ofCopy: copy) {
                failures.append(
                    (
                        tenant,
                        "its copy is damaged (\(problem)), kept as \(copy).damaged: its store is damaged; run `keep-server check --tenant \(tenant)` and restore it from its last good backup"
                    )
                )
                continue
            }
            copies.append(copy)
        }
        return (target, copies, failures)
    }

    /// What SQLite's integrity check finds wrong with a backup copy, renaming a damaged one out of the way; nil
    /// for a sound copy.
    private static func damage(ofCopy copy: String) -> String? {
        let problems: [String]
        do {
            problems = try ReplicaStore.integrityProblems(at: copy, lockTimeout: 5)
        } catch {
            problems = [error.description]
        }
        guard !problems.isEmpty else { return nil }
        try? FileManager.default.moveItem(atPath: copy, toPath: copy + ".damaged")
        return problems.prefix(3).joined(separator: "; ")
    }

    /// SQLite's integrity check of the catalog and of each shop's store: the problems found, by file.
    public func check(_ tenants: [TenantSlug]) -> [(file: String, problems: [String])] {
        var results: [(String, [String])] = []
        for path in [dataRoot.catalogPath] + tenants.map(dataRoot.storePath(of:)) {
            do {
                results.append((path, try ReplicaStore.integrityProblems(at: path, lockTimeout: 5)))
            } catch {
                results.append((path, [error.description]))
            }
        }
        return results
    }
}

extension Administration {
    /// Restores one shop's store from a backup made by ``backup(_:to:now:)``, while the server may be serving
    /// it. `source` is a backup folder (holding `<slug>.sqlite`) or the store copy itself.
    ///
    /// The store gets a new epoch, so every laptop that synced with it sends all it holds at its next sync
    /// and what the server lost since the backup comes back. The catalog is not touched: devices stay as
    /// they are now.
    /// - Returns: the file restored from.
    @discardableResult
    public func restore(_ slug: TenantSlug, from source: String, now: Date = Date()) throws(KeepServerError) -> String {
        let tenant = try existingTenant(slug)
        var isFolder: ObjCBool = false
        let absolute = URL(fileURLWithPath: source).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isFolder) else {
            throw KeepServerError(.missingFile(path: absolute, option: "--from"))
        }
        let backupPath = isFolder.boolValue ? absolute + "/\(slug).sqlite" : absolute
        guard FileManager.default.fileExists(atPath: backupPath) else { throw KeepServerError(.missingFile(path: backupPath, option: "--from")) }
        let epoch = UUID().uuidString.lowercased()
        let storePath = dataRoot.storePath(of: slug)
        /// Puts the copy in place file by file, for a store that is missing or too damaged to copy into.
        func replaceFile() throws(KeepServerError) {
            do {
                try ReplicaStore.replaceDamaged(
                    at: storePath,
                    replica: tenant.serverReplica,
                    from: backupPath,
                    epoch: epoch,
                    auditedAs: actor,
                    now: now
                )
            } catch {
                throw KeepServerError(.store(error))
            }
        }
        // A server rebuilt from backups has no store yet.
        guard FileManager.default.fileExists(atPath: storePath) else {
            do {
                try FileManager.default.createDirectory(
                    atPath: dataRoot.folder(of: slug),
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw KeepServerError(.cannotCreate(path: dataRoot.folder(of: slug), detail: error.localizedDescription))
            }
            try replaceFile()
            return backupPath
        }
        do {
            try withStore(slug) { store throws(StoreError) in try store.restore(from: backupPath, epoch: epoch, auditedAs: actor, now: now) }
        } catch let error where error.storeError?.isDamage == true && error.storeError?.path == storePath {
            // The shop's own store is too damaged to copy into: the server refuses its requests, so swap the file.
            try replaceFile()
        }
        return backupPath
    }
}
