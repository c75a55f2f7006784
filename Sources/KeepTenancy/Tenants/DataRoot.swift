import Foundation

/// The server's data folder: the catalog, one folder per shop, and the self-signed certificate.
///
/// ```
/// <data>/catalog.sqlite
/// <data>/<slug>/store.sqlite
/// <data>/<slug>/backups/before-v2-….sqlite
/// <data>/tls/cert.pem, key.pem
/// ```
public struct DataRoot: Sendable, Hashable {
    /// The folder's absolute path.
    public let path: String

    /// The data root at `path`, relative to the current directory unless absolute.
    public init(_ path: String) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = (absolute as NSString).standardizingPath
    }

    public var catalogPath: String { path + "/catalog.sqlite" }

    /// The folder of one shop; a valid slug cannot leave the data root.
    public func folder(of tenant: TenantSlug) -> String { path + "/" + tenant.rawValue }

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

    /// Opens the catalog, creating the folder and the catalog when missing.
    public func openCatalog() throws(KeepServerError) -> Catalog {
        try create()
        return try Catalog.open(at: catalogPath)
    }
}
