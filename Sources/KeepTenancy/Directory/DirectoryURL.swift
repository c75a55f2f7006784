public import Foundation

/// Where the cluster's directory lives: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]`.
///
/// Parsed once, up front, so that a mistyped URL is refused with what is wrong before anything connects.
public struct DirectoryURL: Sendable, Hashable, CustomStringConvertible {
    /// Whether the connection is encrypted, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
    }

    public let user: String
    /// Never printed: `description` leaves it out.
    public let password: String?
    public let host: String
    public let port: Int
    public let database: String
    public let tls: TLSMode

    /// The address, for messages: `host:port`.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The URL without its password, safe to print and log.
    public var description: String { "postgresql://\(user)@\(address)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)") }

    /// Parses `text`; a bad URL is a usage error naming the problem and the form to use.
    public static func parse(_ text: String) throws(KeepServerError) -> DirectoryURL {
        func bad(_ problem: String) -> KeepServerError {
            KeepServerError(.badDirectoryURL(problem))
        }
        guard let components = URLComponents(string: text) else { throw bad("\"\(text.prefix(80))\" is not a URL") }
        guard let scheme = components.scheme?.lowercased(), ["postgresql", "postgres"].contains(scheme) else {
            throw bad(components.scheme.map { "it starts with \($0): rather than postgresql://" } ?? "it does not start with postgresql://")
        }
        guard let user = components.user, !user.isEmpty else { throw bad("it names no user before the @") }
        guard let host = components.host, !host.isEmpty else { throw bad("it names no host") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw bad("the port \(port) is not 1 to 65535") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw bad("it names no database after the host (…/DB)") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw bad("\"\(item.name)\(item.value.map { "=\($0)" } ?? "")\" is not understood: only sslmode=disable, prefer or require is")
            }
            tls = mode
        }
        return DirectoryURL(user: user, password: components.password, host: host, port: port, database: database, tls: tls)
    }

    /// The same server, another database: tests make one per test.
    public func with(database: String) -> DirectoryURL {
        DirectoryURL(user: user, password: password, host: host, port: port, database: database, tls: tls)
    }
}
