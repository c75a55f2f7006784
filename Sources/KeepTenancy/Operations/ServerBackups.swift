public import Foundation
import KeepStore

/// One backup `keep-server backup` made: a folder named by its time, holding the catalog, the server's TLS identity
/// and the shops' stores.
public struct ServerBackup: Sendable, Hashable {
    public let path: String
    /// The folder's name: the time it was made, in UTC, so that names sort as times do.
    public let name: String
    public let shops: [String]
    public let hasCatalog: Bool
    public let hasTLSIdentity: Bool
    /// Copies the backup found damaged when it checked them (kept as `.damaged`), by file name.
    public let damaged: [String]
    public let bytes: Int64

    /// The backups in `folder`, oldest first; folders that are not backups are left out.
    public static func all(in folder: String) throws(KeepServerError) -> [ServerBackup] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
            throw KeepServerError(.missingFile(path: folder, option: "--from"))
        }
        return names.sorted().compactMap { name in
            let path = folder + "/" + name
            guard name.wholeMatch(of: /\d{8}T\d{6}\.\d{3}Z/) != nil, let files = try? manager.contentsOfDirectory(atPath: path) else { return nil }
            let bytes = files.reduce(Int64(0)) { total, file in
                total + ((try? manager.attributesOfItem(atPath: path + "/" + file)[.size] as? NSNumber)??.int64Value ?? 0)
            }
            return ServerBackup(
                path: path,
                name: name,
                shops: files.filter { $0.hasSuffix(".sqlite") && $0 != "catalog.sqlite" }.map { String($0.dropLast(".sqlite".count)) }.sorted(),
                hasCatalog: files.contains("catalog.sqlite"),
                hasTLSIdentity: files.contains("tls"),
                damaged: files.filter { $0.hasSuffix(".damaged") }.sorted(),
                bytes: bytes
            )
        }
    }

    /// The newest backup in `folder` holding `file` (a shop's `SLUG.sqlite`, or `catalog.sqlite`).
    public static func latest(in folder: String, holding file: String) throws(KeepServerError) -> ServerBackup {
        let holding = try all(in: folder).filter { FileManager.default.fileExists(atPath: $0.path + "/" + file) }
        guard let newest = holding.last else {
            throw KeepServerError.usage("no backup in \(folder) holds \(file): list them with `keep-server backup list --in \(folder)`")
        }
        return newest
    }
}

extension Administration {
    /// Copies the server's own TLS identity (its authority, certificate and keys) into a backup: laptops pinned that
    /// certificate, so a server rebuilt without it would be refused by every one of them.
    func backUpTLSIdentity(into backup: String) throws(KeepServerError) {
        let manager = FileManager.default
        guard manager.fileExists(atPath: dataRoot.tlsFolder) else { return }
        let target = backup + "/tls"
        do {
            try manager.createDirectory(atPath: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for file in try manager.contentsOfDirectory(atPath: dataRoot.tlsFolder) where file.hasSuffix(".pem") {
                try manager.copyItem(atPath: dataRoot.tlsFolder + "/" + file, toPath: target + "/" + file)
                try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target + "/" + file)
            }
        } catch {
            throw KeepServerError(.cannotCreate(path: target, detail: error.localizedDescription))
        }
    }

    /// Puts back the catalog and the TLS identity of a server that lost them (its machine, its disk), from the backup
    /// folder `backup`. Never over a live catalog: it would bring back revoked devices and rewind the pushed counters a
    /// shop's restore relies on.
    public func restoreCatalog(from backup: String, now: Date = Date()) throws(KeepServerError) {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: dataRoot.catalogPath) else {
            throw KeepServerError.usage(
                "\(dataRoot.catalogPath) exists: a catalog is restored only on a server that lost it (restoring over a live one would bring back revoked devices); restore shops with --tenant SLUG"
            )
        }
        let source = backup + "/catalog.sqlite"
        guard manager.fileExists(atPath: source) else { throw KeepServerError(.missingFile(path: source, option: "--from")) }
        let problems = (try? ReplicaStore.integrityProblems(at: source, lockTimeout: 5)) ?? ["cannot be read"]
        guard problems.isEmpty else {
            throw KeepServerError(
                .catalog(path: source, detail: "the backup's catalog is damaged (\(problems.prefix(3).joined(separator: "; "))): use an older backup")
            )
        }
        try dataRoot.create()
        do {
            try manager.copyItem(atPath: source, toPath: dataRoot.catalogPath)
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dataRoot.catalogPath)
            if manager.fileExists(atPath: backup + "/tls"), !manager.fileExists(atPath: dataRoot.tlsFolder) {
                try manager.copyItem(atPath: backup + "/tls", toPath: dataRoot.tlsFolder)
            }
        } catch {
            throw KeepServerError(.cannotCreate(path: dataRoot.catalogPath, detail: error.localizedDescription))
        }
        // Checks the copy opens as a catalog of this build (and brings an older one's schema up).
        try dataRoot.openCatalog().close()
    }
}
