public import KeepCore

/// How a client reaches a sync server: the three calls of the protocol, whatever carries them (HTTPS in the
/// command line, a direct call in simulations).
public protocol SyncTransport: Sendable {
    /// `GET /v1/hello`.
    func hello() async throws -> HelloResponse
    /// `POST /v1/push`; returns once the server has made the records durable.
    func push(_ request: PushRequest) async throws -> PushResponse
    /// `GET /v1/pull`.
    func pull(cursor: String?, limit: Int) async throws -> PullResponse
}
