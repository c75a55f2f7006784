import Hummingbird
import KeepTenancy
import Logging

/// Writes one log line per request: request id, method, path, status, duration, the shop and device once known,
/// what a sync moved (`received`, `changed`, `conflicted` for a push, `sent` for a pull) and why a request was
/// refused; and counts the request and its duration in the metrics.
///
/// Never the token, nor the query or headers that could carry one.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = KeepRequestContext

    let metrics: ServerMetrics

    /// The response header that carries the request id, to match a client's report to the log.
    static let requestIDHeader = HTTPFields.Element.Name("Keep-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[Self.requestIDHeader] = Self.requestID(context)
            log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            log(request, context: context, status: 500, since: start)
            throw error
        }
    }

    /// Hummingbird's request id, kept in the logger's metadata; a log handler that keeps no metadata (a no-op
    /// one) has none, so a fresh one stands in rather than `context.id` trapping.
    private static func requestID(_ context: Context) -> String {
        context.logger[metadataKey: "hb.request.id"]?.description ?? RequestID().description
    }

    private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        metrics.recordRequest(endpoint: context.endpointPath, status: status, duration: elapsed)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)",
            "path": "\(request.uri.path)",
            "status": "\(status)",
            "duration_ms": "\((milliseconds * 10).rounded() / 10)",
        ]
        if let tenant = context.notes.tenant { metadata["tenant"] = "\(tenant.rawValue)" }
        if let device = context.notes.device { metadata["device"] = "\(device)" }
        for (name, value) in context.notes.counts { metadata[name] = "\(value)" }
        if let refusal = context.notes.refusal {
            metadata["refused"] = "\(refusal)"
            context.logger.notice("request refused", metadata: metadata)
            return
        }
        context.logger.info("request", metadata: metadata)
    }
}
