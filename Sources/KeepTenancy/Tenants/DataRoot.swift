import Foundation
import GRDB

/// The server's data folder: the catalog, one folder per shop, and the self-signed certificate.
///
/// ```
/// <data>/catalog.sqlite
/// <data>/shops/<slug>/store.sqlite
/// <data>/shops/<slug>/backups/before-v2-….sqlite
/// <data>/tls/cert.pem, key.pem
/// ```
///
/// Shops' folders have a folder of their own, so that no slug names one of the server's files: before it, a shop
/// named `tls` shared its folder with the certificate, and deleting the shop deleted the server's key.
public struct DataRoot: Sendable, Hashable {
    /// The folder's absolute path.
    public let path: String

    /// The data root at `path`, relative to the current directory unless absolute.
    public init(_ path: String) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = (absolute as NSString).standardizingPath
    }

    public var catalogPath: String { path + "/catalog.sqlite" }

    /// Where the shops' folders are.
    public var shopsFolder: String { path + "/shops" }

    /// The folder of one shop; a valid slug cannot leave the data root.
    public func folder(of tenant: TenantSlug) -> String { shopsFolder + "/" + tenant.rawValue }

    /// The shop's replica store on the server.
    public func storePath(of tenant: TenantSlug) -> String { folder(of: tenant) + "/store.sqlite" }

    /// Where `keep-server migrate` keeps each store as it was before migrating it.
    public func backupsFolder(of tenant: TenantSlug) -> String { folder(of: tenant) + "/backups" }

    /// Where the self-signed certificate is kept.
    public var tlsFolder: String { path + "/tls" }

    /// Creates the folder (readable by its owner only) if it does not exist.
    public func create() throws(KeepServerError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeepServerError(.cannotCreate(path: path, detail: error.localizedDescription))
        }
    }

    /// Opens the catalog, creating the folder and the catalog when missing, and moves the shops of an older
    /// data root into `shops/`.
    public func openCatalog() throws(KeepServerError) -> Catalog {
        try create()
        let catalog = try Catalog.open(at: catalogPath)
        try moveShopsIntoTheirFolder(catalog)
        return catalog
    }

    /// Opens the catalog only if it exists, as ``openCatalog()`` does.
    public func openCatalogIfPresent() throws(KeepServerError) -> Catalog? {
        guard FileManager.default.fileExists(atPath: catalogPath) else { return nil }
        return try openCatalog()
    }

    /// Moves each shop's files from `<data>/<slug>/` (the layout before `shops/`) to `<data>/shops/<slug>/`.
    ///
    /// Runs inside a catalog write, so that the server starting and an operator's command never move at once.
    /// Each file is renamed, which is atomic, so an interrupted move finishes the next time; an old folder is
    /// removed only when nothing else is left in it (the certificate stays where a shop named `tls` was).
    func moveShopsIntoTheirFolder(_ catalog: Catalog) throws(KeepServerError) {
        let manager = FileManager.default
        let moved = shopsFolder + "/.layout"
        guard !manager.fileExists(atPath: moved) else { return }
        try catalog.write { db in
            guard !manager.fileExists(atPath: moved) else { return }
            try manager.createDirectory(atPath: shopsFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for slug in try String.fetchAll(db, sql: "SELECT slug FROM tenant") {
                let old = path + "/" + slug
                guard let entries = try? manager.contentsOfDirectory(atPath: old) else { continue }
                let new = shopsFolder + "/" + slug
                try manager.createDirectory(atPath: new, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                for entry in entries where entry == "backups" || entry.hasPrefix("store.sqlite") {
                    try manager.moveItem(atPath: old + "/" + entry, toPath: new + "/" + entry)
                }
                if (try? manager.contentsOfDirectory(atPath: old))?.isEmpty == true { try manager.removeItem(atPath: old) }
            }
            manager.createFile(atPath: moved, contents: Data("shops/<slug>/store.sqlite\n".utf8), attributes: [.posixPermissions: 0o600])
        }
    }
}
