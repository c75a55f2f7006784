import AsyncHTTPClient
public import Foundation
public import KeepCore
import KeepProtocol
import NIOSSL

/// What went wrong on the laptop's side of a sync, in one line for the shop owner, and the exit status that carries it.
public struct SyncFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let status: ExitStatus

    init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    public var description: String { message }

    /// Said with every failed exchange, because a sync can always be run again.
    public static let nothingLost = "nothing was lost: your changes stay queued for the next `keep sync`"

    /// Turns what went wrong talking to the server into one line, always saying that nothing was lost.
    public static func describe(_ error: any Error, server: URL) -> SyncFailure {
        switch error {
        case let error as SyncFailure:
            return error
        case let error as SyncError:
            return fromServer(error)
        case let error as HTTPClientError where error == .connectTimeout || error == .readTimeout || error == .deadlineExceeded:
            return SyncFailure(
                "the server at \(server.absoluteString) did not answer in time: check your network and try again; \(nothingLost)",
                status: .unavailable
            )
        case is NIOSSLError, is BoringSSLError:
            return SyncFailure("the TLS connection to \(server.absoluteString) failed (\(error)); \(nothingLost)", status: .unavailable)
        default:
            if let problem = NetworkProblem.describe(error, host: server.host ?? "", port: server.port ?? 443) {
                return SyncFailure("cannot reach the server: \(problem); \(nothingLost)", status: .unavailable)
            }
            return SyncFailure(
                "cannot reach the server at \(server.absoluteString) (\(error)): check the address and your network; \(nothingLost)",
                status: .unavailable
            )
        }
    }

    static func fromServer(_ error: SyncError) -> SyncFailure {
        let status: ExitStatus =
            switch error.httpStatus {
            case 401, 403: .noPermission
            case 400, 413, 422: .dataError
            default: .unavailable
            }
        return SyncFailure("the server refused: \(error.message)", status: status)
    }
}
