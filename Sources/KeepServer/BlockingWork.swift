import NIOPosix

/// Runs blocking work (SQLite reads, writes and their fsyncs) on NIO's thread pool, off the async executors,
/// so that one slow disk write does not stall every other request.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
