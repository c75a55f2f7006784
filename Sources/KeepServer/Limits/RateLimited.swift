import KeepProtocol

/// A request over a rate limit: `429 too_many_requests` with a `Retry-After` header.
struct RateLimited: Error {
    let error: SyncError
    /// When the client may try again.
    let retryAfterSeconds: Int
}
