public import KeepCore
package import KeepStore

/// A failure an operator can act on: one line naming the problem and the fix, and a sysexits status.
///
/// A struct around a private enum, so that new cases never break callers.
public struct KeepServerError: Error, Sendable, CustomStringConvertible {
    package enum Reason: Sendable {
        case badSlug(String)
        case badName(String, what: String)
        case tenantExists(TenantSlug)
        case strayTenantFolder(TenantSlug, path: String)
        case noTenant(TenantSlug, dataRoot: String)
        case deviceExists(TenantSlug, name: String)
        case noDevice(TenantSlug, name: String)
        case deviceLimit(TenantSlug, max: Int)
        case tlsPair
        case neverExported(TenantSlug)
        case usage(String)
        case missingFile(path: String, option: String)
        case badCertificate(path: String, detail: String)
        case badKey(path: String, detail: String)
        case keyMismatch(certificate: String, key: String)
        case halfSelfSigned(folder: String)
        case cannotCreate(path: String, detail: String)
        case catalogBusy(path: String)
        case newerCatalog(path: String)
        case catalog(path: String, detail: String)
        case store(StoreError)
        case alreadyServed(dataRoot: String)
        case cannotListen(host: String, port: Int, reason: String)
        case badDirectoryURL(String)
        case directoryUnreachable(address: String, detail: String)
        case directoryRefused(DirectoryURL, detail: String)
        case newerDirectory(DirectoryURL, unknown: [String])
        case directory(DirectoryURL, detail: String)
    }

    package let reason: Reason

    /// Whether the name given to a new device is taken.
    package var isDeviceExists: Bool {
        if case .deviceExists = reason { true } else { false }
    }

    /// The shop store's error this one carries, if it is one.
    package var storeError: StoreError? {
        if case .store(let error) = reason { error } else { nil }
    }

    package init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .badSlug(let slug):
            "\"\(slug.prefix(80))\" is not a shop slug: use 2 to 63 lowercase letters, digits and dashes, starting with a letter or digit, e.g. corner-shop"
        case .badName(let name, let what):
            "\"\(name.prefix(80))\" is not a usable \(what) name: use 1 to 80 characters, no line breaks, control characters or invisible ones (such as U+202E or U+200B)"
        case .tenantExists(let slug):
            "the shop \(slug) already exists: pick another slug, or add a device to it with `keep-server device add \(slug) NAME`"
        case .strayTenantFolder(let slug, let path):
            "\(path) already holds a store, but the catalog has no shop \(slug): move that folder away, then create the shop again"
        case .noTenant(let slug, let dataRoot):
            "there is no shop \(slug) in \(dataRoot): create it with `keep-server tenant create \(slug)`, or point --data at the right folder"
        case .deviceExists(let slug, let name):
            "the shop \(slug) already has a device named \"\(name)\": choose another name, or revoke the old one with `keep-server device revoke \(slug) \"\(name)\"`"
        case .noDevice(let slug, let name):
            "the shop \(slug) has no active device named \"\(name)\": check the name (names are case-sensitive)"
        case .deviceLimit(let slug, let max):
            "the shop \(slug) already has \(max) working devices, its limit: revoke one it no longer uses, or raise the limit with `keep-server tenant limits \(slug) --max-devices N`"
        case .neverExported(let slug):
            "shop \(slug) was never exported: run `keep-server tenant export \(slug) --to DIR` first, or add --force to delete it without a copy"
        case .usage(let message):
            message
        case .tlsPair:
            "--tls-cert and --tls-key go together: give both, or neither to use a self-signed certificate"
        case .missingFile(let path, let option):
            "cannot read \(path): check the file given to \(option)"
        case .badCertificate(let path, let detail):
            "\(path) holds no usable PEM certificate (\(detail)): give --tls-cert a PEM file starting with -----BEGIN CERTIFICATE-----"
        case .badKey(let path, let detail):
            "\(path) holds no usable PEM private key (\(detail)): give --tls-key the key of the certificate, in PEM"
        case .keyMismatch(let certificate, let key):
            "the key \(key) does not belong to the certificate \(certificate): give --tls-key the certificate's own key"
        case .halfSelfSigned(let folder):
            "\(folder)/cert.pem has no key.pem beside it: restore key.pem from a backup, or remove cert.pem to make a new certificate (laptops must then log in again)"
        case .cannotCreate(let path, let detail):
            "cannot create \(path) (\(detail)): check that the data folder exists and that you may write to it"
        case .catalogBusy(let path):
            "the catalog \(path) is locked by another program for too long: wait for it to finish and try again"
        case .newerCatalog(let path):
            "the catalog \(path) was written by a newer keep-server: upgrade keep-server to use it; nothing was changed"
        case .catalog(let path, let detail):
            "the catalog \(path) failed (\(detail)): nothing was changed; check the disk and the file's permissions"
        case .store(let error):
            error.description
        case .alreadyServed(let dataRoot):
            "another keep-server already serves \(dataRoot): stop it first (two servers on one data folder would each hold its shops' stores)"
        case .cannotListen(_, _, let reason):
            reason
        case .badDirectoryURL(let problem):
            "the catalog URL is not usable: \(problem): give --catalog (or KEEP_CATALOG) postgresql://USER@HOST:PORT/DB, e.g. postgresql://keep@127.0.0.1:5432/keep"
        case .directoryUnreachable(let address, let detail):
            "cannot reach PostgreSQL at \(address) (\(detail)): check that PostgreSQL runs there, listens on that address and port (listen_addresses, port), and that no firewall is in the way"
        case .directoryRefused(let url, let detail):
            "PostgreSQL at \(url.address) refused \(url) (\(detail)): check the user, its password and pg_hba.conf, and that the database exists (createdb \(url.database))"
        case .newerDirectory(let url, let unknown):
            "the directory \(url) was migrated by a newer keep-server (\(unknown.joined(separator: ", "))): upgrade keep-server to use it; nothing was changed"
        case .directory(let url, let detail):
            "the directory \(url) failed (\(detail)): nothing was changed; check PostgreSQL's log"
        }
    }

    /// The exit status that carries this failure.
    public var status: ExitStatus {
        switch reason {
        case .badSlug, .badName, .tlsPair, .usage: .usage
        case .neverExported: .usage
        case .tenantExists, .strayTenantFolder, .deviceExists, .deviceLimit, .badCertificate, .badKey, .keyMismatch, .halfSelfSigned: .dataError
        case .noTenant, .noDevice, .missingFile: .noInput
        case .cannotCreate: .cannotCreate
        case .catalogBusy: .temporaryFailure
        case .newerCatalog: .configuration
        case .catalog: .ioError
        case .store(let error): ExitStatus(error)
        case .alreadyServed, .cannotListen: .unavailable
        case .badDirectoryURL: .usage
        case .directoryUnreachable: .unavailable
        case .directoryRefused, .newerDirectory: .configuration
        case .directory: .ioError
        }
    }

    /// The server cannot listen where it was told to: `reason` says why and what to do.
    public static func cannotListen(host: String, port: Int, reason: String) -> KeepServerError {
        KeepServerError(.cannotListen(host: host, port: port, reason: reason))
    }

    /// Bad command-line input, with the message to show.
    public static func usage(_ message: String) -> KeepServerError { KeepServerError(.usage(message)) }

    /// `--tls-cert` without `--tls-key`, or the other way round.
    public static let tlsPair = KeepServerError(.tlsPair)

    /// Whether waiting and retrying may help: the database was busy.
    public var isTemporary: Bool { status == .temporaryFailure }
}
