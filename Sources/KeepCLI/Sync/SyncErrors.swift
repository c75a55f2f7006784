import AsyncHTTPClient
import Foundation
import KeepCore
import KeepProtocol
import NIOSSL

/// Turns what went wrong talking to the server into one line for the shop owner, always saying that nothing was lost.
enum SyncFailure {
    static let nothingLost = "nothing was lost: your changes stay queued for the next `keep sync`"

    static func describe(_ error: any Error, server: URL) -> KeepError {
        switch error {
        case let error as KeepError:
            return error
        case let error as SyncError:
            return fromServer(error)
        case let error as HTTPClientError where error == .connectTimeout || error == .readTimeout || error == .deadlineExceeded:
            return KeepError(
                "the server at \(server.absoluteString) did not answer in time: check your network and try again; \(nothingLost)",
                status: .unavailable
            )
        case is NIOSSLError, is BoringSSLError:
            return KeepError("the TLS connection to \(server.absoluteString) failed (\(error)); \(nothingLost)", status: .unavailable)
        default:
            return KeepError(
                "cannot reach the server at \(server.absoluteString) (\(error)): check the address and your network; \(nothingLost)",
                status: .unavailable
            )
        }
    }

    static func fromServer(_ error: SyncError) -> KeepError {
        let status: ExitStatus =
            switch error.httpStatus {
            case 401, 403: .noPermission
            case 400, 413, 422: .dataError
            default: .unavailable
            }
        return KeepError("the server refused: \(error.message)", status: status)
    }
}
