import Hummingbird
import KeepProtocol
import KeepStore
import KeepTenancy
import Logging
import NIOHTTP1

/// Turns every failure into a JSON error response `{ "error": code, "message": text }`: the server's own
/// ``SyncError``s as they are, Hummingbird's 404, 405 and 413 in the same shape, and anything unexpected
/// into a 500 that says nothing about the server's insides (the log has the details).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The router's routes, read before this middleware wraps them.
    let routes: ServerRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let syncError = translate(error, request: request, context: context)
            var response = try syncError.response(from: request, context: context)
            if let limited = error as? RateLimited {
                response.headers[.retryAfter] = String(limited.retryAfterSeconds)
            }
            if syncError.code == .methodNotAllowed, let methods = routes.allowedMethods[request.uri.path] {
                response.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
            }
            return response
        }
    }

    private func translate(_ error: any Error, request: Request, context: Context) -> SyncError {
        switch error {
        case let error as SyncError:
            return error
        case let error as RateLimited:
            return error.error
        case let error as KeepServerError where error.isTemporary:
            context.logger.warning("catalog busy", metadata: ["error": "\(error)"])
            return .unavailable("the server is busy: try again in a moment")
        case let error as StoreError where error.category == .unavailable:
            context.logger.warning("tenant store busy", metadata: ["error": "\(error)"])
            return .unavailable("the shop's store is busy: try again in a moment")
        case let error as any HTTPResponseError where error.status == .notFound:
            if let methods = routes.allowedMethods[request.uri.path] {
                // Counted under the route it reached, as the request log's metrics label it.
                context.coreContext.endpointPath.value = request.uri.path
                let allowed = methods.map(\.rawValue).joined(separator: ", ")
                return SyncError(code: .methodNotAllowed, message: "\(request.uri.path) does not accept \(request.method): use \(allowed)")
            }
            return SyncError(
                code: .notFound,
                message: "there is no \(request.uri.path.prefix(100)) on this server: see Sync/PROTOCOL.md for the endpoints"
            )
        case let error as HTTPParserError:
            // A body that breaks HTTP's framing (a chunk size that is not one) is the client's mistake, not a failure.
            context.logger.debug("unreadable request", metadata: ["error": "\(error)"])
            return .badRequest("the request is not well-formed HTTP (\(error)): check its Content-Length or chunked encoding")
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return JSONBody.tooLarge
        case let error as any HTTPResponseError where (400..<500).contains(error.status.code):
            return .badRequest("the request was refused (\(error.status.code) \(error.status.reasonPhrase)): check it against Sync/PROTOCOL.md")
        default:
            context.logger.error("request failed unexpectedly", metadata: ["error": "\(error)"])
            return .internalError(
                "the server failed unexpectedly: try again later (a retried sync is safe); if it persists, tell the server's operator"
            )
        }
    }
}
