import KeepServer
import KeepTestSupport
import Logging
import ServiceLifecycle

/// Builds the application as `keep-server serve` does, runs it in a `ServiceGroup`, calls `body` once it
/// listens, then shuts it down gracefully (as SIGTERM would) and waits for it to stop.
func withRunningServer<T: Sendable>(
    _ configuration: ServerConfiguration,
    logger: Logger = .quiet,
    _ body: @Sendable (ListeningAddress) async throws -> T
) async throws -> T {
    let (addresses, continuation) = AsyncStream.makeStream(of: ListeningAddress.self)
    let app = try buildApplication(configuration, logger: logger) { continuation.yield($0) }
    let group = ServiceGroup(configuration: .init(services: [app], logger: .quiet))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() else { throw TestFailure("the server did not start") }
        let result = await Result(catching: { try await body(address) })
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
