import Logging
import NIOCore
import NIOSSL
package import PostgresNIO

/// One connection to the directory for one piece of work, and what its failures mean for an operator.
///
/// Short-lived commands (`migrate`) use this; a long-lived node will hold a `PostgresClient` instead.
package enum DirectoryConnection {
    /// Connects to `url`, runs `body`, and closes the connection whatever happens; every failure is a
    /// `KeepServerError` that names the address and what to check.
    package static func with<Result: Sendable>(
        _ url: DirectoryURL,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws(KeepServerError) -> Result {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try configuration(url), id: 1, logger: logger)
        } catch {
            throw failure(error, url: url)
        }
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw failure(error, url: url)
        }
    }

    static func configuration(_ url: DirectoryURL) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch url.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host,
            port: url.port,
            username: url.user,
            password: url.password,
            database: url.database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// What `error` means for an operator. PostgresNIO hides the server's words from `description` (they may hold
    /// data), so the message and SQLSTATE are picked out here; they name tables and constraints, never rows.
    package static func failure(_ error: any Error, url: DirectoryURL) -> KeepServerError {
        switch error {
        case let error as KeepServerError:
            return error
        case let error as PostgresTransactionError:
            let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            return inner.map { failure($0, url: url) } ?? KeepServerError(.directory(url, detail: "a transaction failed"))
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                let detail = error.underlying.map { "\($0)" } ?? "the connection failed"
                return KeepServerError(.directoryUnreachable(address: url.address, detail: detail))
            case .sslUnsupported:
                return KeepServerError(.directoryRefused(url, detail: "it offers no TLS, and sslmode=require asks for it"))
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                let message = error.serverInfo?[.message] ?? "no message"
                // Class 28 is authorization; 3D000 an unknown database: both are the operator's settings.
                if state.hasPrefix("28") || state == "3D000" {
                    return KeepServerError(.directoryRefused(url, detail: message))
                }
                return KeepServerError(.directory(url, detail: "\(message) [SQLSTATE \(state)]"))
            default:
                return KeepServerError(.directory(url, detail: "\(error.code)"))
            }
        case let error as ChannelError:
            return KeepServerError(.directoryUnreachable(address: url.address, detail: "\(error)"))
        default:
            return KeepServerError(.directory(url, detail: "\(error)"))
        }
    }
}
